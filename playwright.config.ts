import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// Debian's Chromium where present (Playwright cannot download its own browser on our machines).
const systemChromium = "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  // A UI step's deadline, not a performance bound: on a shared 2-core host whose steal time makes
  // the whole suite run 2–3× slower for minutes at a time, 10 s failed a navigation that then took 13 s.
  expect: { timeout: 20_000 },
  retries: 0,
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      ...(existsSync(systemChromium) ? { executablePath: systemChromium } : {}),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
