import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { currentRevision } from "@gatehouse/db";
import type { AccessLogEntry } from "@gatehouse/policies";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "../test-support/servers.ts";
import { makeApi, until } from "./log-sink-support.ts";

let admin: AdminApiHarness;
let gateway: GatewayProcess;
let echo: Awaited<ReturnType<typeof startEcho>>;
let logDir: string;

beforeAll(async () => {
  admin = startAdminApi();
  echo = await startEcho();
  logDir = mkdtempSync(path.join(tmpdir(), "gatehouse-file-log-"));
  // Two proxy workers (the test default) append to the same files.
  gateway = await startGateway(admin.dataDir);
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  if (echo) await closeServer(echo.server);
  admin?.close();
  if (logDir) rmSync(logDir, { recursive: true, force: true });
});

const synced = () => gateway.waitForRevision(currentRevision(admin.db));

/** A request on a connection of its own, so the kernel spreads them over both workers. */
function get(url: string, requestId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { "x-request-id": requestId } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

/** `total` requests, `concurrency` at a time; the ids sent. */
async function load(prefix: string, total: number, concurrency: number): Promise<string[]> {
  const ids = Array.from({ length: total }, (_, i) => `${prefix}-${i}`);
  let next = 0;
  const lane = async () => {
    while (next < total) {
      const id = ids[next++] as string;
      expect(await get(`${gateway.proxyUrl}/${prefix}/x?secret=do-not-log`, id)).toBe(200);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return ids;
}

const linesOf = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").slice(0, -1) : []);

test("[LOGS] file-log lines from two workers under concurrent load arrive whole, one per request", async () => {
  const file = path.join(logDir, "access.log");
  await makeApi(admin, echo.url, "filed", [{ type: "file-log", config: { path: file, flushIntervalMs: 20 } }]);
  await synced();
  const ids = await load("filed", 300, 24);
  const lines = await until("every line", () => {
    const got = linesOf(file);
    return got.length >= ids.length ? got : undefined;
  });
  // Whole lines: each parses on its own; none is lost or written twice.
  const entries = lines.map((line) => JSON.parse(line) as AccessLogEntry);
  expect(entries.map((entry) => entry.requestId).sort()).toEqual([...ids].sort());
  expect(entries.every((entry) => entry.path === "/filed/x" && entry.status === 200)).toBe(true);
  expect(readFileSync(file, "utf8")).not.toContain("do-not-log");
}, 60_000);

test("[LOGS] file-log rotates at maxBytes and keeps maxFiles files of whole lines", async () => {
  const file = path.join(logDir, "rotated.log");
  await makeApi(admin, echo.url, "rotated", [
    { type: "file-log", config: { path: file, maxBytes: 4096, maxFiles: 3, flushIntervalMs: 20 } },
  ]);
  await synced();
  const ids = new Set(await load("rotated", 300, 24));
  const files = [file, `${file}.1`, `${file}.2`, `${file}.3`];
  // The newest requests are in the newest file once the writes settle.
  await until("the last lines", () => (linesOf(file).length > 0 && existsSync(`${file}.3`) ? true : undefined));
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(existsSync(`${file}.4`)).toBe(false);
  expect(existsSync(`${file}.rotating`)).toBe(false);
  let kept = 0;
  for (const name of files) {
    const lines = linesOf(name);
    expect(lines.length, name).toBeGreaterThan(0);
    for (const line of lines) expect(ids.has((JSON.parse(line) as AccessLogEntry).requestId)).toBe(true);
    kept += lines.length;
  }
  // 300 lines of ~300 bytes do not fit in four files rotated at 4 KiB (a batch goes whole into one file): the oldest went.
  expect(kept).toBeLessThan(ids.size);
}, 60_000);
