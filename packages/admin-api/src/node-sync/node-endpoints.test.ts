import {
  NODE_HEADERS,
  type NodeConfigChange,
  type NodeSnapshotEnd,
  type NodeSnapshotStart,
  type RawKey,
} from "@gatehouse/db";
import { type SseEvent, sseEvents } from "@gatehouse/shared";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type AdminApiHarness, startAdminApi } from "../test-support/admin-api-harness.ts";

let h: AdminApiHarness;
beforeEach(() => {
  h = startAdminApi();
});
afterEach(() => h.close());

const NODE = { [NODE_HEADERS.id]: "node-a", [NODE_HEADERS.name]: "eu-1", [NODE_HEADERS.version]: "0.0.0" };

async function nodeToken(name = "fleet"): Promise<{ id: string; token: string }> {
  const created = await h.call("POST", "/nodes/tokens", { name });
  expect(created.status).toBe(201);
  return created.json;
}

/** A node's config stream, read event by event. */
async function openStream(token: string, query = "", headers: Record<string, string> = NODE) {
  const response = await h.app.request(`http://console.test/api/v1/node/config${query}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  expect(response.status, await (response.status === 200 ? "" : response.clone().text())).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const events = sseEvents(response.body as ReadableStream<Uint8Array>);
  return {
    async next(): Promise<SseEvent> {
      const { value, done } = await events.next();
      if (done) throw new Error("the stream ended");
      return value;
    },
    async ended(): Promise<boolean> {
      return (await events.next()).done === true;
    },
    close: () => events.return(undefined),
  };
}

type Stream = Awaited<ReturnType<typeof openStream>>;

async function readSnapshot(stream: Stream) {
  const start = await stream.next();
  expect(start.event).toBe("snapshot");
  const snapshot = JSON.parse(start.data) as NodeSnapshotStart;
  const keys: RawKey[] = [];
  for (;;) {
    const next = await stream.next();
    if (next.event === "snapshot-end") {
      expect((JSON.parse(next.data) as NodeSnapshotEnd).revision).toBe(snapshot.revision);
      return { snapshot, keys };
    }
    expect(next.event).toBe("keys");
    keys.push(...(JSON.parse(next.data) as RawKey[]));
  }
}

async function nextChange(stream: Stream): Promise<NodeConfigChange> {
  const next = await stream.next();
  expect(next.event).toBe("change");
  return JSON.parse(next.data) as NodeConfigChange;
}

describe("[NODES] tokens", () => {
  test("a node token is shown once, listed without it, and revoked", async () => {
    const created = await nodeToken("eu-west");
    expect(created.token).toMatch(/^ghn_[A-Za-z0-9_-]{32}$/);
    const list = await h.call("GET", "/nodes/tokens");
    expect(list.json.data).toHaveLength(1);
    expect(JSON.stringify(list.json)).not.toContain(created.token);
    expect(list.json.data[0]).not.toHaveProperty("hash");
    const revoked = await h.call("POST", `/nodes/tokens/${created.id}/revoke`);
    expect(revoked.json.revokedAt).not.toBeNull();
    expect((await h.call("POST", "/nodes/tokens", { name: "" })).json.error.fields[0].path).toBe("name");
  });

  test("the node endpoints refuse a missing, unknown or revoked token and a node that does not name itself", async () => {
    const config = (token?: string, headers: Record<string, string> = NODE) =>
      h.app.request("http://console.test/api/v1/node/config", {
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      });
    expect((await config()).status).toBe(401);
    expect((await config("ghn_unknown")).status).toBe(401);
    const { id, token } = await nodeToken();
    expect((await config(token, {})).status).toBe(400);
    await h.call("POST", `/nodes/tokens/${id}/revoke`);
    const refused = await config(token);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe("node_token_invalid");
    // The admin token is not a node token, and a node token is not an admin token.
    expect((await h.call("GET", "/nodes", undefined, { authorization: `Bearer ${token}` })).status).toBe(401);
  });
});

describe("[NODES] the config stream", () => {
  test("a snapshot with every key, then one key's change sends that key only", async () => {
    const consumer = (await h.call("POST", "/consumers", { name: "acme" })).json;
    for (let i = 0; i < 3; i++) await h.call("POST", `/consumers/${consumer.id}/keys`, { name: `k${i}` });
    await h.call("POST", "/apis", {
      name: "Orders",
      upstream: { targets: [{ url: "http://127.0.0.1:9" }] },
      routes: [{ paths: ["/orders"] }],
    });
    const { token } = await nodeToken();
    const stream = await openStream(token);
    const { snapshot, keys } = await readSnapshot(stream);
    expect(snapshot.tables.apis.map((api) => api.name)).toEqual(["Orders"]);
    expect(snapshot.routes).toHaveLength(1);
    expect(snapshot.keys.count).toBe(3);
    expect(keys).toHaveLength(3);

    const issued = await h.call("POST", `/consumers/${consumer.id}/keys`, { name: "new" });
    const change = await nextChange(stream);
    expect(change.revision).toBe(Number(issued.headers.get("gatehouse-revision")));
    expect(change.tables).toBeUndefined();
    expect(change.routes).toBeUndefined();
    expect(change.keys?.map((key) => key[1])).toEqual([issued.json.id]);

    const revoked = await h.call("POST", `/consumers/${consumer.id}/keys/${issued.json.id}/revoke`);
    const revocation = await nextChange(stream);
    expect(revocation.revision).toBe(Number(revoked.headers.get("gatehouse-revision")));
    expect(revocation.keys).toHaveLength(1);
    expect(revocation.keys?.[0]?.[5]).toBe(revoked.json.revokedAt);
    await stream.close();
  });

  test("an API change sends the tables and only the changed routes", async () => {
    const first = (
      await h.call("POST", "/apis", {
        name: "One",
        upstream: { targets: [{ url: "http://127.0.0.1:9" }] },
        routes: [{ paths: ["/one"] }],
      })
    ).json;
    const { token } = await nodeToken();
    const stream = await openStream(token);
    await readSnapshot(stream);
    await h.call("POST", "/apis", { name: "Two", upstreamId: first.upstreamId, routes: [{ paths: ["/two"] }] });
    const change = await nextChange(stream);
    expect(change.tables?.apis.map((api) => api.name).sort()).toEqual(["One", "Two"]);
    expect(change.routes && "rows" in change.routes ? change.routes.rows.map((route) => route.paths) : null).toEqual([
      ["/two"],
    ]);
    await stream.close();
  });

  test("a cache purge reaches a node as a change carrying the purges, and no routes", async () => {
    const api = (
      await h.call("POST", "/apis", {
        name: "Cached",
        upstream: { targets: [{ url: "http://127.0.0.1:9" }] },
        routes: [{ paths: ["/cached"] }],
      })
    ).json;
    const { token } = await nodeToken();
    const stream = await openStream(token);
    expect((await readSnapshot(stream)).snapshot.tables.cachePurges).toEqual([]);
    const purged = await h.call("DELETE", `/apis/${api.id}/cache?prefix=/cached/a`);
    const change = await nextChange(stream);
    expect(change.revision).toBe(purged.json.revision);
    expect(change.tables?.cachePurges).toMatchObject([
      { apiId: api.id, prefix: "/cached/a", revision: purged.json.revision },
    ]);
    expect(change.routes).toBeUndefined();
    await stream.close();
  });

  test("a node that has the current revision gets no snapshot; one a few revisions behind gets the changes", async () => {
    const consumer = (await h.call("POST", "/consumers", { name: "acme" })).json;
    const { token } = await nodeToken();
    const revision = Number(
      (await h.call("POST", `/consumers/${consumer.id}/keys`, {})).headers.get("gatehouse-revision"),
    );
    const current = await openStream(token, `?revision=${revision}`);
    expect(await nextChange(current)).toEqual({ revision });
    await current.close();

    const key = await h.call("POST", `/consumers/${consumer.id}/keys`, {});
    const behind = await openStream(token, `?revision=${revision}`);
    const change = await nextChange(behind);
    expect(change.revision).toBe(Number(key.headers.get("gatehouse-revision")));
    expect(change.keys?.map((row) => row[1])).toEqual([key.json.id]);
    await behind.close();

    expect(
      (
        await h.app.request("http://console.test/api/v1/node/config?revision=x", {
          headers: { authorization: `Bearer ${token}`, ...NODE },
        })
      ).status,
    ).toBe(400);
  });

  test("acks and streams show in the node list; revoking the token ends the stream", async () => {
    const { id, token } = await nodeToken();
    const stream = await openStream(token);
    const { snapshot } = await readSnapshot(stream);
    const ack = await h.app.request("http://console.test/api/v1/node/ack", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...NODE },
      body: JSON.stringify({ revision: snapshot.revision }),
    });
    expect(ack.status).toBe(204);
    const listed = await h.call("GET", "/nodes");
    expect(listed.json.data).toEqual([
      expect.objectContaining({
        id: "node-a",
        name: "eu-1",
        revision: snapshot.revision,
        connected: true,
        status: "live",
      }),
    ]);

    await h.call("POST", `/nodes/tokens/${id}/revoke`);
    // The revocation is a revision: the stream sees it and ends instead of sending it.
    expect(await stream.ended()).toBe(true);
    const after = await h.call("GET", "/nodes");
    expect(after.json.data[0]).toMatchObject({ connected: false, revision: snapshot.revision });
    expect(after.json.revision).toBe(snapshot.revision + 1);
  });

  test("a node that stops reading is let go once a thousand changes wait for it", async () => {
    const consumer = (await h.call("POST", "/consumers", { name: "acme" })).json;
    const { token } = await nodeToken();
    const stream = await openStream(token);
    await readSnapshot(stream);
    const connected = async () => (await h.call("GET", "/nodes")).json.data[0].connected;
    // In process a call is promises only: each change is sent when the event loop turns.
    const issue = async (count: number) => {
      for (let i = 0; i < count; i++) {
        await h.call("POST", `/consumers/${consumer.id}/keys`, {});
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await issue(990);
    expect(await connected()).toBe(true);
    await issue(20);
    expect(await connected()).toBe(false);
    // What was queued is still read, then the stream ends and the node asks again from its revision.
    let changes = 0;
    for (;;) {
      const next = await stream.next().catch(() => null);
      if (next === null) break;
      changes++;
    }
    expect(changes).toBeGreaterThan(990);
  }, 60_000);
});
