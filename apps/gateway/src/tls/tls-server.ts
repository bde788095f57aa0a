import type { RequestListener } from "node:http";
import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from "node:http2";
import type { Socket } from "node:net";
import { createClientErrorHandler } from "../edge/client-error.ts";
import { type EdgeLimits, serverOptions } from "../edge/limits.ts";
import type { OpenConnections } from "../edge/open-connections.ts";
import { acceptHttp2 } from "./h2-request.ts";
import type { SniContexts } from "./sni-contexts.ts";

/**
 * The TLS port's server: the proxy handler over HTTP/2 or HTTP/1.1 (ALPN), TLS 1.2 and 1.3
 * only, the certificate picked per handshake by SNI. It shares the plain port's connection
 * cap. HTTP/1.1 here runs Node's HTTP/1 server code, which reads its limits from the server
 * object: they are set on it as the plain port's options set them.
 */
export function createTlsProxyServer(
  handler: RequestListener,
  contexts: SniContexts,
  limits: EdgeLimits,
  connections: OpenConnections,
): Http2SecureServer {
  const server = createSecureServer(
    {
      allowHTTP1: true,
      minVersion: "TLSv1.2",
      SNICallback: contexts.callback,
      ...contexts.fallbackPem,
    },
    acceptHttp2(handler) as unknown as Parameters<typeof createSecureServer>[1],
  );
  Object.assign(server, serverOptions(limits));
  server.on("clientError", createClientErrorHandler(limits));
  server.on("connection", (socket: Socket) => {
    if (!connections.open(limits.maxConnections)) {
      socket.destroy();
      return;
    }
    socket.once("close", () => connections.close());
  });
  const open = new Set<Socket>();
  server.on("secureConnection", (socket: Socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  });
  const sessions = new Set<ServerHttp2Session>();
  server.on("session", (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  drains.set(server, { open, sessions });
  return server;
}

const drains = new WeakMap<Http2SecureServer, { open: Set<Socket>; sessions: Set<ServerHttp2Session> }>();

/** Stops accepting, tells HTTP/2 clients to go (GOAWAY), lets requests finish (up to `timeoutMs`), then closes what is left. */
export async function drainTlsServer(server: Http2SecureServer, timeoutMs: number): Promise<void> {
  const tracked = drains.get(server);
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const session of tracked?.sessions ?? []) session.close();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
  for (const socket of tracked?.open ?? []) socket.destroy();
}
