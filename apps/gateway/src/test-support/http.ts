import { type IncomingHttpHeaders, request } from "node:http";
import { connect } from "node:net";

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: <T = Record<string, unknown>>() => T;
}

/** A plain node:http request (no fetch), so tests can send headers fetch forbids (Connection, TE, Host). */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

export interface RawExchange {
  /** Status of the first response, 0 when none came. */
  status: number;
  /** Lower-cased headers of the first response. */
  headers: Record<string, string>;
  body: string;
  /** Everything the server sent. */
  text: string;
  /** The server closed the connection before `waitMs`. */
  closed: boolean;
}

/**
 * Writes `raw` bytes (latin1) to the server and collects what comes back until the server closes
 * the connection, or `waitMs` passes (then the client closes it).
 */
export function rawExchange(url: string, raw: string, waitMs = 3_000): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let text = "";
    let closed = true;
    const timer = setTimeout(() => {
      closed = false;
      socket.destroy();
    }, waitMs);
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ ...parseResponse(text), text, closed });
    });
    socket.write(Buffer.from(raw, "latin1"));
  });
}

function parseResponse(text: string): Pick<RawExchange, "status" | "headers" | "body"> {
  const end = text.indexOf("\r\n\r\n");
  const head = end === -1 ? text : text.slice(0, end);
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  return { status, headers, body: end === -1 ? "" : text.slice(end + 4) };
}
