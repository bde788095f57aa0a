import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { createGateway } from "./app.ts";
import { edgeLimits, parseEnv, trafficOptions } from "./env.ts";

const env = parseEnv();
const gateway = createGateway({
  dataDir: env.GATEHOUSE_DATA_DIR,
  configPollMs: env.GATEHOUSE_CONFIG_POLL_MS,
  configIdlePollMs: env.GATEHOUSE_CONFIG_IDLE_POLL_MS,
  limits: edgeLimits(env),
  traffic: trafficOptions(env),
});
const statusServer = createAdaptorServer({ fetch: gateway.statusApp.fetch }) as Server;

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve(`http://${host.includes(":") ? `[${host}]` : host}:${address.port}`);
    });
  });
}

gateway.start();
const [proxyUrl, statusUrl] = await Promise.all([
  listen(gateway.proxyServer, env.GATEHOUSE_PROXY_PORT, env.GATEHOUSE_PROXY_HOST),
  listen(statusServer, env.GATEHOUSE_STATUS_PORT, env.GATEHOUSE_STATUS_HOST),
]);
console.log(`gateway proxy=${proxyUrl} status=${statusUrl} data=${env.GATEHOUSE_DATA_DIR}`);

async function shutdown(signal: string): Promise<void> {
  console.log(`gateway: ${signal}, draining`);
  statusServer.close();
  statusServer.closeAllConnections();
  await gateway.drain();
  await gateway.close();
  process.exit(0);
}

process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
