// Times the graph page in headless chromium: from navigation to the first frame
// Cytoscape draws (the page's "netvet:graph-drawn" performance mark), with the
// API response's time and size, for bench/web_graph_bench.sh. Prints one JSON
// line per run. Usage: node bench/graph-open.mjs URL TOKEN RUNS
import { chromium } from "@playwright/test";

const [url, token, runs = "5"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.NETVET_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
for (let run = 1; run <= Number(runs); run++) {
  // A fresh context each run: nothing cached from the run before but what a
  // browser keeps anyway (the bundle is served with a long max-age; no-store API).
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript((t) => sessionStorage.setItem("netvet.token", t), token);
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName("netvet:graph-drawn").length > 0, null, { timeout: 180_000, polling: 50 });
  const r = await page.evaluate(() => {
    const mark = (n) => performance.getEntriesByName(n)[0];
    const res = performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/v1/"));
    const graph = res.find((e) => e.name.includes("/graph"));
    return {
      drawn_ms: Math.round(mark("netvet:graph-drawn").startTime),
      fetched_ms: Math.round(mark("netvet:graph-fetched").startTime),
      graph_request_ms: Math.round(graph.responseEnd - graph.requestStart),
      graph_waiting_ms: Math.round(graph.responseStart - graph.requestStart),
      graph_bytes: graph.decodedBodySize,
      drawn: mark("netvet:graph-drawn").detail,
      api: res.map((e) => `${new URL(e.name).pathname} ${Math.round(e.startTime)}-${Math.round(e.responseEnd)} ms ${e.decodedBodySize} B`),
    };
  });
  console.log(JSON.stringify({ run, ...r, console_errors: errors }));
  await context.close();
}
await browser.close();
