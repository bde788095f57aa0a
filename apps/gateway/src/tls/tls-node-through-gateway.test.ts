import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { makeCertificate } from "@gatehouse/admin-api/test-support/certificates";
import { currentRevision } from "@gatehouse/db";
import { afterEach, expect, test } from "vitest";
import { type RunningConsole, startConsole } from "../test-support/console-server.ts";
import { type GatewayProcess, startGateway } from "../test-support/servers.ts";
import { freePort, handshake } from "../test-support/tls-client.ts";

let consoleServer: RunningConsole | null = null;
const nodes: GatewayProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const node of nodes.splice(0)) await node.stop();
  await consoleServer?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function startNode(token: string, secretsKey?: string): Promise<GatewayProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-tls-node-"));
  dirs.push(dir);
  const node = await startGateway(dir, {
    GATEHOUSE_CONTROL_PLANE_URL: (consoleServer as RunningConsole).url,
    GATEHOUSE_NODE_TOKEN: token,
    GATEHOUSE_PROXY_TLS_PORT: String(await freePort()),
    ...(secretsKey === undefined ? {} : { GATEHOUSE_SECRETS_KEY: secretsKey }),
  });
  nodes.push(node);
  return node;
}

test("[TLS] a data-plane node serves the console's certificates with the console's secrets key, the default without it", async () => {
  consoleServer = await startConsole();
  const { admin } = consoleServer;
  const token = (await consoleServer.nodeToken()).token;
  const pair = makeCertificate({ cn: "node.test", dns: ["node.test"] });
  expect((await admin.call("POST", "/certificates", pair)).status).toBe(201);
  const revision = currentRevision(admin.db);
  const secretsKey = readFileSync(path.join(admin.dataDir, "secrets.key"), "utf8").trim();

  const keyed = await startNode(token, secretsKey);
  const keyless = await startNode(token);
  await keyed.waitForRevision(revision);
  await keyless.waitForRevision(revision);
  expect((await handshake(keyed.tlsUrl as string, "node.test")).cert.subject.CN).toBe("node.test");
  expect((await handshake(keyless.tlsUrl as string, "node.test")).cert.subject.CN).toBe("localhost");
  expect(keyless.output()).toMatch(/tls: cannot load certificate crt_\w+/);
  expect(keyless.output()).not.toContain("PRIVATE KEY");
}, 60_000);
