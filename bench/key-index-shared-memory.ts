/**
 * What the shared key index costs a host with worker threads: seeds a config.db with `keys`
 * keys, then in a fresh process loads them with `KeyIndex.loadAll` and attaches `workers`
 * worker threads, each a `KeyIndexReader` over `share()` that looks up 10,000 of the keys;
 * reports load time, the host's heap after a full GC, and the whole process's RSS and peak RSS.
 *
 *   node bench/key-index-shared-memory.ts [--keys 1000000] [--workers 2]
 */
import { once } from "node:events";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { KeyIndex } from "../apps/gateway/src/policies/key-index.ts";
import { KeyIndexReader } from "../apps/gateway/src/policies/key-index-reader.ts";
import type { KeyIndexShare } from "../apps/gateway/src/policies/key-table-layout.ts";
import { checkoutsToCompare, measureEachCheckout, writeResult } from "./compare.ts";

if (!isMainThread) {
  const { share, digests } = workerData as { share: KeyIndexShare; digests: string[] };
  const reader = new KeyIndexReader(share);
  parentPort?.postMessage(digests.filter((digest) => reader.get(digest) !== undefined).length);
} else if (process.argv[2] === "--load") {
  const db = new Database(process.argv[3] as string, { readonly: true });
  const index = new KeyIndex();
  const t0 = performance.now();
  index.loadAll(db);
  const loadMs = performance.now() - t0;
  const hashes = db.prepare("SELECT hash FROM api_keys ORDER BY random() LIMIT 10000").pluck().all() as string[];
  const digests = hashes.map((hash) => Buffer.from(hash, "hex").toString("latin1"));
  const workers = Array.from(
    { length: Number(process.argv[4]) },
    () => new Worker(import.meta.filename, { workerData: { share: index.share(), digests } }),
  );
  const found = await Promise.all(workers.map(async (worker) => (await once(worker, "message"))[0] as number));
  if (found.some((n) => n !== digests.length))
    throw new Error(`a worker found ${found.join(", ")} of ${digests.length}`);
  (globalThis as { gc?: () => void }).gc?.();
  const status = readFileSync("/proc/self/status", "utf8");
  const mb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) / 1024;
  const { heapUsed } = process.memoryUsage();
  console.log(
    JSON.stringify({ keys: index.size, loadMs, heapUsed: heapUsed / 2 ** 20, rss: mb("VmRSS"), hwm: mb("VmHWM") }),
  );
  process.exit(0);
} else {
  const { keyConfigDir } = await import("./key-config.ts");
  const { values } = parseArgs({
    options: { keys: { type: "string", default: "1000000" }, workers: { type: "string", default: "2" } },
  });
  const keys = Number(values.keys);
  const dir = keyConfigDir(keys);
  try {
    const rows = measureEachCheckout<Record<string, number>>(
      checkoutsToCompare(undefined),
      3,
      () => ["--expose-gc", import.meta.filename, "--load", path.join(dir, "config.db"), values.workers as string],
      (_, run, m) => {
        const f = (v: number | undefined) => (v ?? 0).toFixed(0);
        return `| ${run} | ${f(m.loadMs)} | ${f(m.heapUsed)} | ${f(m.rss)} | ${f(m.hwm)} |`;
      },
    );
    writeResult("key-index-shared-memory", "Shared key index memory", [
      `${keys.toLocaleString("en")} keys in config.db; each run loads them with \`KeyIndex.loadAll\` in a fresh process, attaches ${values.workers} worker threads as \`KeyIndexReader\`s that each look up 10,000 keys, then forces a full GC on the host thread. RSS is the whole process, workers included. MB are MiB.`,
      "",
      "| run | load ms | host heap used after GC MB | RSS MB | peak RSS MB |",
      "|---|---|---|---|---|",
      ...rows,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
