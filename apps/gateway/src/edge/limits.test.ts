import { createServer, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { TestConfigDb } from "../test-support/config-db.ts";
import { type RawExchange, rawExchange } from "../test-support/http.ts";
import { closeServer, type GatewayProcess, listenLocal, startGateway } from "../test-support/servers.ts";

const LIMITS = {
  GATEHOUSE_MAX_HEADER_BYTES: "2048",
  GATEHOUSE_MAX_BODY_BYTES: "1000",
  GATEHOUSE_MAX_URL_BYTES: "256",
  GATEHOUSE_HEADERS_TIMEOUT_MS: "1000",
  GATEHOUSE_REQUEST_TIMEOUT_MS: "2000",
  GATEHOUSE_MAX_CONNECTIONS: "20",
};

let config: TestConfigDb;
let gateway: GatewayProcess;
let upstream: Server;
/** Requests the upstream started to receive, and bodies it received whole. */
const seen = { started: 0, completed: 0 };

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.started++;
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on("end", () => {
      seen.completed++;
      res.end(String(bytes));
    });
  });
  config = new TestConfigDb();
  gateway = await startGateway(config.dir, LIMITS);
  const { upstreamId } = config.addUpstream([{ url: await listenLocal(upstream) }]);
  const { revision } = config.addApi(upstreamId, [{ paths: ["/l"] }]);
  await gateway.waitForRevision(revision);
}, 30_000);

afterAll(async () => {
  await gateway?.stop();
  await closeServer(upstream);
  config.remove();
});

function expectError(res: RawExchange, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.connection).toBe("close");
  expect(JSON.parse(res.body)).toEqual({
    error: { code, message: expect.any(String), requestId: res.headers["x-request-id"] },
  });
}

/** Sends `head`, then `drip` one piece at a time every `everyMs`, until the gateway closes the connection. */
function trickle(head: string, drip: string, everyMs: number): Promise<RawExchange> {
  return new Promise((resolve) => {
    const { port } = new URL(gateway.proxyUrl);
    const socket: Socket = connect(Number(port), "127.0.0.1");
    let text = "";
    const timer = setInterval(() => socket.write(drip), everyMs);
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(timer);
      const end = text.indexOf("\r\n\r\n");
      const headers = Object.fromEntries(
        text
          .slice(0, end)
          .split("\r\n")
          .slice(1)
          .map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
      );
      resolve({ status: Number(text.slice(9, 12)), headers, body: text.slice(end + 4), text, closed: true });
    });
    socket.write(head);
  });
}

test("[LIMITS] headers over the limit → 431 from Node's parser, with our JSON", async () => {
  const res = await rawExchange(gateway.proxyUrl, `GET /l HTTP/1.1\r\nHost: gw\r\nX-Big: ${"a".repeat(3000)}\r\n\r\n`);
  expectError(res, 431, "headers_too_large");
  expect(seen.started).toBe(0);
});

test("[LIMITS] a request target over the limit → 414", async () => {
  const res = await rawExchange(gateway.proxyUrl, `GET /l/${"a".repeat(300)} HTTP/1.1\r\nHost: gw\r\n\r\n`);
  expectError(res, 414, "uri_too_long");
  expect(seen.started).toBe(0);
});

test("[LIMITS] a Content-Length over the limit → 413 before anything is forwarded", async () => {
  const res = await rawExchange(gateway.proxyUrl, "POST /l HTTP/1.1\r\nHost: gw\r\nContent-Length: 5000\r\n\r\n");
  expectError(res, 413, "payload_too_large");
  expect(seen.started).toBe(0);
});

test("[LIMITS] a chunked body that grows over the limit → 413; the upstream never gets it whole", async () => {
  const chunk = `258\r\n${"b".repeat(600)}\r\n`;
  const res = await trickle(`POST /l HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n${chunk}`, chunk, 50);
  expectError(res, 413, "payload_too_large");
  expect(seen.completed).toBe(0);

  const small = await rawExchange(
    gateway.proxyUrl,
    `POST /l HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk}0\r\n\r\n`,
  );
  expect([small.status, small.body]).toEqual([200, "600"]);
});

test("[LIMITS] a slowloris sending one header byte at a time is cut off with 408", async () => {
  const res = await trickle("GET /l HTTP/1.1\r\nHost: gw\r\nX-Slow: ", "a", 100);
  expectError(res, 408, "request_timeout");
}, 10_000);

test("[LIMITS] a body that trickles past the request timeout → 408", async () => {
  const res = await trickle("POST /l HTTP/1.1\r\nHost: gw\r\nContent-Length: 900\r\n\r\n", "c", 100);
  expectError(res, 408, "request_timeout");
}, 10_000);

test("[LIMITS] connections over the cap are closed at once; the gateway serves again when they go", async () => {
  const { port } = new URL(gateway.proxyUrl);
  const open = await Promise.all(
    Array.from(
      { length: 20 },
      () =>
        new Promise<Socket>((resolve) => {
          const socket = connect(Number(port), "127.0.0.1", () => resolve(socket));
          socket.on("error", () => {});
        }),
    ),
  );
  // A client's connect completes in the kernel's backlog: wait until the gateway has taken all 20.
  while (!/^gatehouse_client_connections 20$/m.test(await (await fetch(`${gateway.statusUrl}/metrics`)).text())) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const refused = await rawExchange(gateway.proxyUrl, "GET /l HTTP/1.1\r\nHost: gw\r\n\r\n");
  expect(refused).toMatchObject({ status: 0, text: "", closed: true });
  for (const socket of open) socket.destroy();
  for (;;) {
    const res = await rawExchange(gateway.proxyUrl, "GET /l HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
    if (res.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(gateway.output()).toMatch(/edge: 20 client connections open, refused 1 new connection\(s\)/);
}, 10_000);
