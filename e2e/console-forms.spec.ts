import { expect, type Page, test } from "@playwright/test";
import { createFirstAdmin, screenshot, signIn } from "./support/admin.ts";
import { type Stack, startStack } from "./support/stack.ts";

let stack: Stack;

test.describe.configure({ mode: "serial" });
test.beforeAll(async () => {
  stack = await startStack();
  await createFirstAdmin(stack);
});
test.afterAll(async () => {
  await stack?.stop();
});

async function gateway(path: string, init?: RequestInit) {
  return (await fetch(`${stack.proxyUrl}${path}`, init)).status;
}

/** The text of the element an input's aria-describedby names first: its message. */
async function messageOf(page: Page, label: string) {
  const ids = (await page.getByLabel(label, { exact: true }).getAttribute("aria-describedby")) ?? "";
  return page.locator(`[id="${ids.split(" ")[0]}"]`);
}

test("[FORMS] a field the server names is highlighted, with its message beside it", async ({ page }) => {
  await signIn(page, stack);
  await page.goto(`${stack.consoleUrl}/apis/new`);
  // Valid in the browser; only the server knows the name is taken.
  await page.getByLabel("Name", { exact: true }).fill("Demo");
  await page.getByLabel("Path 1").fill("/demo-again");
  await page.getByLabel("Target URL 1").fill(stack.demoUrl);
  await page.getByRole("button", { name: "Create API" }).click();

  await expect(page.getByRole("alert").filter({ hasText: "The API was not created." })).toBeVisible();
  const name = page.getByLabel("Name", { exact: true });
  await expect(name).toHaveAttribute("aria-invalid", "true");
  const message = await messageOf(page, "Name");
  await expect(message).toHaveClass(/field-error/);
  await expect(message).not.toBeEmpty();
  await expect(name).toHaveCSS("border-top-color", await message.evaluate((el) => getComputedStyle(el).color));
  await screenshot(page, "server-named-field");

  await name.fill("Demo two");
  await expect(name).not.toHaveAttribute("aria-invalid", "true");
});

test("[UPSTREAMS] a pool created on the Upstreams page is picked in the New API form and lists its API", async ({
  page,
}) => {
  await signIn(page, stack);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Upstreams" }).click();
  await page.getByRole("button", { name: "New pool" }).first().click();
  await page.getByLabel("Name", { exact: true }).fill("shared-pool");
  await page.getByLabel("Target URL 1").fill(stack.demoUrl);
  await page.getByRole("button", { name: "Create pool" }).click();
  await expect(page).toHaveURL(/\/upstreams\/ups_/);
  const users = page.getByRole("region", { name: "APIs using this pool" });
  await expect(users.getByText("No API uses this pool")).toBeVisible();
  const poolUrl = page.url();

  await page.goto(`${stack.consoleUrl}/apis/new`);
  await page.getByLabel("Name", { exact: true }).fill("Pooled");
  await page.getByLabel("Path 1").fill("/pooled");
  await page.getByLabel("An existing pool").check();
  await expect(page.getByLabel("Target URL 1")).toHaveCount(0);
  await page.getByLabel("Pool", { exact: true }).selectOption({ label: "shared-pool (1 target)" });
  await page.getByRole("button", { name: "Create API" }).click();
  await expect(page).toHaveURL(/\/apis\/api_/);
  await expect(page.getByRole("link", { name: "shared-pool" })).toBeVisible();
  await expect.poll(() => gateway("/pooled/hello")).toBe(200);

  await page.goto(poolUrl);
  await expect(users.getByRole("link", { name: "Pooled" })).toBeVisible();
  await screenshot(page, "pool-with-api");
});

test("[POLICIES] a global policy is attached from Settings; fields for another choice stay hidden", async ({
  page,
}) => {
  await signIn(page, stack);
  await page.goto(`${stack.consoleUrl}/settings`);
  const global = page.getByRole("region", { name: "Global policies" });
  await global.getByRole("button", { name: "Add policy" }).click();

  await global.getByLabel("Policy", { exact: true }).selectOption({ label: "Rate limit" });
  await expect(global.getByLabel("Redis URL")).toHaveCount(0);
  await global.getByLabel("Store").selectOption("redis");
  await expect(global.getByLabel("Redis URL")).toBeVisible();

  await global.getByLabel("Policy", { exact: true }).selectOption({ label: "Request size limit" });
  await global.getByLabel("Largest body (bytes)").fill("10");
  await global.getByRole("button", { name: "Add policy" }).click();
  await expect(global.getByRole("switch", { name: "Request size limit enabled" })).toBeChecked();
  await expect(global.getByText("bodies up to 10 bytes")).toBeVisible();
  await screenshot(page, "global-policy");

  const post = { method: "POST", body: "x".repeat(100), headers: { "content-type": "text/plain" } };
  await expect.poll(() => gateway("/demo/hello", post)).toBe(413);
  expect(await gateway("/demo/hello")).toBe(200);
});
