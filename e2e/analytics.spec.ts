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

/**
 * Exactly `count` answered requests with a key. Until the gateway knows a new key it answers
 * 401 key_invalid, and such a request has no consumer, so it is not counted as the consumer's.
 */
async function sendAccepted(key: string, count: number) {
  let accepted = 0;
  for (let attempt = 0; accepted < count && attempt < 100; attempt++) {
    const response = await fetch(`${stack.proxyUrl}/demo/hello`, { headers: { "x-api-key": key } });
    await response.arrayBuffer();
    if (response.status === 200) accepted++;
    else if (accepted > 0) throw new Error(`a known key was refused with ${response.status}`);
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(accepted).toBe(count);
}

/** The gateway writes each second's counts once that second is over; wait for them instead of sleeping. */
async function usageCount(consumerId: string): Promise<number> {
  const { json } = await stack.api("GET", `/analytics/usage?consumerId=${consumerId}&from=${Date.now() - 3_600_000}`);
  return (json.byApi as { requests: number }[]).reduce((sum, row) => sum + row.requests, 0);
}

test("[ANALYTICS] each consumer's requests show on its usage page and in the overview's top consumers", async ({
  page,
}) => {
  // Charts draw under the console's strict CSP: nothing may be refused or thrown on the way.
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));

  // The demo API behind key auth, and two consumers with a key each, through the Admin API.
  const demo = (await stack.api("GET", "/apis?name=Demo")).json.data[0];
  expect((await stack.api("POST", "/policies", { type: "key-auth", apiId: demo.id })).status).toBe(201);
  const consumers: Record<string, { id: string; key: string; sent: number }> = {};
  for (const [name, sent] of [
    ["acme", 7],
    ["globex", 3],
  ] as const) {
    const consumer = (await stack.api("POST", "/consumers", { name })).json;
    const issued = (await stack.api("POST", `/consumers/${consumer.id}/keys`, { name: "ci" })).json;
    consumers[name] = { id: consumer.id, key: issued.key, sent };
  }

  for (const consumer of Object.values(consumers)) await sendAccepted(consumer.key, consumer.sent);
  for (const consumer of Object.values(consumers)) {
    await expect.poll(() => usageCount(consumer.id), { timeout: 10_000 }).toBe(consumer.sent);
  }

  await signIn(page, stack);

  // Each consumer's page: its requests to the demo API, exactly, and the same in the CSV export.
  for (const [name, consumer] of Object.entries(consumers)) {
    await page.goto(`${stack.consoleUrl}/consumers/${consumer.id}`);
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
    const byApi = page.getByRole("region", { name: "Usage by API" });
    const row = byApi.getByRole("row").filter({ hasText: "Demo" });
    await expect(row.getByRole("cell").nth(1)).toHaveText(String(consumer.sent));
    await expect(page.getByRole("img", { name: /^Requests per minute/ })).toBeVisible();

    const href = (await page.getByRole("link", { name: "Export CSV" }).getAttribute("href")) as string;
    const csv = await page.request.get(new URL(href, stack.consoleUrl).href);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toContain(`,${demo.id},Demo,${consumer.sent},`);
    await screenshot(page, `usage-${name}`);
  }

  // The overview: both consumers among the top consumers, linked to their pages.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  await expect(page).toHaveURL(/\/overview$/);
  const top = page.getByRole("region", { name: "Top consumers" });
  for (const [name, consumer] of Object.entries(consumers)) {
    const row = top.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
    await expect(row.getByRole("cell").nth(1)).toHaveText(String(consumer.sent));
  }
  await expect(page.getByRole("region", { name: "Top APIs" }).getByRole("link", { name: "Demo" })).toBeVisible();
  await screenshot(page, "overview");

  await top.getByRole("link", { name: "acme", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/consumers/${consumers.acme?.id}$`));

  // The request log tails the gateway's memory: the same requests, filtered by the consumer's name.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Request log" }).click();
  await page.getByLabel("Consumer", { exact: true }).fill("globex");
  await expect(page.getByRole("row").filter({ hasText: "/demo/hello" })).toHaveCount(consumers.globex?.sent as number);
  await screenshot(page, "request-log");
  expect(problems).toEqual([]);
});
