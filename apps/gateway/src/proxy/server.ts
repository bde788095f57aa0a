import { createServer, type Server } from "node:http";
import type { Server as NetServer, Socket } from "node:net";
import { createClientErrorHandler } from "../edge/client-error.ts";
import { type EdgeLimits, serverOptions } from "../edge/limits.ts";
import type { OpenConnections } from "../edge/open-connections.ts";
import { createProxyHandler, type ProxyContext } from "./handler.ts";

/** Dropped connections are logged at most this often, with a count. */
const DROP_LOG_INTERVAL_MS = 10_000;

/**
 * The proxy port's server, not listening yet. Connections are capped in `connections`, which
 * the host's proxy workers share: the cap is the host's, however many threads accept.
 */
export function createProxyServer(context: ProxyContext, limits: EdgeLimits, connections: OpenConnections): Server {
  const server = createServer(serverOptions(limits), createProxyHandler(context));
  server.on("clientError", createClientErrorHandler(limits));
  const onDrop = countDrops(limits.maxConnections, context.log);
  server.on("connection", (socket: Socket) => {
    if (!connections.open(limits.maxConnections)) {
      socket.destroy();
      onDrop();
      return;
    }
    socket.once("close", () => connections.close());
  });
  return server;
}

/** Stops accepting, lets in-flight requests finish (up to `timeoutMs`), then closes what is left. */
export async function drainServer(server: Server, context: ProxyContext, timeoutMs: number): Promise<void> {
  context.draining = true;
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive sockets that finish their request become idle: close them as they do.
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([drained, timeout]);
  clearTimeout(timer);
  clearInterval(idle);
  server.closeAllConnections();
}

/** The `drop` listener: one line for the first connection over the cap, then a count at most every 10 s. */
function countDrops(maxConnections: number, log: (line: string) => void) {
  let dropped = 0;
  let loggedAt = Number.NEGATIVE_INFINITY;
  return function onDrop(): void {
    dropped++;
    const now = performance.now();
    if (now - loggedAt < DROP_LOG_INTERVAL_MS) return;
    loggedAt = now;
    log(`edge: ${maxConnections} client connections open, refused ${dropped} new connection(s)`);
    dropped = 0;
  };
}

/** Listens and gives the URL; `reusePort` lets each proxy worker accept on the same port. */
export function listenOn(server: NetServer, port: number, host: string, reusePort = false): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host, reusePort }, () => {
      server.off("error", reject);
      const address = server.address() as { port: number };
      resolve(`http://${host.includes(":") ? `[${host}]` : host}:${address.port}`);
    });
  });
}
