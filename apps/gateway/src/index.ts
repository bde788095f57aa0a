import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { createGateway } from "./app.ts";
import { parseEnv } from "./env.ts";

const DRAIN_TIMEOUT_MS = 10_000;

const env = parseEnv();
const gateway = createGateway({ dataDir: env.GATEHOUSE_DATA_DIR, configPollMs: env.GATEHOUSE_CONFIG_POLL_MS });
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

/** Stops accepting, lets in-flight requests finish (up to the drain timeout), then closes pools. */
async function shutdown(signal: string): Promise<void> {
  console.log(`gateway: ${signal}, draining`);
  const drained = new Promise<void>((resolve) => gateway.proxyServer.close(() => resolve()));
  statusServer.close();
  statusServer.closeAllConnections();
  // Keep-alive sockets that finish their request become idle: close them as they do.
  const idle = setInterval(() => gateway.proxyServer.closeIdleConnections(), 100);
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, DRAIN_TIMEOUT_MS).unref());
  await Promise.race([drained, timeout]);
  clearInterval(idle);
  gateway.proxyServer.closeAllConnections();
  await gateway.close();
  process.exit(0);
}

process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
