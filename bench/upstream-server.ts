/**
 * The fallback upstream when nginx is not installed: a fixed 2-byte body, nothing else.
 *
 *   node bench/upstream-server.ts [port=0]   → prints "listening http://127.0.0.1:PORT"
 */
import { createServer } from "node:http";

const BODY = Buffer.from("ok");
const server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain", "content-length": BODY.length });
  res.end(BODY);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  console.log(`listening http://127.0.0.1:${(server.address() as { port: number }).port}`);
});
process.once("SIGTERM", () => process.exit(0));
