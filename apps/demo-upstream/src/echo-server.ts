import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** Echoed bodies are kept as text up to this size; larger ones are only counted. */
export const ECHO_BODY_LIMIT = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

export interface EchoReply {
  method: string;
  /** The request target exactly as received: path and raw query string. */
  path: string;
  /** The query string parsed (last value wins). */
  query: Record<string, string>;
  headers: IncomingMessage["headers"];
  body?: string;
  bodyBytes?: number;
}

/** A small upstream for demos and tests: echo, streamed download and streamed upload counter. */
export function createEchoServer(): Server {
  return createServer(function handleEcho(req, res) {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const bytesMatch = req.method === "GET" ? /^\/bytes\/(\d+)$/.exec(path) : null;
    if (bytesMatch) return sendBytes(req, res, Number(bytesMatch[1]));
    if (req.method === "POST" && path === "/drain") return drain(req, res);
    echo(req, res, url, q === -1 ? "" : url.slice(q + 1));
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function echo(req: IncomingMessage, res: ServerResponse, target: string, rawQuery: string): void {
  const chunks: Buffer[] = [];
  let bytes = 0;
  req.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes <= ECHO_BODY_LIMIT) chunks.push(chunk);
    else chunks.length = 0;
  });
  req.on("end", () => {
    const query = Object.fromEntries(new URLSearchParams(rawQuery));
    const reply: EchoReply = { method: req.method ?? "GET", path: target, query, headers: req.headers };
    if (bytes <= ECHO_BODY_LIMIT) reply.body = Buffer.concat(chunks).toString("utf8");
    else reply.bodyBytes = bytes;
    sendJson(res, 200, reply);
  });
}

function drain(req: IncomingMessage, res: ServerResponse): void {
  let bytes = 0;
  req.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
  });
  req.on("end", () => sendJson(res, 200, { bytes }));
}

/** Streams n bytes in 64 KiB chunks, waiting for drain, so nothing is buffered whole. */
function sendBytes(req: IncomingMessage, res: ServerResponse, n: number): void {
  req.resume();
  res.writeHead(200, { "content-type": "application/octet-stream", "content-length": n });
  let left = n;
  const write = () => {
    while (left > 0) {
      const size = Math.min(left, CHUNK.length);
      left -= size;
      if (!res.write(size === CHUNK.length ? CHUNK : CHUNK.subarray(0, size))) {
        res.once("drain", write);
        return;
      }
    }
    res.end();
  };
  res.on("close", () => {
    left = 0;
  });
  write();
}
