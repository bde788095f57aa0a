import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { httpLogSchema } from "./schema.ts";
import { HttpLogSender } from "./sender.ts";

const received: string[] = [];
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk: Buffer) => {
    body += chunk;
  });
  req.on("end", () => {
    received.push(body);
    res.writeHead(req.url === "/down" ? 500 : 204).end();
  });
});
let url = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const until = async (done: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

function sender(path: string, config: Record<string, unknown>) {
  const counts: Record<string, number> = {};
  const logged: string[] = [];
  const services = {
    metrics: {
      count: (_metric: unknown, _id: string, outcome: string) => (counts[outcome] = (counts[outcome] ?? 0) + 1),
    },
    log: (line: string) => logged.push(line),
  };
  const parsed = httpLogSchema.config.parse({ url: `${url}${path}`, ...config });
  return { sender: new HttpLogSender(parsed, "pol_test", services), counts, logged };
}

test("a closed sender still sends what it held, and what comes after", async () => {
  const { sender: s } = sender("/up", { flushIntervalMs: 60_000, batchSize: 10 });
  s.push('{"n":1}');
  s.push('{"n":2}');
  s.close();
  s.push('{"n":3}');
  await until(() => received.join("").includes('{"n":3}'));
  expect(
    received
      .join("")
      .trimEnd()
      .split("\n")
      .filter((line) => line.startsWith('{"n":')),
  ).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
});

test("a batch refused through every retry is dropped, counted per entry and logged", async () => {
  const { sender: s, counts, logged } = sender("/down", { flushIntervalMs: 10, retries: 2, retryBackoffMs: 1 });
  s.push('{"d":1}');
  s.push('{"d":2}');
  await until(() => counts.failed === 2);
  expect(received.filter((body) => body.includes('{"d":1}'))).toHaveLength(3);
  expect(logged).toEqual(["http-log pol_test: dropped 2 entries: the sink answered 500"]);
  s.close();
});
