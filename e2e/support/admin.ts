import { expect, type Page, test } from "@playwright/test";
import type { Stack } from "./stack.ts";

export const ADMIN = { email: "ops@example.com", password: "a long enough password" };

/** Creates the first admin through the setup link's token, as the console's setup page does. */
export async function createFirstAdmin(stack: Stack): Promise<void> {
  const token = new URL(stack.setupLink).searchParams.get("token");
  const response = await fetch(`${stack.consoleUrl}/api/v1/auth/setup`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.consoleUrl },
    body: JSON.stringify({ ...ADMIN, token }),
  });
  expect(response.status).toBe(201);
}

export async function signIn(page: Page, stack: Stack): Promise<void> {
  await page.goto(`${stack.consoleUrl}/login`);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/apis$/);
}

/** Keeps a full-page screenshot as a test artifact under test-results/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}
