import { afterEach, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";

let h: AdminApiHarness;
afterEach(() => h.close());

test("[UPSTREAM-TLS] a pool's version saved before pools had TLS settings reads as verified, not as a change", async () => {
  h = startAdminApi();
  const pool = await h.call("POST", "/upstreams", { name: "legacy", targets: [{ url: "https://127.0.0.1:9443" }] });
  expect(pool.status).toBe(201);
  const { revision } = (await h.call("GET", "/revision")).json;
  // As a release before 0006_upstream_tls wrote it.
  h.db.$client.exec(
    "UPDATE config_versions SET rows = json_remove(rows, '$.upstream.tls') WHERE kind = 'upstream' AND rows IS NOT NULL",
  );
  expect(h.db.$client.prepare("SELECT rows FROM config_versions WHERE kind = 'upstream'").pluck().get()).not.toContain(
    "tls",
  );
  const shown = await h.call("GET", `/revisions/${revision}`);
  expect(shown.status, shown.text).toBe(200);
  const rollback = await h.call("POST", `/revisions/${revision}/rollback`, { dryRun: true });
  expect(rollback.status, rollback.text).toBe(200);
  expect(rollback.json.changes).toEqual([]);

  await h.call("PATCH", `/upstreams/${pool.json.id}`, { tls: { skipVerify: true } });
  const back = await h.call("POST", `/revisions/${revision}/rollback`, {});
  expect(back.status, back.text).toBe(200);
  expect((await h.call("GET", `/upstreams/${pool.json.id}`)).json.tls).toEqual({ skipVerify: false });
});
