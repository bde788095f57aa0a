import { expect, type Page, test } from "@playwright/test";
import { createFirstAdmin, signIn } from "./support/admin.ts";
import { type Stack, startStack } from "./support/stack.ts";

let stack: Stack;
const ids = { api: "", upstream: "", consumer: "" };

test.beforeAll(async () => {
  stack = await startStack();
  await createFirstAdmin(stack);
  const demo = (await stack.api("GET", "/apis")).json.data.find((api: { name: string }) => api.name === "Demo");
  ids.api = demo.id;
  ids.upstream = demo.upstreamId;
  const consumer = await stack.api("POST", "/consumers", { name: "acme-corporation-with-a-long-name" });
  ids.consumer = consumer.json.id;
  expect((await stack.api("POST", `/consumers/${ids.consumer}/keys`, { name: "mobile" })).status).toBe(201);
  expect((await stack.api("POST", "/plans", { name: "starter", limits: { minute: 60 } })).status).toBe(201);
  // Rows for the request log, the charts and the top tables.
  for (let i = 0; i < 5; i++) await fetch(`${stack.proxyUrl}/demo/hello/${i}?q=${"x".repeat(60)}`);
});
test.afterAll(async () => {
  await stack?.stop();
});

/** Everything the page draws has arrived: its heading, and no loading placeholder left. */
async function settled(page: Page) {
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator(".loading-state, .skeleton")).toHaveCount(0);
}

/** The page's width, and when it is wider than the screen, the outermost elements that stick out. */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.scrollWidth;
    const viewport = window.innerWidth;
    if (width <= viewport) return { width, viewport };
    const out = [...document.body.querySelectorAll("*")].filter(
      (el) =>
        el.getBoundingClientRect().right > viewport + 0.5 &&
        // What a card scrolls is not the page's; what is positioned may escape the card.
        (!el.parentElement?.closest(".section") || /absolute|fixed/.test(getComputedStyle(el).position)),
    );
    const outermost = out.filter((el) => !out.includes(el.parentElement as Element));
    return { width, viewport, outermost: outermost.slice(0, 5).map((el) => el.outerHTML.slice(0, 200)) };
  });

test("[SHELL] every console page fits a 390 px wide screen; the navigation is a menu", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, stack);
  const pages = [
    "/overview",
    "/apis",
    "/apis/new",
    `/apis/${ids.api}`,
    `/apis/${ids.api}?tab=analytics`,
    "/consumers",
    `/consumers/${ids.consumer}`,
    "/plans",
    "/upstreams",
    `/upstreams/${ids.upstream}`,
    "/requests",
    "/analytics",
    "/settings",
    "/settings/nodes",
  ];
  for (const path of pages) {
    await page.goto(`${stack.consoleUrl}${path}`);
    await settled(page);
    const name = path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "");
    await page.screenshot({ path: test.info().outputPath(`390-${name}.png`), fullPage: true });
    expect.soft(await overflow(page), path).toEqual({ width: 390, viewport: 390 });
  }

  // The key table is wider than the screen: it scrolls inside its card.
  await page.goto(`${stack.consoleUrl}/consumers/${ids.consumer}`);
  const keys = page.getByRole("region", { name: "API keys" });
  await expect(keys.getByRole("cell", { name: "mobile" })).toBeVisible();
  const card = await keys.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(card.scroll).toBeGreaterThan(card.client);

  // The menu: closed at first, opened by its button, closed by going somewhere.
  const menu = page.getByRole("button", { name: "Menu" });
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav.getByRole("link", { name: "Plans" })).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await page.screenshot({ path: test.info().outputPath("390-menu-open.png") });
  expect(await overflow(page)).toEqual({ width: 390, viewport: 390 });
  await nav.getByRole("link", { name: "Plans" }).click();
  await expect(page).toHaveURL(/\/plans$/);
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav.getByRole("link", { name: "Plans" })).toBeHidden();

  // By keyboard: Enter opens it, Tab reaches the links, Escape closes it and returns to the button.
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("Tab");
  await expect(nav.getByRole("link", { name: "Overview" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(nav.getByRole("link", { name: "APIs" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/apis$/);
  await expect(menu).toHaveAttribute("aria-expanded", "false");

  // On a wide screen the navigation is a column and the button is gone.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(menu).toBeHidden();
  await expect(nav.getByRole("link", { name: "Plans" })).toBeVisible();
});

test("[SHELL] the favicon is served as an SVG and linked from every page", async ({ page }) => {
  await page.goto(`${stack.consoleUrl}/login`);
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toMatch(/^\/icon\.svg/);
  const response = await fetch(`${stack.consoleUrl}${href}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("image/svg+xml");
  expect(await response.text()).toContain("<svg");
});
