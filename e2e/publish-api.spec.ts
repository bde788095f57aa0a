import { expect, type Page, test } from "@playwright/test";
import { ADMIN, screenshot, signIn as signInAs } from "./support/admin.ts";
import { type Stack, startStack } from "./support/stack.ts";

let stack: Stack;

test.describe.configure({ mode: "serial" });
test.beforeAll(async () => {
  stack = await startStack();
});
test.afterAll(async () => {
  await stack?.stop();
});

async function gatewayStatus(path: string) {
  const response = await fetch(`${stack.proxyUrl}${path}`);
  const body = (await response.json()) as { path?: string; error?: { code: string } };
  return { status: response.status, body };
}

test("[SETUP] the one-time link creates the first admin, who can sign out and back in", async ({ page }) => {
  await page.goto(stack.setupLink);
  await screenshot(page, "setup");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("Confirm password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page).toHaveURL(/\/apis$/);
  await expect(page.getByRole("link", { name: "Demo" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That email and password do not match an admin.")).toBeVisible();
  await screenshot(page, "login");
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/apis$/);

  await page.goto(stack.setupLink);
  await expect(page).not.toHaveURL(/\/setup/);
});

test("[APIS] create an API by clicking, call it through the gateway, switch it off and on", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "New API" }).first().click();
  await expect(page).toHaveURL(/\/apis\/new$/);
  await page.getByRole("button", { name: "Create API" }).click();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await screenshot(page, "new-api-errors");

  await page.getByLabel("Name").fill("Orders");
  await page.getByLabel("Path 1").fill("/orders");
  await page.getByLabel("Target URL 1").fill(stack.demoUrl);
  await page.getByRole("button", { name: "Create API" }).click();
  await expect(page).toHaveURL(/\/apis\/api_/);
  await screenshot(page, "api-detail");

  await expect.poll(async () => (await gatewayStatus("/orders/42")).status).toBe(200);
  expect((await gatewayStatus("/orders/42")).body.path).toBe("/42");

  await page.goto(`${stack.consoleUrl}/apis`);
  const toggle = page.getByRole("switch", { name: "Orders enabled" });
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(page.getByText("Live on gateway")).toBeVisible();
  const off = await gatewayStatus("/orders/42");
  expect(off.status).toBe(503);
  expect(off.body.error?.code).toBe("api_disabled");
  await screenshot(page, "apis-disabled");

  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await expect(page.getByText("Live on gateway")).toBeVisible();
  expect((await gatewayStatus("/orders/42")).status).toBe(200);
});

test("[CONSOLE] every page renders under a strict CSP, with no errors", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  await signIn(page);
  const response = await page.goto(`${stack.consoleUrl}/settings`);
  expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(response?.headers()["x-frame-options"]).toBe("DENY");
  for (const path of [
    "/apis",
    "/apis/new",
    "/upstreams",
    "/consumers",
    "/plans",
    "/overview",
    "/requests",
    "/settings",
    "/settings/nodes",
    "/settings/config",
    "/history",
  ]) {
    await page.goto(`${stack.consoleUrl}${path}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await screenshot(page, path.slice(1).replaceAll("/", "-"));
  }
  await page.goto(`${stack.consoleUrl}/upstreams`);
  await page.getByRole("link", { name: "demo-echo" }).click();
  await expect(page).toHaveURL(/\/upstreams\/ups_/);
  await screenshot(page, "upstream-detail");
  expect(problems).toEqual([]);
});

function signIn(page: Page) {
  return signInAs(page, stack);
}
