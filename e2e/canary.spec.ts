import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { createFirstAdmin, screenshot, signIn } from "./support/admin.ts";
import { type Stack, startStack } from "./support/stack.ts";

let stack: Stack;
let canaryHits = 0;
/** The canary pool's one target: a real server beside the demo upstream, counting what reaches it. */
const canaryServer = createServer((_req, res) => {
  canaryHits++;
  res.end("canary");
});

test.beforeAll(async () => {
  stack = await startStack();
  await createFirstAdmin(stack);
  await new Promise<void>((resolve) => canaryServer.listen(0, "127.0.0.1", resolve));
});
test.afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => canaryServer.close(resolve));
});

test("[CANARY] the slider sets the canary's share, traffic splits, and the chart compares both pools", async ({
  page,
}) => {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));

  const demo = (await stack.api("GET", "/apis?name=Demo")).json.data[0];
  const { port } = canaryServer.address() as AddressInfo;
  const canary = await stack.api("POST", "/upstreams", {
    name: "canary",
    targets: [{ url: `http://127.0.0.1:${port}` }],
  });
  expect(canary.status).toBe(201);
  const policy = await stack.api("POST", "/policies", {
    type: "traffic-split",
    apiId: demo.id,
    config: { upstreamId: canary.json.id, percent: 0 },
  });
  expect(policy.status).toBe(201);

  await signIn(page, stack);
  await page.goto(`${stack.consoleUrl}/apis/${demo.id}`);
  const panel = page.getByRole("region", { name: "Canary" });
  const slider = panel.getByRole("slider", { name: "Share sent to the canary" });
  await expect(slider).toHaveValue("0");
  await slider.focus();
  for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowRight");
  await expect(slider).toHaveValue("10");
  await expect(panel.getByText("10%", { exact: true })).toBeVisible();
  await expect(panel.getByText("Saved", { exact: true })).toBeVisible();
  await expect.poll(async () => (await stack.api("GET", `/policies/${policy.json.id}`)).json.config.percent).toBe(10);

  // At 10% of 400 requests, none reaching the canary has odds of 0.9^400, about 5e-19.
  const answers = new Map<string, number>();
  for (let sent = 0; sent < 400; sent += 20) {
    const batch = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const response = await fetch(`${stack.proxyUrl}/demo/hello`);
        expect(response.status).toBe(200);
        return (await response.text()) === "canary" ? "canary" : "main";
      }),
    );
    for (const side of batch) answers.set(side, (answers.get(side) ?? 0) + 1);
  }
  expect(answers.get("canary")).toBe(canaryHits);
  expect(canaryHits).toBeGreaterThan(0);
  expect(answers.get("main")).toBeGreaterThan(canaryHits);

  const totals = panel.getByRole("table", { name: "Pools over the last 15 minutes" });
  const requestsOf = (label: RegExp) => totals.getByRole("row").filter({ hasText: label }).getByRole("cell").first();
  await expect(requestsOf(/^main/)).toHaveText(String(answers.get("main")));
  await expect(requestsOf(/^canary/)).toHaveText(String(canaryHits));
  for (const chart of ["5xx rate", "p95 latency"]) {
    await expect(
      panel.getByRole("img", { name: new RegExp(`^${chart} of the main pool and the canary`) }),
    ).toBeVisible();
  }
  await expect(panel.locator(".recharts-legend-item-text", { hasText: "canary (canary)" })).toHaveCount(2);
  await expect(panel.locator(".recharts-legend-item-text", { hasText: /^main/ })).toHaveCount(2);
  await screenshot(page, "canary");
  expect(problems).toEqual([]);
});
