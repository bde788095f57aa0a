import { readFileSync } from "node:fs";
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

async function gatewayStatus(path: string): Promise<number> {
  const response = await fetch(`${stack.proxyUrl}${path}`);
  await response.arrayBuffer();
  return response.status;
}

/** The gateway follows a saved change within a second; bounded, so a gateway that never does fails the test. */
async function gatewayAnswers(path: string, status: number) {
  await expect.poll(() => gatewayStatus(path), { timeout: 15_000, intervals: [100, 250, 500] }).toBe(status);
}

const nav = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }).click();

test("[HISTORY] disable an API, read the change as a diff, roll back to the revision before it", async ({ page }) => {
  const created = await stack.api("POST", "/apis", {
    name: "Ledger",
    upstream: { targets: [{ url: stack.demoUrl }] },
    routes: [{ paths: ["/ledger"] }],
  });
  expect(created.status).toBe(201);
  await gatewayAnswers("/ledger/1", 200);

  await signIn(page, stack);
  const toggle = page.getByRole("switch", { name: "Ledger enabled" });
  await toggle.click();
  await expect(page.getByText("Live on gateway")).toBeVisible();
  await gatewayAnswers("/ledger/1", 503);

  // From the API's page to its history: the disable (newest, from the console) over the create.
  await page.getByRole("link", { name: "Ledger", exact: true }).click();
  await page.getByRole("main").getByRole("link", { name: "History", exact: true }).click();
  await expect(page).toHaveURL(/\/history\?kind=api&objectId=api_/);
  const rows = page.getByRole("row").filter({ has: page.getByRole("link", { name: /^Revision \d+$/ }) });
  await expect(rows).toHaveCount(2);
  await expect(rows.first().getByText("console", { exact: true })).toBeVisible();
  await screenshot(page, "history");

  await rows
    .first()
    .getByRole("link", { name: /^Revision \d+$/ })
    .click();
  const diff = page.getByRole("table", { name: "Diff of Ledger" });
  await expect(diff.getByRole("row").filter({ hasText: "removed: enabled: true" })).toBeVisible();
  await expect(diff.getByRole("row").filter({ hasText: "added: enabled: false" })).toBeVisible();
  await screenshot(page, "revision-diff");

  await page.goBack();
  const before = await rows
    .nth(1)
    .getByRole("link", { name: /^Revision \d+$/ })
    .textContent();
  const beforeNumber = Number(before?.replace("Revision ", ""));
  await rows
    .nth(1)
    .getByRole("link", { name: /^Revision \d+$/ })
    .click();
  await page.getByRole("button", { name: "Roll back to this revision" }).click();
  const dialog = page.getByRole("dialog", { name: `Roll back to revision ${beforeNumber}?` });
  await expect(dialog.getByText("This will create 0, update 1, delete 0.")).toBeVisible();
  await expect(dialog.getByRole("row").filter({ hasText: "Ledger" })).toContainText("enabled");
  await screenshot(page, "rollback-preview");
  await dialog.getByRole("button", { name: "Roll back", exact: true }).click();
  await expect(page.getByText(new RegExp(`^Rolled back to revision ${beforeNumber} as revision \\d+$`))).toBeVisible();
  await gatewayAnswers("/ledger/1", 200);

  // The APIs list read before the rollback is refreshed, not served from the cache.
  await nav(page, "APIs");
  await expect(page.getByRole("switch", { name: "Ledger enabled" })).toHaveAttribute("aria-checked", "true");
  await nav(page, "History");
  await expect(page.getByRole("row").nth(1).getByText("rollback", { exact: true })).toBeVisible();
});

const IMPORTED = () => `version: 1
upstreams:
  - name: imported-pool
    targets:
      - url: ${stack.demoUrl}
apis:
  - name: Imported
    upstream: imported-pool
    routes:
      - paths:
          - /imported
`;

test("[IMPORT] export the config, import a file that adds an API: preview, apply, see it served", async ({ page }) => {
  await signIn(page, stack);
  await nav(page, "Settings");
  await page.getByRole("link", { name: "Export or import" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Config file" })).toBeVisible();

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download config" }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toBe("gatehouse.yaml");
  expect(readFileSync(await saved.path(), "utf8")).toMatch(/^version: 1$[\s\S]*name: Ledger/m);

  // A bad path is refused with its field path and the line it is on; nothing is previewed.
  await page.getByLabel("Or paste the file").fill(IMPORTED().replace("- /imported", "- imported"));
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByRole("alert").getByText("apis.0.routes.0.paths.0")).toBeVisible();
  await expect(page.getByRole("alert").getByText("(line 11)")).toBeVisible();
  await screenshot(page, "import-errors");

  await page.getByLabel("Config file (YAML or JSON)").setInputFiles({
    name: "gatehouse.yaml",
    mimeType: "application/yaml",
    buffer: Buffer.from(IMPORTED()),
  });
  await page.getByLabel("Delete what the file leaves out").uncheck();
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByText(/^Applying this file will create 2, update 0, delete 0\.$/)).toBeVisible();
  const importedRow = page.getByRole("row").filter({ has: page.getByRole("cell", { name: "Imported", exact: true }) });
  await expect(importedRow).toContainText("create");

  // Someone saves in between: the apply is refused, and a new preview makes it possible again.
  const ledger = await stack.api("GET", "/apis?name=Ledger");
  expect((await stack.api("PATCH", `/apis/${ledger.json.data[0].id}`, { description: "moved on" })).status).toBe(200);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("The config changed since the preview.")).toBeVisible();
  await page.getByRole("button", { name: "Preview again" }).click();
  await expect(page.getByText(/^Applying this file will create 2/)).toBeVisible();
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText(/^Applied as revision \d+ \(2 objects changed\)$/)).toBeVisible();
  await screenshot(page, "import-applied");
  await gatewayAnswers("/imported/x", 200);

  await nav(page, "APIs");
  await expect(page.getByRole("link", { name: "Imported", exact: true })).toBeVisible();
  await expect(page.getByRole("switch", { name: "Ledger enabled" })).toHaveAttribute("aria-checked", "true");
});

test("[HISTORY] Load older reads the page below the last revision shown; the kind filter narrows the list", async ({
  page,
}) => {
  const pool = await stack.api("POST", "/upstreams", { name: "busy-pool", targets: [{ url: stack.demoUrl }] });
  expect(pool.status).toBe(201);
  const ledger = await stack.api("GET", "/apis?name=Ledger");
  for (let i = 0; i < 50; i++) {
    const saved = await stack.api("PATCH", `/apis/${ledger.json.data[0].id}`, { description: `edit ${i}` });
    expect(saved.status).toBe(200);
  }
  const revisionLinks = page.getByRole("link", { name: /^Revision \d+$/ });
  const numbers = async () => (await revisionLinks.allTextContents()).map((text) => Number(text.slice(9)));

  await signIn(page, stack);
  await nav(page, "History");
  await expect(revisionLinks).toHaveCount(50);
  await page.getByRole("button", { name: "Load older" }).click();
  await expect.poll(async () => (await numbers()).length).toBeGreaterThan(50);
  const all = await numbers();
  expect(all).toEqual([...all].sort((a, b) => b - a));
  expect(new Set(all).size).toBe(all.length);
  expect(all.at(-1)).toBe(1);
  await expect(page.getByRole("button", { name: "Load older" })).toHaveCount(0);

  await page.getByLabel("Kind").selectOption("upstream");
  await expect(page).toHaveURL(/\/history\?kind=upstream$/);
  await expect(page.getByRole("row").filter({ hasText: "busy-pool" })).toHaveCount(1);
  for (const row of await page.getByRole("row").filter({ has: revisionLinks }).all()) {
    await expect(row).toContainText("Upstream");
  }
});

test("[OPENAPI] paste a document, preview the routes it makes, import it, and the gateway serves them", async ({
  page,
}) => {
  const document = [
    "openapi: 3.0.3",
    'info: { title: Library, version: "1" }',
    `servers: [{ url: "${stack.demoUrl}/library" }]`,
    "paths:",
    "  /books:",
    '    get: { operationId: listBooks, responses: { "200": { description: ok } } }',
    "  /books/{bookId}:",
    "    get:",
    "      operationId: getBook",
    "      parameters: [{ name: bookId, in: path, required: true, schema: { type: integer } }]",
    '      responses: { "200": { description: ok } }',
  ].join("\n");
  await signIn(page, stack);
  await nav(page, "APIs");
  await page.getByRole("link", { name: "Import from OpenAPI" }).click();
  await page.getByLabel("Or paste the document").fill(document);
  await page.getByRole("button", { name: "Preview" }).click();
  const preview = page.getByRole("row").filter({ hasText: "GET /books/:bookId" });
  await expect(preview.getByText("create")).toBeVisible();
  expect(await gatewayStatus("/books/7")).toBe(404);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page).toHaveURL(/\/apis\/api_/);
  await gatewayAnswers("/books/7", 200);
  const echoed = (await (await fetch(`${stack.proxyUrl}/books/7`)).json()) as { path: string };
  expect(echoed.path).toBe("/library/books/7");
});
