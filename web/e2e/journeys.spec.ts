// The four journeys of issue 16 through the browser, against a real `netvet
// serve` (e2e/setup.ts). Every page visited is checked with axe (no serious or
// critical violations) and screenshotted; no test may log a console error.
import AxeBuilder from "@axe-core/playwright";
import { expect, test as base, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PASSWORD } from "./setup";

const BASE = () => process.env.NETVET_E2E_BASE!;
const TOKENS = () => JSON.parse(process.env.NETVET_E2E_TOKENS!) as Record<string, string>;
const ROOT = () => process.env.NETVET_E2E_ROOT!;
const SHOTS = process.env.NETVET_E2E_OUT ? join(process.env.NETVET_E2E_OUT, "screenshots") : "test-results/screenshots";

// Words only the SECRET content holds: none may reach the operator.
const SECRET_FINDING = "GCSB-HOLDS-THIS-SECRET-FINDING";
const SECRET_NOTE = "GCSB-HOLDS-THIS-SECRET-NOTE";

const example = (f: string) => readFileSync(join(ROOT(), "examples/nz-spark-5g-2018", f), "utf8");

async function call<T = any>(user: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${BASE()}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKENS()[user]}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function notifyNz(title: string): Promise<number> {
  const n = await call("spark-ops", "POST", "/notifications", {
    title,
    jurisdiction: "NZ",
    date: "2018-11-28",
    network: example("network.yaml"),
    proposal: example("proposal.yaml"),
  });
  for (let i = 0; i < 300; i++) {
    const v = await call("gcsb-assessor", "GET", `/notifications/${n.id}`);
    if (v.assessments[0]?.status === "done") return n.id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the engine did not assess the notification in 30 s");
}

// Console errors fail the test; a test that expects one (a 404 it provokes)
// names it.
const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ context }, use) => {
    const errors: string[] = [];
    context.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    context.on("weberror", (e) => errors.push(e.error().message));
    await use(errors);
    },
    { auto: true },
  ],
});
test.afterEach(async ({ consoleErrors }, info) => {
  const allowed = info.annotations.filter((a) => a.type === "expected-console").map((a) => a.description!);
  expect(consoleErrors.filter((e) => !allowed.some((s) => e.includes(s)))).toEqual([]);
});

async function signIn(page: Page, name: string) {
  await page.goto(`${BASE()}/`);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel("User name").fill(name);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("who")).toContainText(name);
}

// axe on the page as it stands, and a screenshot of it.
async function check(page: Page, shot: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join("; ")}`)).toEqual([]);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
}

test("operator uploads the NZ 5G proposal, sees the decision and the withheld count, never the secret", async ({ page }) => {
  const bodies: string[] = [];
  page.on("response", async (r) => {
    if (r.url().includes("/api/")) bodies.push(await r.text().catch(() => ""));
  });
  await page.goto(`${BASE()}/signin`);
  await check(page, "01-sign-in");
  await signIn(page, "spark-ops");
  await expect(page.getByTestId("who")).toContainText("role: operator");
  await expect(page.getByTestId("who")).toContainText("tenant: spark");
  await expect(page.getByTestId("banner-top")).toHaveText("UNCLASSIFIED");
  await expect(page.getByTestId("banner-bottom")).toHaveText("UNCLASSIFIED");

  await page.getByRole("link", { name: "New notification" }).first().click();
  await page.getByLabel("Title").fill("5G RAN (Huawei) with MEC edge user plane");
  await page.getByLabel("Jurisdiction").selectOption("NZ");
  await page.getByLabel(/^Date the rules/).fill("2018-11-28");
  await page.getByLabel(/^Network file$/).setInputFiles(join(ROOT(), "examples/nz-spark-5g-2018/network.yaml"));
  await page.getByLabel(/^Proposal file/).setInputFiles(join(ROOT(), "examples/nz-spark-5g-2018/proposal.yaml"));
  await check(page, "02-new-notification");
  await page.getByRole("button", { name: "Notify" }).click();
  await expect(page).toHaveURL(/\/notifications\/\d+$/);
  const id = Number(page.url().split("/").pop());
  await expect(page.getByTestId("summary")).toContainText("significant-risk", { timeout: 30_000 });
  await check(page, "03-operator-assessment");

  // The agency adds what only it knows (SECRET) and decides on it.
  const secret = await call("gcsb-assessor", "POST", `/notifications/${id}/findings`, {
    title: SECRET_FINDING,
    message: `${SECRET_FINDING}: the vendor's holdings`,
    classification: "SECRET",
    severity: "critical",
  });
  await call("gcsb-director", "POST", `/notifications/${id}/decision`, {
    outcome: "significant-risk",
    reason: SECRET_NOTE,
    classification: "SECRET",
    reasons: [secret.id],
  });

  await page.reload();
  await expect(page.getByTestId("decision")).toContainText("significant-risk");
  await expect(page.getByTestId("decision")).toContainText("withheld (SECRET");
  await expect(page.getByTestId("withheld")).toContainText("1 finding is withheld (1 at SECRET)");
  // Each finding says what clears it (the engine's remediation, as in its reports).
  await expect(page.getByTestId("remediation").first()).toContainText("before the proposal proceeds");
  await expect(page.getByTestId("banner-top")).toHaveText("UNCLASSIFIED");
  await check(page, "04-operator-decision");
  await page.getByRole("link", { name: "Access graph" }).click();
  await expect(page.getByTestId("graph-counts")).toContainText("31 components");
  await expect(page.getByTestId("graph").locator("canvas").first()).toBeVisible();
  const pathFinding = page.getByRole("button", { name: /must not reach core/ }).first();
  await pathFinding.click();
  await expect(pathFinding).toHaveAttribute("aria-pressed", "true");
  const attackPath = page.getByRole("list", { name: "Attack paths" }).getByRole("button").first();
  await attackPath.click();
  await expect(attackPath).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("regions")).toContainText("Auckland");
  await expect(page.getByTestId("sites-map")).toContainText("13 sites with coordinates");
  await check(page, "05-access-graph");
  await page.getByRole("link", { name: "Notifications", exact: true }).click();
  await expect(page.getByRole("link", { name: "5G RAN (Huawei) with MEC edge user plane" }).first()).toBeVisible();
  await check(page, "06-notifications");

  const dom = await page.content();
  for (const s of [SECRET_FINDING, SECRET_NOTE]) {
    expect(dom).not.toContain(s);
    expect(bodies.filter((b) => b.includes(s))).toEqual([]);
  }
  expect(bodies.length).toBeGreaterThan(5);
});

test("assessor adds a SECRET finding, approver decides, operator's plan is accepted", async ({ context }) => {
  const id = await notifyNz("Journey 2: 5G with Huawei RAN");
  // The operator's plan: netvet plan's revised proposal, with its cost and schedule.
  const dir = mkdtempSync(join(tmpdir(), "netvet-plan-"));
  const nz = join(ROOT(), "examples/nz-spark-5g-2018");
  execFileSync(process.env.NETVET_BIN ?? join(ROOT(), "build/src/cli/netvet"), [
    "plan", join(nz, "network.yaml"), "--proposal", join(nz, "proposal.yaml"), "--jurisdiction", "NZ", "--date", "2018-11-28",
    "--format", "json", "-o", join(dir, "plan.json"), "--proposal-out", join(dir, "plan-proposal.yaml"),
  ]);
  const planned = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8"));

  const assessor = await context.newPage();
  await signIn(assessor, "gcsb-assessor");
  await assessor.goto(`${BASE()}/notifications/${id}`);
  const add = assessor.getByTestId("add-finding");
  await add.getByLabel("Title").fill("Vendor assessment (agency holdings)");
  await add.getByLabel("Finding").fill(SECRET_FINDING);
  await add.getByLabel("Severity").selectOption("critical");
  await add.getByLabel("Classification").selectOption("SECRET");
  await add.getByRole("button", { name: "Add finding" }).click();
  await expect(assessor.getByText(SECRET_FINDING)).toBeVisible();
  await expect(assessor.getByTestId("banner-top")).toHaveText("SECRET");
  await expect(assessor.getByTestId("banner-bottom")).toHaveText("SECRET");
  await check(assessor, "07-assessor-secret-finding");
  await assessor.getByRole("link", { name: "Portfolio" }).click();
  await expect(assessor.getByTestId("portfolio")).toContainText("spark");
  await expect(assessor.getByTestId("portfolio")).toContainText("% high-risk");
  await check(assessor, "07b-portfolio");
  await assessor.close();

  const approver = await context.newPage();
  await signIn(approver, "gcsb-director");
  await approver.goto(`${BASE()}/notifications/${id}`);
  const decide = approver.getByTestId("decide");
  await decide.getByLabel("Outcome").selectOption("significant-risk");
  await decide.getByLabel("Reason", { exact: true }).fill(SECRET_NOTE);
  await decide.getByLabel("Classification of the reason").selectOption("SECRET");
  await decide.getByLabel(/\(SECRET\)$/).check();
  await check(approver, "08-approver-decide");
  await decide.getByRole("button", { name: "Record decision" }).click();
  await expect(approver.getByTestId("state")).toHaveText("decided");
  await expect(approver.getByTestId("decision")).toContainText(SECRET_NOTE);

  const operator = await context.newPage();
  const seen: string[] = [];
  operator.on("response", async (r) => r.url().includes("/api/") && seen.push(await r.text().catch(() => "")));
  await signIn(operator, "spark-ops");
  await operator.goto(`${BASE()}/notifications/${id}`);
  await expect(operator.getByTestId("withheld")).toContainText("1 finding is withheld");
  const plan = operator.getByTestId("submit-plan");
  await plan.getByLabel(/^Revised proposal file/).setInputFiles(join(dir, "plan-proposal.yaml"));
  await plan.getByLabel(/^Cost and schedule/).setInputFiles(join(dir, "plan.json"));
  await plan.getByLabel("What the plan changes").fill("the planner's replacements and protected links");
  await check(operator, "09-operator-plan");
  await plan.getByRole("button", { name: "Submit plan" }).click();
  await expect(operator.getByTestId("state")).toHaveText("mitigation");
  await expect(operator.getByRole("columnheader", { name: "v2 (plan)" })).toBeVisible({ timeout: 30_000 });
  const plans = operator.locator("table.plans");
  await expect(plans.getByRole("row", { name: /^Re-assessment/ })).toContainText("no-significant-risk");
  // Side by side: the plan's cost, its schedule by year and the findings it cleared.
  const money = (n: number) => `${Math.round(n).toLocaleString("en")} ${planned.currency}`;
  await expect(plans.getByRole("row", { name: /^Cost/ })).toContainText(money(planned.cost.total));
  for (const y of planned.schedule) await expect(plans.getByRole("row", { name: /^Schedule by year/ })).toContainText(`${y.year}: ${money(y.cost)}`);
  await expect(plans.getByRole("row", { name: /^Findings cleared/ })).toContainText(/[1-9]\d* of \d+: .*nz\.ticsa\.5g-hrv-access/);
  await check(operator, "10-plan-versions");
  expect(seen.filter((b) => b.includes(SECRET_FINDING) || b.includes(SECRET_NOTE))).toEqual([]);
  expect(await operator.content()).not.toContain(SECRET_FINDING);

  await approver.reload();
  const accept = approver.getByTestId("accept");
  await accept.getByLabel("Reason", { exact: true }).fill("The revised proposal removes the risk");
  await accept.getByRole("button", { name: "Accept" }).click();
  await expect(approver.getByTestId("state")).toHaveText("accepted");
  await check(approver, "11-accepted");
  await operator.reload();
  await expect(operator.getByTestId("state")).toHaveText("accepted");
});

test("auditor reads the audit log", async ({ page }) => {
  await notifyNz("Journey 3: audited");
  await signIn(page, "igis-auditor");
  await expect(page).toHaveURL(/\/audit$/);
  const log = page.getByTestId("audit");
  await expect(log).toContainText("user.add");
  await expect(log).toContainText("spark-ops");
  await expect(log.locator("tbody tr").first()).toBeVisible();
  await page.getByRole("searchbox", { name: "Filter" }).fill("spark-ops");
  await expect(log.locator("tbody tr").first()).toContainText("spark-ops");
  await check(page, "12-audit-log");
});

test("an operator cannot open another tenant's notification by URL", async ({ page }) => {
  // The API's 404 is the point here; Chromium logs every failed load.
  test.info().annotations.push({ type: "expected-console", description: "status of 404" });
  const id = await notifyNz("Journey 4: Spark only");
  await signIn(page, "vodafone-ops");
  await page.goto(`${BASE()}/notifications/${id}`);
  await expect(page.getByTestId("not-found")).toContainText(`no notification ${id} that you may see`);
  expect(await page.content()).not.toContain("Journey 4: Spark only");
  await check(page, "13-other-tenant");
  await page.getByRole("link", { name: "Back to notifications" }).click();
  await expect(page.locator("table.list")).not.toContainText("Journey 4");
});

test("operator uploads a NetBox export: the server imports it and the page shows the import warnings", async ({ page }) => {
  await signIn(page, "spark-ops");
  await page.getByRole("link", { name: "New notification" }).first().click();
  await page.getByLabel("Title").fill("From NetBox");
  await page.getByLabel("Network file format").selectOption("netbox");
  await page.getByLabel(/^Network file$/).setInputFiles(join(ROOT(), "tests/cases/import/netbox-planned-and-unmapped/inventory.json"));
  await page.getByRole("button", { name: "Notify" }).click();
  const warnings = page.getByTestId("import-warnings");
  await expect(warnings).toContainText('NetBox role "mystery-box" is not in the role map');
  await expect(warnings).toContainText("2 planned or staged device(s)");
  await expect(page.getByTestId("summary")).toBeVisible({ timeout: 30_000 });
  await check(page, "14-netbox-import");
});

test("a network over 10^4 components is drawn one node per site, and a site opens into its components; by region too", async ({ page }) => {
  // netvet generate: about 3.25 components a site.
  const network = execFileSync(process.env.NETVET_BIN ?? join(ROOT(), "build/src/cli/netvet"), ["generate", "--sites", "3300", "--seed", "7"], { maxBuffer: 64 << 20 }).toString();
  const n = await call("spark-ops", "POST", "/notifications", { title: "National 5G", jurisdiction: "NZ", date: "2026-01-01", network });
  await signIn(page, "gcsb-assessor");
  await page.goto(`${BASE()}/notifications/${n.id}/graph`);
  const counts = page.getByTestId("graph-counts");
  await expect(counts).toContainText(/1\d{4} components/, { timeout: 60_000 });
  await expect(page.getByLabel("View")).toHaveValue("sites");
  await expect(page.getByTestId("graph").locator("canvas").first()).toBeVisible();
  // axe checked this page in the first journey; over thousands of sites it takes minutes.
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, "15-graph-by-site.png") });
  const site = await page.getByLabel("Open a site").locator("option").nth(1).getAttribute("value");
  await page.getByLabel("Open a site").selectOption(site!);
  await expect(counts).toContainText(`site ${site} and its neighbours`);
  await page.getByRole("button", { name: "Back to all sites" }).click();
  await expect(page.getByLabel("View")).toHaveValue("sites");
  // One node per region; a region opens into its sites, and one of them into its components.
  await page.getByLabel("View").selectOption("regions");
  await expect(counts).toContainText(/\(\d{1,2} drawn\)/);
  const region = await page.getByLabel("Open a region").locator("option").nth(1).getAttribute("value");
  await page.getByLabel("Open a region").selectOption(region!);
  await expect(counts).toContainText(`region ${region}'s sites and their neighbours`);
  const inRegion = await page.getByLabel("Open a site").locator("option").nth(1).getAttribute("value");
  await page.getByLabel("Open a site").selectOption(inRegion!);
  await expect(counts).toContainText(`site ${inRegion} and its neighbours`);
  await page.getByRole("button", { name: `Back to region ${region}` }).click();
  await page.getByRole("button", { name: "Back to all regions" }).click();
  await expect(page.getByLabel("View")).toHaveValue("regions");
});

test("assessor uploads a SECRET KB overlay through the form; the operator never receives its words", async ({ context }) => {
  // The overlay fixture's words (tests/cases/assess/disclosure-secret/overlay.yaml): none may reach the operator.
  const overlayFile = join(ROOT(), "tests/cases/assess/disclosure-secret/overlay.yaml");
  const OVERLAY_WORDS = ["ZULU-OVERLAY-TITLE", "ZULU-OVERLAY-INSTRUMENT", "nz.gcsb.overlay-zulu-baseband", "example.invalid/zulu"];
  const id = await notifyNz("Journey 7: overlay");
  // The form shows the server's refusal of an overlay above the assessor's clearance (403).
  test.info().annotations.push({ type: "expected-console", description: "status of 403" });

  const assessor = await context.newPage();
  await signIn(assessor, "gcsb-assessor");
  await assessor.goto(`${BASE()}/notifications/${id}`);
  const form = assessor.getByTestId("add-overlay");
  const topSecret = readFileSync(overlayFile, "utf8").replace("classification: SECRET", "classification: TOP-SECRET");
  await form.getByLabel("Overlay file").setInputFiles({ name: "ts.yaml", mimeType: "text/yaml", buffer: Buffer.from(topSecret) });
  await form.getByRole("button", { name: "Upload overlay" }).click();
  await expect(form.getByRole("alert")).toContainText("TOP-SECRET");
  await form.getByLabel("Overlay file").setInputFiles(overlayFile);
  await check(assessor, "16-assessor-overlay");
  await form.getByRole("button", { name: "Upload overlay" }).click();
  await expect(assessor.getByTestId("overlays")).toContainText("SECRET overlay from gcsb-assessor");
  await expect(assessor.getByTestId("banner-top")).toHaveText("SECRET");
  // Re-assessed with the overlay: the assessor sees its finding.
  await expect(assessor.getByText("ZULU-OVERLAY-TITLE").first()).toBeVisible({ timeout: 60_000 });
  await assessor.close();

  const operator = await context.newPage();
  const seen: string[] = [];
  operator.on("response", async (r) => r.url().includes("/api/") && seen.push(await r.text().catch(() => "")));
  await signIn(operator, "spark-ops");
  await operator.goto(`${BASE()}/notifications/${id}`);
  await expect(operator.getByTestId("overlays")).toContainText("1 knowledge-base overlay above your clearance (1 at SECRET)");
  await expect(operator.getByTestId("withheld")).toContainText("at SECRET");
  await expect(operator.getByTestId("banner-top")).toHaveText("UNCLASSIFIED");
  await check(operator, "17-operator-overlay-withheld");
  const dom = [await operator.content()];
  await operator.getByRole("link", { name: "Access graph" }).click();
  await expect(operator.getByTestId("graph-counts")).toContainText("31 components");
  dom.push(await operator.content());
  for (const w of OVERLAY_WORDS) {
    for (const d of dom) expect(d).not.toContain(w);
    expect(seen.filter((b) => b.includes(w))).toEqual([]);
  }
  expect(seen.length).toBeGreaterThan(3);
});
