import { defineConfig } from "@playwright/test";

// End-to-end journeys against a real `netvet serve` on a fresh SQLite file
// (e2e/setup.ts starts it), in Debian's chromium: Playwright's own browser
// download is never used (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1, executablePath).
export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/setup.ts",
  timeout: 120_000, // a loaded 2-core machine (CI beside nothing, a developer beside builds)
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: process.env.NETVET_E2E_OUT ? `${process.env.NETVET_E2E_OUT}/results` : "test-results",
  use: {
    headless: true,
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath: process.env.NETVET_CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-dev-shm-usage"],
    },
    trace: "off",
  },
});
