import { existsSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import { Readable } from "node:stream";
import { request } from "undici";
import { afterAll, beforeAll, expect, test } from "vitest";
import { TestConfigDb } from "./test-support/config-db.ts";
import { closeServer, type GatewayProcess, startEcho, startGateway } from "./test-support/servers.ts";

const SIZE = 100 * 1024 * 1024;
const MB = 1024 * 1024;

let config: TestConfigDb;
let gateway: GatewayProcess;
let echo: { server: Server; url: string };

beforeAll(async () => {
  echo = await startEcho();
  config = new TestConfigDb();
  // 100 MB is over the default body limit, which is not what this test measures.
  // One proxy thread: the warm-up must warm the thread that then streams, and a connection's
  // worker is the kernel's choice. A worker streams with the same code.
  gateway = await startGateway(config.dir, { GATEHOUSE_MAX_BODY_BYTES: "0", GATEHOUSE_WORKERS: "1" });
  const { upstreamId } = config.addUpstream([{ url: echo.url }]);
  const { revision } = config.addApi(upstreamId, [{ paths: ["/files"] }]);
  await gateway.waitForRevision(revision);
}, 30_000);

afterAll(async () => {
  await gateway?.stop();
  await closeServer(echo.server);
  config.remove();
});

/** Resident and peak resident memory of the gateway process, from /proc (Linux). */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

function chunks(total: number): Readable {
  const chunk = Buffer.alloc(64 * 1024, 0x62);
  let left = total;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const size = Math.min(left, chunk.length);
      left -= size;
      this.push(size === chunk.length ? chunk : chunk.subarray(0, size));
    },
  });
}

test.skipIf(!existsSync("/proc/self/status"))(
  "[STREAM] 100 MB up and 100 MB down pass with flat gateway memory",
  async () => {
    const pid = gateway.child.pid as number;
    // Warm up with 20 MB each way, so V8's young generation and socket buffers have reached their
    // working size: what is measured after is growth with body size, not one-time heap sizing.
    const warmUp = await request(`${gateway.proxyUrl}/files/drain`, { method: "POST", body: chunks(20 * MB) });
    await warmUp.body.dump();
    const warmDown = await request(`${gateway.proxyUrl}/files/bytes/${20 * MB}`);
    for await (const _ of warmDown.body);
    const before = memory(pid);

    const upload = await request(`${gateway.proxyUrl}/files/drain`, {
      method: "POST",
      body: chunks(SIZE),
      headers: { "content-type": "application/octet-stream" },
    });
    expect(upload.statusCode).toBe(200);
    expect(await upload.body.json()).toEqual({ bytes: SIZE });

    const download = await request(`${gateway.proxyUrl}/files/bytes/${SIZE}`);
    expect(download.statusCode).toBe(200);
    let received = 0;
    for await (const chunk of download.body) received += (chunk as Buffer).length;
    expect(received).toBe(SIZE);

    const after = memory(pid);
    const growth = after.peak - Math.max(before.rss, before.peak);
    console.log(
      `gateway RSS ${(before.rss / MB).toFixed(0)} MB (peak ${(before.peak / MB).toFixed(0)}) after warm-up, ` +
        `peak ${(after.peak / MB).toFixed(0)} MB after 2 × 100 MB`,
    );
    expect(growth).toBeLessThan(50 * MB);
  },
  120_000,
);
