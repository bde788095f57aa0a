import { createServer, type Server } from "node:http";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import { NOT_A_CLAIMS_SET } from "@gatehouse/policies";
import { afterAll, beforeAll, expect, test } from "vitest";
import { rawRequest } from "../test-support/http.ts";
import { closeServer, type GatewayProcess, listenLocal, startEcho, startGateway } from "../test-support/servers.ts";
import {
  type JwsGroup,
  type JwsVector,
  type KeyForm,
  keyForms,
  loadJwsVectors,
  notApplicable,
} from "../test-support/wycheproof.ts";

/**
 * Wycheproof's JWS vectors (test-vectors/wycheproof) through the real gateway's jwt policy. No
 * vector's payload is a JSON object, so none can pass a JWT policy; what tells a signature the
 * policy checked from one it refused is the refusal: NOT_A_CLAIMS_SET comes only after the
 * signature verified. An invalid vector must be refused before that point.
 */
const suite = loadJwsVectors();
let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;
let jwksServer: Server;
const jwksSets = new Map<string, unknown>();
const doors: { path: string; form: KeyForm; group: JwsGroup }[] = [];

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  jwksServer = createServer((req, res) => {
    const set = jwksSets.get(req.url ?? "");
    if (set === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/jwk-set+json" }).end(JSON.stringify(set));
  });
  const jwksBase = await listenLocal(jwksServer);
  for (const [i, group] of suite.testGroups.entries()) {
    for (const form of keyForms(group, `${jwksBase}/group-${i}.json`)) {
      if (form.jwks) jwksSets.set(`/group-${i}.json`, form.jwks);
      const path = `/wp-${i}-${form.form}`;
      const api = await admin.call("POST", "/apis", {
        name: `wp-${i}-${form.form}`,
        upstream: { targets: [{ url: echo.url }] },
        routes: [{ paths: [path] }],
      });
      expect(api.status, JSON.stringify(api.json)).toBe(201);
      const policy = await admin.call("POST", "/policies", { type: "jwt", apiId: api.json.id, config: form.config });
      expect(policy.status, `group ${i} ${form.form}: ${JSON.stringify(policy.json)}`).toBe(201);
      doors.push({ path, form, group });
    }
  }
  gateway = await startGateway(admin.dataDir);
  await gateway.waitForRevision(currentRevision(admin.db), 30_000);
}, 60_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  if (jwksServer) await closeServer(jwksServer);
  admin?.close();
});

type Outcome = { kind: "accepted" | "verified" | "refused" | "other"; detail: string };

async function present(path: string, jws: string): Promise<Outcome> {
  const res = await rawRequest(`${gateway.proxyUrl}${path}`, { headers: { authorization: `Bearer ${jws}` } });
  if (res.status === 200) return { kind: "accepted", detail: "200" };
  const message = res.status === 401 ? (res.json<{ error: { message: string } }>().error.message as string) : "";
  if (res.status !== 401) return { kind: "other", detail: `${res.status} ${res.text.slice(0, 200)}` };
  return message === NOT_A_CLAIMS_SET ? { kind: "verified", detail: message } : { kind: "refused", detail: message };
}

/**
 * A valid vector's signature verified, or the configuration explains its refusal: the key's JWK
 * names another algorithm than the token's (RFC 7520's PS256 key signs PS384; its ES521 key has
 * no JWKS match for ES512), or its text is not base64url (Wycheproof calls a "?" inserted into
 * an HS256 token valid; the policy takes one spelling of a token only).
 */
function explained(vector: JwsVector, outcome: Outcome): boolean {
  if (outcome.kind === "verified") return true;
  if (outcome.kind !== "refused") return false;
  if (/^The token is signed with \w+, which this API does not accept$/.test(outcome.detail)) return true;
  if (outcome.detail === "No known signing key matches the token's kid") return true;
  return outcome.detail === "The token is malformed" && !/^[\w.-]*$/.test(vector.jws);
}

test("[JWT] Wycheproof JWS vectors: every invalid one gets 401 before its signature could pass; the valid ones are reported", async () => {
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const skipped = new Map<string, number>();
  const validOutcomes = new Map<string, number>();
  const invalidOutcomes = new Map<string, number>();
  const breaches: string[] = [];
  const unexplained: string[] = [];
  let sent = 0;
  for (const { path, form, group } of doors) {
    for (const vector of group.tests) {
      const why = notApplicable(vector, group) ?? form.notApplicable ?? null;
      if (why !== null) {
        count(skipped, `${form.form}: ${why}`);
        continue;
      }
      const outcome = await present(path, vector.jws);
      sent++;
      const label = `${form.form}: ${outcome.kind} (${outcome.detail})`;
      if (vector.result === "invalid") {
        count(invalidOutcomes, label);
        if (outcome.kind !== "refused")
          breaches.push(`tcId ${vector.tcId} ${vector.comment} via ${form.form}: ${label}`);
      } else {
        count(validOutcomes, label);
        if (!explained(vector, outcome)) unexplained.push(`tcId ${vector.tcId} ${vector.comment} via ${label}`);
      }
    }
  }
  const table = (map: Map<string, number>) =>
    [...map].sort(([a], [b]) => a.localeCompare(b)).map(([label, n]) => `  ${String(n).padStart(4)}  ${label}`);
  console.log(
    [
      `Wycheproof JWS: ${suite.numberOfTests} vectors in ${suite.testGroups.length} groups, ${doors.length} policies, ${sent} requests`,
      "valid vectors:",
      ...table(validOutcomes),
      "invalid vectors:",
      ...table(invalidOutcomes),
      "not applicable:",
      ...table(skipped),
    ].join("\n"),
  );
  expect(breaches).toEqual([]);
  expect(unexplained).toEqual([]);
  expect(validOutcomes.size).toBeGreaterThan(0);
}, 120_000);
