import { expect, test } from "@playwright/test";
import { createFirstAdmin, screenshot, signIn } from "./support/admin.ts";
import { type Stack, startStack } from "./support/stack.ts";

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack();
  await createFirstAdmin(stack);
});
test.afterAll(async () => {
  await stack?.stop();
});

/** The demo API through the gateway, with or without a key. */
async function callDemo(key?: string) {
  const response = await fetch(`${stack.proxyUrl}/demo/hello`, { headers: key ? { "x-api-key": key } : {} });
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: body.error?.code, headers: response.headers };
}

/** The gateway applies a saved change within milliseconds; poll briefly instead of sleeping. */
async function eventually(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 50; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("[KEYS] protect an API, issue a key to a consumer, call with it, hit its limit, revoke it", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.consoleUrl });
  await signIn(page, stack);

  // Key auth and a rate limit on the demo API, by pointing and clicking.
  await page.getByRole("link", { name: "Demo" }).click();
  const policies = page.getByRole("region", { name: "Policies" });
  await policies.getByRole("button", { name: "Add policy" }).click();
  await policies.getByLabel("Policy", { exact: true }).selectOption({ label: "Key auth" });
  await policies.getByRole("button", { name: "Add policy" }).click();
  await expect(policies.getByRole("switch", { name: "Key auth enabled" })).toBeChecked();
  await policies.getByRole("button", { name: "Add policy" }).click();
  await policies.getByLabel("Policy", { exact: true }).selectOption({ label: "Rate limit" });
  await policies.getByLabel("Per minute").fill("3");
  await policies.getByRole("button", { name: "Add policy" }).click();
  await expect(policies.getByRole("switch", { name: "Rate limit enabled" })).toBeChecked();
  await screenshot(page, "api-policies");
  await eventually(async () => (await callDemo()).status === 401, "key auth to be enforced");
  expect((await callDemo()).code).toBe("key_missing");

  // A consumer and a key, shown once, copied.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Consumers" }).click();
  await page.getByRole("button", { name: "New consumer" }).click();
  await page.getByLabel("Name").fill("acme");
  await page.getByRole("button", { name: "Create consumer" }).click();
  await expect(page).toHaveURL(/\/consumers\/con_/);
  await page.getByRole("button", { name: "Issue key" }).click();
  const dialog = page.getByRole("dialog", { name: "Issue an API key" });
  await dialog.getByLabel("Name").fill("ci");
  await dialog.getByRole("button", { name: "Issue key" }).click();
  const shown = dialog.getByTestId("issued-key");
  await expect(shown).toHaveText(/^ghk_[0-9A-Za-z]{30}$/);
  const key = (await shown.textContent()) as string;
  await dialog.getByRole("button", { name: "Copy" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await screenshot(page, "issued-key");
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("issued-key")).toHaveCount(0);
  await expect(page.getByText(key)).toHaveCount(0);

  // With the key: 200 and the limit's headers; without: 401; past the limit: 429.
  await eventually(async () => (await callDemo(key)).status === 200, "the new key to be accepted");
  const limited = await callDemo(key);
  expect(limited.headers.get("ratelimit-limit")).toBe("3");
  expect((await callDemo()).status).toBe(401);
  let last = await callDemo(key);
  for (let i = 0; i < 5 && last.status === 200; i++) last = await callDemo(key);
  expect(last.status).toBe(429);
  expect(last.code).toBe("rate_limited");
  expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);

  // Revoked: refused at once, and the key list says so.
  const row = page.getByRole("row").filter({ hasText: "ci" });
  await row.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(row.getByText("revoked")).toBeVisible();
  await eventually(async () => (await callDemo(key)).code === "key_revoked", "the revoked key to be refused");
  await screenshot(page, "revoked-key");
});
