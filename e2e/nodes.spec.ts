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

/** What a data-plane node says after applying a revision: the ack of the node protocol, with its identity headers. */
async function ackAsNode(token: string, revision: number) {
  const response = await fetch(`${stack.consoleUrl}/api/v1/node/ack`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      "gatehouse-node-id": "node-eu-1",
      "gatehouse-node-name": "eu-1",
      "gatehouse-node-address": "10.0.0.7:8080",
      "gatehouse-node-version": "0.0.0",
    },
    body: JSON.stringify({ revision }),
  });
  return response.status;
}

test("[NODES] with no node yet, the Nodes page says how to run one", async ({ page }) => {
  await signIn(page, stack);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("link", { name: "Manage nodes" }).click();
  await expect(page).toHaveURL(/\/settings\/nodes$/);

  const nodes = page.getByRole("region", { name: "Nodes" });
  await expect(nodes.getByRole("heading", { name: "No nodes yet" })).toBeVisible();
  await expect(nodes.getByText("npm install", { exact: true })).toBeVisible();
  await expect(nodes.getByTestId("node-command")).toHaveText(
    `GATEHOUSE_CONTROL_PLANE_URL=${stack.consoleUrl} GATEHOUSE_NODE_TOKEN=<token> npm run gateway`,
  );
  await screenshot(page, "nodes-empty");
});

test("[NODES] create a node token, shown once and listed; a node follows with it; revoke it", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.consoleUrl });
  await signIn(page, stack);
  await page.goto(`${stack.consoleUrl}/settings/nodes`);

  // A bad name is refused beside the field; nothing is created.
  await page.getByRole("button", { name: "New node token" }).click();
  const dialog = page.getByRole("dialog", { name: "New node token" });
  await dialog.getByLabel("Name").fill("eu west!");
  await dialog.getByRole("button", { name: "Create token" }).click();
  await expect(dialog.getByText("Use letters, digits, spaces, dots, dashes and underscores")).toBeVisible();
  expect((await stack.api("GET", "/nodes/tokens")).json.data).toEqual([]);

  // Created: the token once, copied, and the command with it filled in.
  await dialog.getByLabel("Name").fill("eu-west");
  await dialog.getByRole("button", { name: "Create token" }).click();
  const shown = dialog.getByTestId("issued-node-token");
  await expect(shown).toHaveText(/^ghn_[\w-]{32}$/);
  const token = (await shown.textContent()) as string;
  await expect(dialog.getByTestId("node-command")).toHaveText(
    `GATEHOUSE_CONTROL_PLANE_URL=${stack.consoleUrl} GATEHOUSE_NODE_TOKEN=${token} npm run gateway`,
  );
  await dialog.getByRole("button", { name: "Copy" }).first().click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await screenshot(page, "node-token-issued");
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByText(token)).toHaveCount(0);

  const tokens = page.getByRole("region", { name: "Node tokens" });
  const row = tokens.getByRole("row").filter({ hasText: "eu-west" });
  await expect(row.getByText(`${token.slice(0, 10)}…`)).toBeVisible();

  // A node that follows with the token shows in the table within a refresh.
  const { revision } = (await stack.api("GET", "/nodes")).json;
  expect(await ackAsNode(token, revision)).toBe(204);
  const node = page.getByRole("region", { name: "Nodes" }).getByRole("row").filter({ hasText: "eu-1" });
  await expect(node.getByText("10.0.0.7:8080")).toBeVisible();
  await expect(node.getByText(`${revision} (current)`)).toBeVisible();
  await expect(node.getByText("live", { exact: true })).toBeVisible();
  await screenshot(page, "nodes-one-live");

  // Revoked after a confirmation that says what the nodes keep: the list marks it, and the node is refused.
  await row.getByRole("button", { name: "Revoke" }).click();
  const confirm = page.getByRole("dialog", { name: "Revoke node token eu-west?" });
  await expect(confirm).toContainText("keep serving the config they have");
  await confirm.getByRole("button", { name: "Revoke token" }).click();
  await expect(row.getByText("revoked")).toBeVisible();
  await expect(row.getByRole("button", { name: "Revoke" })).toHaveCount(0);
  expect(await ackAsNode(token, revision)).toBe(401);
  await screenshot(page, "node-token-revoked");
});
