import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { createEchoServer } from "../apps/demo-upstream/src/echo-server.ts";
import { createFirstAdmin, screenshot, signIn } from "./support/admin.ts";
import { type Stack, startStack } from "./support/stack.ts";

let stack: Stack;
const servers: Server[] = [];

test.beforeAll(async () => {
  stack = await startStack();
  await createFirstAdmin(stack);
});
test.afterAll(async () => {
  for (const server of servers) server.close();
  await stack?.stop();
});

async function listen(server: Server, port = 0): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

async function stopServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

test("[UPSTREAMS] the console shows a target go down and come back while traffic keeps flowing", async ({ page }) => {
  const first = createEchoServer();
  const firstPort = await listen(first);
  const secondPort = await listen(createEchoServer());
  const created = await stack.api("POST", "/apis", {
    name: "Resilient",
    upstream: {
      name: "resilient-pool",
      targets: [{ url: `http://127.0.0.1:${firstPort}` }, { url: `http://127.0.0.1:${secondPort}` }],
      healthChecks: {
        active: { enabled: true, path: "/", intervalMs: 300, healthyThreshold: 2, unhealthyThreshold: 2 },
      },
    },
    routes: [{ paths: ["/resilient"] }],
  });
  expect(created.status).toBe(201);

  await signIn(page, stack);
  await page.goto(`${stack.consoleUrl}/upstreams/${created.json.upstreamId}`);
  const firstRow = page.getByRole("row", { name: new RegExp(`127\\.0\\.0\\.1:${firstPort}`) });
  const secondRow = page.getByRole("row", { name: new RegExp(`127\\.0\\.0\\.1:${secondPort}`) });
  await expect(firstRow.getByText("Healthy")).toBeVisible();
  await expect(secondRow.getByText("Healthy")).toBeVisible();

  await stopServer(first);
  await expect(firstRow.getByText("Down")).toBeVisible();
  await expect(secondRow.getByText("Healthy")).toBeVisible();
  await expect(page.getByRole("table", { name: "Health events" }).getByText("unhealthy").first()).toBeVisible();
  await screenshot(page, "upstream-target-down");
  for (let i = 0; i < 10; i++) {
    expect((await fetch(`${stack.proxyUrl}/resilient/ping`)).status).toBe(200);
  }

  await listen(createEchoServer(), firstPort);
  await expect(firstRow.getByText("Healthy")).toBeVisible();
  await screenshot(page, "upstream-target-back");

  await page.getByLabel("Balancing").selectOption("least-connections");
  await page.getByLabel("Retries").fill("11");
  await page.getByRole("button", { name: "Save pool settings" }).click();
  await expect(page.getByText("At most 10 retries")).toBeVisible();
  await page.getByLabel("Retries").fill("2");
  await page.getByRole("button", { name: "Save pool settings" }).click();
  await expect(page.getByText("Live on gateway")).toBeVisible();
  const saved = await stack.api("GET", `/upstreams/${created.json.upstreamId}`);
  expect(saved.json).toMatchObject({ algorithm: "least-connections", retries: 2 });
  expect((await fetch(`${stack.proxyUrl}/resilient/ping`)).status).toBe(200);
});
