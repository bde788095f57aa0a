import type { Server } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { expect, test } from "@playwright/test";
import { createEchoServer } from "../apps/demo-upstream/src/echo-server.ts";
import { createFirstAdmin, screenshot, signIn } from "./support/admin.ts";
import { type Stack, startStack } from "./support/stack.ts";

let stack: Stack;
let echo: Server;

test.beforeAll(async () => {
  stack = await startStack();
  await createFirstAdmin(stack);
});
test.afterAll(async () => {
  echo?.close();
  await stack?.stop();
});

/** A local port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test("[UPSTREAMS] a target refusing requests with checks off reads 'failing (N of M requests)'; a request's detail names what it matched", async ({
  page,
}) => {
  echo = createEchoServer();
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  const echoPort = (echo.address() as AddressInfo).port;
  const refusingPort = await closedPort();
  const created = await stack.api("POST", "/apis", {
    name: "Honest",
    upstream: {
      name: "honest-pool",
      targets: [{ url: `http://127.0.0.1:${echoPort}` }, { url: `http://127.0.0.1:${refusingPort}` }],
      healthChecks: { active: { enabled: false }, passive: { enabled: false } },
    },
    routes: [{ name: "everything", paths: ["/honest"] }],
  });
  expect(created.status).toBe(201);
  await expect.poll(async () => (await fetch(`${stack.proxyUrl}/honest/warm`)).status, { timeout: 15_000 }).toBe(200);
  for (let i = 0; i < 10; i++) expect((await fetch(`${stack.proxyUrl}/honest/${i}`)).status).toBe(200);
  expect((await fetch(`${stack.proxyUrl}/nowhere`)).status).toBe(404);

  await signIn(page, stack);
  await page.goto(`${stack.consoleUrl}/upstreams/${created.json.upstreamId}`);
  const refusingRow = page.getByRole("row", { name: new RegExp(`127\\.0\\.0\\.1:${refusingPort}`) });
  await expect(refusingRow.getByText(/^failing \(\d+ of \d+ requests\)$/)).toBeVisible();
  const echoRow = page.getByRole("row", { name: new RegExp(`127\\.0\\.0\\.1:${echoPort}`) });
  await expect(echoRow.getByText("Healthy")).toBeVisible();
  await expect(page.getByText("Active checks are off.")).toBeVisible();
  await screenshot(page, "upstream-target-failing");

  await page.goto(`${stack.consoleUrl}/requests`);
  await expect(page.getByText("Sampling: none.")).toBeVisible();
  await page.getByRole("button", { name: /^Details of GET \/nowhere/ }).click();
  const refused = page.getByRole("dialog");
  await expect(refused.getByText("no_route")).toBeVisible();
  await expect(refused.getByText("no route matched")).toBeVisible();
  await refused.getByRole("button", { name: "Close" }).click();

  await page.getByRole("button", { name: /^Details of GET \/honest\/9 / }).click();
  const answered = page.getByRole("dialog");
  await expect(answered.getByRole("link", { name: "Honest" })).toBeVisible();
  await expect(answered.getByText("everything")).toBeVisible();
  await expect(answered.getByText(`http://127.0.0.1:${echoPort}`)).toBeVisible();
  await screenshot(page, "request-detail");
});
