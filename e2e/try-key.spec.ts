import { expect, test } from "@playwright/test";
import { createFirstAdmin, screenshot, signIn } from "./support/admin.ts";
import { type Stack, startStack } from "./support/stack.ts";

let stack: Stack;
const ids = { demo: "", demoRoute: "", open: "", consumer: "" };

test.beforeAll(async () => {
  stack = await startStack();
  await createFirstAdmin(stack);
  const demo = (await stack.api("GET", "/apis")).json.data.find((api: { name: string }) => api.name === "Demo");
  ids.demo = demo.id;
  ids.demoRoute = demo.routes[0].id;
  // "Open" sorts first and has no key auth: a key may call it, but it would never look at the key.
  const open = await stack.api("POST", "/apis", {
    name: "Alpha open",
    upstream: { targets: [{ url: stack.demoUrl }] },
    routes: [{ paths: ["/open"] }],
  });
  expect(open.status).toBe(201);
  ids.open = open.json.id;
  const keyAuth = await stack.api("POST", "/policies", {
    type: "key-auth",
    apiId: ids.demo,
    config: { header: "x-demo-key" },
  });
  expect(keyAuth.status).toBe(201);
  ids.consumer = (await stack.api("POST", "/consumers", { name: "acme" })).json.id;
});
test.afterAll(async () => {
  await stack?.stop();
});

test("[KEYS] Try it calls an API the key can reach, with its key-auth header, and shows the answer", async ({
  page,
}) => {
  await signIn(page, stack);
  await page.goto(`${stack.consoleUrl}/consumers/${ids.consumer}`);

  // Scoped to the API without key auth: nothing to try.
  await page.getByRole("button", { name: "Issue key" }).click();
  let dialog = page.getByRole("dialog", { name: "Issue an API key" });
  await dialog.getByLabel("Name").fill("open-only");
  await dialog.getByLabel("Alpha open").check();
  await dialog.getByRole("button", { name: "Issue key" }).click();
  await expect(dialog.getByTestId("try-key-none")).toContainText("None of the APIs this key may call has key auth");
  await dialog.getByRole("button", { name: "Done" }).click();

  // Unscoped: Try it skips "Alpha open" for Demo, whose key-auth reads x-demo-key.
  await page.getByRole("button", { name: "Issue key" }).click();
  dialog = page.getByRole("dialog", { name: "Issue an API key" });
  await dialog.getByLabel("Name").fill("ci");
  await dialog.getByRole("button", { name: "Issue key" }).click();
  const key = (await dialog.getByTestId("issued-key").textContent()) as string;
  const curl = dialog.getByTestId("issued-key-curl");
  await expect(curl).toHaveText(
    `curl -H 'x-demo-key: ${key}' ${stack.proxyUrl.replace("127.0.0.1", "localhost")}/demo`,
  );
  const answer = dialog.getByTestId("try-key-answer");
  // The gateway takes the new key within milliseconds; until then it answers 401.
  await expect(async () => {
    await dialog.getByRole("button", { name: "Send" }).click();
    await expect(answer.locator(".badge")).toHaveText("200", { timeout: 2000 });
  }).toPass();
  await expect(answer).toContainText('"method": "GET"');
  await screenshot(page, "try-key-answer");
  await dialog.getByRole("button", { name: "Done" }).click();

  // The call shows in the key's "Last used" without a reload.
  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: "ci", exact: true }) });
  const lastUsed = row.getByRole("cell").nth(5);
  await expect(lastUsed).not.toHaveText("—", { timeout: 10_000 });
  await expect(page.getByRole("row").filter({ hasText: "open-only" }).getByRole("cell").nth(5)).toHaveText("—");

  // The API page's curl line asks for a key in that header; a route's own key-auth wins over the API's.
  await page.goto(`${stack.consoleUrl}/apis/${ids.demo}`);
  const command = page.getByTestId("curl-command");
  await expect(command).toContainText("-H 'x-demo-key: <your-api-key>'");
  const routeKeyAuth = await stack.api("POST", "/policies", {
    type: "key-auth",
    routeId: ids.demoRoute,
    config: { header: "x-route-key" },
  });
  expect(routeKeyAuth.status).toBe(201);
  await page.reload();
  await expect(command).toContainText("-H 'x-route-key: <your-api-key>'");
  await page.goto(`${stack.consoleUrl}/apis/${ids.open}`);
  await expect(command).toHaveText(`curl ${stack.proxyUrl.replace("127.0.0.1", "localhost")}/open`);
});
