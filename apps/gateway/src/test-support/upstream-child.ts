/**
 * A tiny upstream run as its own process, so tests and benches can SIGKILL and restart it on
 * the same port: `node upstream-child.ts <port> <name> [--log]`. Prints `listening <port>`.
 *   /healthz       200 ok
 *   /hang…         accepts the request and never answers
 *   /reset…        reads the whole request, then resets the connection
 *   anything else  200 JSON { name, method, path, body }
 * With --log, prints `request <METHOD> <path>` for every request.
 */
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? 0);
const name = process.argv[3] ?? "upstream";
const log = process.argv.includes("--log");

const server = createServer((req, res) => {
  const url = req.url ?? "/";
  if (log) process.stdout.write(`request ${req.method} ${url}\n`);
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    if (url.includes("/hang")) return;
    if (url.includes("/reset")) return void req.socket.destroy();
    if (url === "/healthz") return void res.end("ok");
    const body = JSON.stringify({ name, method: req.method, path: url, body: Buffer.concat(chunks).toString() });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : port}\n`);
});
process.once("SIGTERM", () => process.exit(0));
