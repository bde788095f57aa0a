import { auditLog, currentRevision } from "@gatehouse/db";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";

const harnesses: AdminApiHarness[] = [];
function start() {
  const h = startAdminApi();
  harnesses.push(h);
  return h;
}
afterEach(() => {
  for (const h of harnesses.splice(0)) h.close();
});

/** A config with one of everything, made through the Admin API as a console user would. */
async function seed(h: AdminApiHarness) {
  const ok = (answer: { status: number; json: unknown }) => {
    expect(answer.status, JSON.stringify(answer.json)).toBeLessThan(300);
    return answer.json as { id: string; routes?: Array<{ id: string }> };
  };
  const pool = ok(
    await h.call("POST", "/upstreams", { name: "orders-pool", targets: [{ url: "http://127.0.0.1:9001" }] }),
  );
  const canary = ok(
    await h.call("POST", "/upstreams", { name: "orders-canary", targets: [{ url: "http://127.0.0.1:9002" }] }),
  );
  const api = ok(
    await h.call("POST", "/apis", {
      name: "Orders",
      upstreamId: pool.id,
      tags: ["team-a"],
      routes: [{ name: "list", paths: ["/orders"], methods: ["GET"] }, { paths: ["/orders/:id"] }],
    }),
  );
  ok(await h.call("POST", "/policies", { type: "key-auth", apiId: api.id }));
  ok(
    await h.call("POST", "/policies", {
      type: "traffic-split",
      apiId: api.id,
      config: { upstreamId: canary.id, percent: 10 },
    }),
  );
  ok(
    await h.call("POST", "/policies", {
      type: "rate-limit",
      routeId: api.routes?.[0]?.id,
      config: { limits: { minute: 5 } },
    }),
  );
  ok(await h.call("POST", "/policies", { type: "cors", config: { origins: ["https://app.example.com"] } }));
  const plan = ok(await h.call("POST", "/plans", { name: "gold", limits: { minute: 100 } }));
  const consumer = ok(await h.call("POST", "/consumers", { name: "acme", groups: ["partners"], planId: plan.id }));
  ok(await h.call("POST", `/consumers/${consumer.id}/keys`, { name: "ci" }));
  return { pool, canary, api, plan, consumer };
}

const jwtConfig = { algorithms: ["HS256"], secret: "a-secret-of-at-least-32-bytes-long!!" };

const dump = async (h: AdminApiHarness, format = "json") => {
  const answer = await h.call("GET", `/config?format=${format}`);
  expect(answer.status).toBe(200);
  return answer;
};

const withoutKeys = (file: { consumers: Array<Record<string, unknown>> }) => ({
  ...file,
  consumers: file.consumers.map(({ keys: _keys, ...consumer }) => consumer),
});

describe("[CONFIG] dump, diff and apply a config file", () => {
  test("dump -> apply on an empty instance -> dump gives the same file, ids and all", async () => {
    const source = start();
    await seed(source);
    const text = (await dump(source, "yaml")).text;
    expect(text).toMatch(/^version: 1\n/);
    expect(text).not.toContain("a-secret");

    const target = start();
    const applied = await target.call("POST", "/config/apply", { config: text });
    expect(applied.status, JSON.stringify(applied.json)).toBe(200);
    expect(applied.json.applied).toBe(true);
    const again = (await dump(target)).json;
    expect(withoutKeys(again)).toEqual(withoutKeys(parseYaml(text)));
    expect((await dump(target, "yaml")).text).toBe(
      text.replace(/\n {4}keys:\n( {6}- [^\n]*\n( {8}[^\n]*\n)*)+/g, "\n    keys: []\n"),
    );
  });

  test("applying the same file twice changes nothing the second time: no revision, no audit record", async () => {
    const h = start();
    await seed(h);
    const file = (await dump(h)).json;
    const revision = currentRevision(h.db);
    const answer = await h.call("POST", "/config/apply", { config: file });
    expect(answer.json).toMatchObject({
      applied: false,
      changes: [],
      revision,
      summary: { create: 0, update: 0, delete: 0 },
    });
    expect(currentRevision(h.db)).toBe(revision);
  });

  test("one apply is one revision, with one audit record per object, marked as a file apply", async () => {
    const h = start();
    const file = {
      version: 1,
      upstreams: [{ name: "pool", targets: [{ url: "http://127.0.0.1:9001" }] }],
      apis: Array.from({ length: 5 }, (_, i) => ({
        name: `api-${i}`,
        upstream: "pool",
        routes: [{ paths: [`/a${i}`] }],
      })),
    };
    const answer = await h.call("POST", "/config/apply", { config: file });
    expect(answer.status).toBe(200);
    expect(answer.json.summary).toEqual({ create: 6, update: 0, delete: 0 });
    expect(answer.headers.get("gatehouse-revision")).toBe(String(answer.json.revision));
    const rows = h.db.select().from(auditLog).where(eq(auditLog.revision, answer.json.revision)).all();
    expect(rows.map((row) => `${row.entityType}:${row.source}`).sort()).toEqual([
      ...Array(5).fill("api:file"),
      "upstream:file",
    ]);
  });

  test("diff names what would be created, updated (with the fields) and deleted, and changes nothing", async () => {
    const h = start();
    await seed(h);
    const file = (await dump(h)).json;
    const orders = file.apis[0];
    orders.enabled = false;
    orders.routes.find((r: { name?: string }) => r.name === "list").paths = ["/orders", "/purchases"];
    orders.policies = orders.policies.filter((p: { type: string }) => p.type !== "key-auth");
    file.consumers = [];
    file.apis.push({ name: "Billing", upstream: "orders-pool", routes: [{ paths: ["/billing"] }] });
    const revision = currentRevision(h.db);
    const answer = await h.call("POST", "/config/diff", { config: file });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    const brief = answer.json.changes.map((c: { action: string; kind: string; name: string; fields: string[] }) => [
      c.action,
      c.kind,
      c.name,
      c.fields,
    ]);
    expect(brief).toEqual([
      ["create", "api", "Billing", []],
      ["update", "api", "Orders", ["enabled", "routes[list].paths", "policies[key-auth]"]],
      ["delete", "consumer", "acme", []],
    ]);
    expect(currentRevision(h.db)).toBe(revision);
  });

  test("a file with one error changes nothing and names the path", async () => {
    const h = start();
    await seed(h);
    const before = (await dump(h)).json;
    const revision = currentRevision(h.db);
    const file = structuredClone(before);
    file.apis[0].enabled = false;
    file.apis[0].routes[1].paths = ["no-slash"];
    file.consumers[0].plan = "platinum";
    file.apis[0].policies[0].config = { ...file.apis[0].policies[0].config, percent: 250 };
    const answer = await h.call("POST", "/config/apply", { config: file });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe("validation_failed");
    expect(answer.json.error.fields.map((f: { path: string }) => f.path)).toContain("apis.0.routes.1.paths.0");
    const semantic = await h.call("POST", "/config/apply", {
      config: { ...before, consumers: [{ ...before.consumers[0], plan: "platinum" }] },
    });
    expect(semantic.status).toBe(400);
    expect(semantic.json.error.fields).toEqual([
      { path: "consumers.0.plan", message: "No plan named platinum in the file or the config" },
    ]);
    const policy = structuredClone(before);
    policy.apis[0].policies.find((p: { type: string }) => p.type === "traffic-split").config.percent = 250;
    const bad = await h.call("POST", "/config/apply", { config: policy });
    expect(bad.json.error.fields[0].path).toMatch(/^apis\.0\.policies\.\d\.config\.percent$/);
    const yaml = await h.call("POST", "/config/apply", { config: "version: 1\napis: [\n" });
    expect(yaml.json.error.fields[0]).toMatchObject({ path: "config" });
    expect(yaml.json.error.fields[0].message).toMatch(/line \d+, column \d+/);
    expect(currentRevision(h.db)).toBe(revision);
    expect((await dump(h)).json).toEqual(before);
  });

  test("a route moved to another API with its id is recreated there under a new id, not written over the old row", async () => {
    const h = start();
    await seed(h);
    const file = (await dump(h)).json;
    const orders = file.apis[0];
    const moved = orders.routes.find((r: { name?: string }) => r.name === "list");
    orders.routes = orders.routes.filter((r: unknown) => r !== moved);
    file.apis.push({ name: "Moved", upstream: "orders-pool", routes: [{ ...moved, policies: [] }] });
    const answer = await h.call("POST", "/config/apply", { config: file });
    expect(answer.status, answer.text).toBe(200);
    const after = (await dump(h)).json;
    const route = after.apis.find((a: { name: string }) => a.name === "Moved").routes[0];
    expect(route.paths).toEqual(moved.paths);
    expect(route.id).not.toBe(moved.id);
  });

  test("a secret left out of the file (as a dump leaves it) keeps its saved value", async () => {
    const h = start();
    await seed(h);
    const policy = await h.call("POST", "/policies", {
      type: "jwt",
      apiId: (await h.call("GET", "/apis")).json.data[0].id,
      config: jwtConfig,
    });
    expect(policy.status).toBe(201);
    const file = (await dump(h)).json;
    expect(JSON.stringify(file)).not.toContain(jwtConfig.secret);
    file.apis[0].policies.find((p: { type: string }) => p.type === "jwt").config.clockSkewSeconds = 5;
    const answer = await h.call("POST", "/config/apply", { config: file });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(answer.json.changes[0].fields).toEqual(["policies[jwt].config.clockSkewSeconds"]);
    expect(JSON.stringify(answer.json)).not.toContain(jwtConfig.secret);
    const saved = h.db.$client
      .prepare("SELECT config FROM policies WHERE id = ?")
      .pluck()
      .get(policy.json.id) as string;
    expect(JSON.parse(saved)).toMatchObject({ secret: jwtConfig.secret, clockSkewSeconds: 5 });
  });

  test("--select-tag manages only the tagged APIs and pools and leaves the rest alone", async () => {
    const h = start();
    await seed(h);
    const file = {
      version: 1,
      upstreams: [{ name: "team-b-pool", targets: [{ url: "http://127.0.0.1:9005" }] }],
      apis: [{ name: "Team B", upstream: "team-b-pool", routes: [{ paths: ["/b"] }] }],
    };
    const answer = await h.call("POST", "/config/apply", { config: file, selectTag: "team-b" });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(answer.json.summary).toEqual({ create: 2, update: 0, delete: 0 });
    const after = (await dump(h)).json;
    expect(after.apis.map((a: { name: string; tags: string[] }) => [a.name, a.tags])).toEqual([
      ["Orders", ["team-a"]],
      ["Team B", ["team-b"]],
    ]);
    const emptied = await h.call("POST", "/config/apply", { config: { version: 1 }, selectTag: "team-b" });
    expect(emptied.json.summary).toEqual({ create: 0, update: 0, delete: 2 });
    const taken = await h.call("POST", "/config/apply", {
      config: { version: 1, apis: [{ name: "Orders", upstream: "orders-pool", routes: [{ paths: ["/x"] }] }] },
      selectTag: "team-b",
    });
    expect(taken.status).toBe(400);
    expect(taken.json.error.fields[0].path).toBe("apis.0.name");
  });
});

describe("[CONFIG] If-Match", () => {
  test("a write with an old revision is 412 and changes nothing; the current one goes through", async () => {
    const h = start();
    const { api } = await seed(h);
    const revision = currentRevision(h.db);
    const stale = await h.call("PATCH", `/apis/${api.id}`, { enabled: false }, { "if-match": `"${revision - 1}"` });
    expect(stale.status).toBe(412);
    expect(stale.json.error.code).toBe("revision_mismatch");
    expect(currentRevision(h.db)).toBe(revision);
    const fresh = await h.call("PATCH", `/apis/${api.id}`, { enabled: false }, { "if-match": `"${revision}"` });
    expect(fresh.status).toBe(200);
    const file = (await dump(h)).json;
    const apply = await h.call(
      "POST",
      "/config/apply",
      { config: { ...file, consumers: [] } },
      { "if-match": String(revision) },
    );
    expect(apply.status).toBe(412);
    expect(currentRevision(h.db)).toBe(revision + 1);
    const bad = await h.call("PATCH", `/apis/${api.id}`, { enabled: true }, { "if-match": "yesterday" });
    expect(bad.status).toBe(400);
    expect((await h.call("GET", "/config")).headers.get("etag")).toBe(`"${revision + 1}"`);
  });
});
