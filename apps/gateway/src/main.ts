import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import { createGateway } from "./app.ts";
import { controlPlaneOptions } from "./config/remote/node-identity.ts";
import { edgeLimits, parseEnv, trafficOptions } from "./env.ts";
import { listenOn } from "./proxy/server.ts";

const env = parseEnv();
const controlPlane = controlPlaneOptions(env);
const gateway = createGateway({
  dataDir: env.GATEHOUSE_DATA_DIR,
  proxy: {
    host: env.GATEHOUSE_PROXY_HOST,
    port: env.GATEHOUSE_PROXY_PORT,
    workers: env.GATEHOUSE_WORKERS,
    tlsPort: env.GATEHOUSE_PROXY_TLS_PORT === 0 ? undefined : env.GATEHOUSE_PROXY_TLS_PORT,
  },
  configPollMs: env.GATEHOUSE_CONFIG_POLL_MS,
  configIdlePollMs: env.GATEHOUSE_CONFIG_IDLE_POLL_MS,
  limits: edgeLimits(env),
  traffic: trafficOptions(env),
  accessLog: env.GATEHOUSE_ACCESS_LOG === "json",
  controlPlane,
});
const statusServer = createAdaptorServer({ fetch: gateway.statusApp.fetch }) as Server;

const [proxyUrl, statusUrl] = await Promise.all([
  gateway.start(),
  listenOn(statusServer, env.GATEHOUSE_STATUS_PORT, env.GATEHOUSE_STATUS_HOST),
]);
console.log(
  `gateway proxy=${proxyUrl} status=${statusUrl} workers=${env.GATEHOUSE_WORKERS} data=${env.GATEHOUSE_DATA_DIR}${controlPlane ? ` console=${controlPlane.url} node=${controlPlane.nodeId}` : ""}${gateway.tlsUrl === null ? "" : ` tls=${gateway.tlsUrl}`}`,
);

async function shutdown(signal: string): Promise<void> {
  statusServer.close();
  statusServer.closeAllConnections();
  await gateway.drain(() => console.log(`gateway: ${signal}, draining`));
  await gateway.close();
  process.exit(0);
}

process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
