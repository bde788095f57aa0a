/**
 * The reference for what Node itself can do: node:http in, one undici Pool out, both bodies
 * streamed with backpressure, hop-by-hop headers dropped (undici refuses them), nothing else:
 * no routing, no request id, no X-Forwarded-*. Gatehouse's cost is measured against this.
 * With `threads` > 1, that many worker threads each run it, each with its own Pool, all
 * listening on one port with `reusePort`, as Gatehouse's proxy workers do.
 *
 *   node bench/bare-proxy.ts UPSTREAM_URL [port=0] [threads=1]   → prints "listening http://127.0.0.1:PORT"
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import { type Dispatcher, Pool } from "undici";
import { freePort } from "./processes.ts";

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "expect",
]);

const [upstream, portArg = "0", threadsArg = "1"] = process.argv.slice(2);
if (!upstream) throw new Error("usage: node bench/bare-proxy.ts UPSTREAM_URL [port] [threads]");
const threads = Number(threadsArg);
const pool = new Pool(upstream, { connections: 128, keepAliveTimeout: 4_000 });

class Exchange implements Dispatcher.DispatchHandler {
  readonly res: ServerResponse;
  controller: Dispatcher.DispatchController | null = null;

  constructor(res: ServerResponse) {
    this.res = res;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  onResponseStart(_c: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    const out: string[] = [];
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      if (Array.isArray(value)) for (const item of value) out.push(name, item);
      else out.push(name, value);
    }
    this.res.writeHead(status, out);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.res.write(chunk)) {
      controller.pause();
      this.res.once("drain", () => controller.resume());
    }
  }

  onResponseEnd(): void {
    this.res.end();
  }

  onResponseError(_c: Dispatcher.DispatchController | null, error: Error): void {
    if (this.res.headersSent) this.res.destroy(error);
    else this.res.writeHead(502).end();
  }
}

function proxy(req: IncomingMessage, res: ServerResponse): void {
  const headers: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (!HOP_BY_HOP.has((raw[i] as string).toLowerCase())) headers.push(raw[i] as string, raw[i + 1] as string);
  }
  const hasBody = req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] ?? "0") !== "0";
  const exchange = new Exchange(res);
  res.once("close", () => {
    if (!res.writableFinished) exchange.controller?.abort(new Error("client went away"));
  });
  pool.dispatch({ path: req.url ?? "/", method: req.method ?? "GET", headers, body: hasBody ? req : null }, exchange);
}

/** Listens on `port` (0: any), alone or beside other threads on the same port; resolves the port. */
function serve(port: number, reusePort: boolean): Promise<number> {
  const server = createServer({ requestTimeout: 0 }, proxy);
  process.once("SIGTERM", () => {
    server.close();
    server.closeAllConnections();
    void pool.close().then(() => process.exit(0));
  });
  return new Promise((resolve) =>
    server.listen({ port, host: "127.0.0.1", reusePort }, () => resolve((server.address() as { port: number }).port)),
  );
}

async function startThreads(port: number): Promise<Worker[]> {
  const workers = Array.from(
    { length: threads },
    () => new Worker(import.meta.filename, { argv: [upstream, String(port), "1"] }),
  );
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once("message", resolve))));
  return workers;
}

if (!isMainThread) {
  parentPort?.postMessage(await serve(Number(portArg), true));
} else if (threads > 1) {
  // Threads with reusePort each bind their own socket, so port 0 would give each its own port.
  const port = Number(portArg) || (await freePort());
  const workers = await startThreads(port);
  console.log(`listening http://127.0.0.1:${port}`);
  process.once("SIGTERM", () => {
    void Promise.all(workers.map((worker) => worker.terminate())).then(() => process.exit(0));
  });
} else {
  console.log(`listening http://127.0.0.1:${await serve(Number(portArg), false)}`);
}
