import { createEchoServer } from "./echo-server.ts";

const port = Number(process.env.DEMO_UPSTREAM_PORT ?? 9000);
const host = process.env.DEMO_UPSTREAM_HOST ?? "127.0.0.1";

const server = createEchoServer();
server.listen(port, host, () => {
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  console.log(`demo-upstream listening on http://${host}:${actual}`);
});

function stop(): void {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
}
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
