import { createServer, type IncomingMessage, request } from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, expect, test } from "vitest";
import { RequestBody } from "./request-body.ts";

type Check = (req: IncomingMessage) => Promise<unknown>;
let check: Check = async () => null;
const server = createServer((req, res) => {
  check(req).then(
    (answer) => res.end(JSON.stringify(answer)),
    (error: Error) => res.end(JSON.stringify({ error: error.name })),
  );
});

beforeAll(() => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends `chunks` (chunked unless `length` is set) and returns what the server answered. */
function send(chunks: string[], length?: number): Promise<unknown> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const headers = length === undefined ? {} : { "content-length": String(length) };
    const req = request({ port, host: "127.0.0.1", method: "POST", headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve(JSON.parse(text)));
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

async function text(body: Buffer | Readable): Promise<string> {
  if (Buffer.isBuffer(body)) return body.toString();
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString();
}

test("a body under the limit is read whole, and the same bytes are what goes upstream", async () => {
  check = async (req) => {
    const body = new RequestBody(req);
    const read = await body.read(100);
    return { read: read?.toString(), again: (await body.read(1))?.toString(), sent: await text(body.forwarded(0)) };
  };
  expect(await send(["hello ", "world"])).toEqual({ read: "hello world", again: "hello world", sent: "hello world" });
  expect(await send(["abc"], 3)).toEqual({ read: "abc", again: "abc", sent: "abc" });
});

test("a body over the limit reads as null and is still sent whole: what was read, then the rest", async () => {
  const big = Array.from({ length: 40 }, (_, i) => `${String(i).padStart(4, "0")}${"x".repeat(996)}`);
  check = async (req) => {
    const body = new RequestBody(req);
    const read = await body.read(5000);
    const sent = await text(body.forwarded(0));
    return { read, length: sent.length, same: sent === big.join("") };
  };
  expect(await send(big)).toEqual({ read: null, length: 40_000, same: true });
});

test("the gateway's body limit still holds for a body a policy read", async () => {
  check = async (req) => {
    const body = new RequestBody(req);
    await body.read(10);
    try {
      return { sent: await text(body.forwarded(20)) };
    } catch (error) {
      return { error: (error as Error).name };
    }
  };
  expect(await send(["0123456789", "0123456789", "0123456789"])).toEqual({ error: "BodyTooLargeError" });
  expect(await send(["0123456789", "0123456789"])).toEqual({ sent: "01234567890123456789" });
});

test("a request without a body reads as an empty buffer", async () => {
  check = async (req) => ({ read: (await new RequestBody(req).read(10))?.length });
  expect(await send([], 0)).toEqual({ read: 0 });
});
