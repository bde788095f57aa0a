/**
 * What the gateway's key index costs in memory: seeds a config.db with `keys` keys, then loads
 * them with `KeyIndex.loadAll` in a fresh process per checkout (this one, and `--base DIR`, a
 * checkout made by `bench/base-checkout.sh`, when given) and reports load time, heap after a full GC,
 * and RSS.
 *
 *   node bench/key-index-memory.ts [--keys 1000000] [--base /tmp/base]
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { checkoutsToCompare, measureEachCheckout, writeResult } from "./compare.ts";

const INDEX = "apps/gateway/src/policies/key-index.ts";

if (process.argv[2] === "--load") {
  const { KeyIndex } = (await import(
    process.argv[3] as string
  )) as typeof import("../apps/gateway/src/policies/key-index.ts");
  const db = new Database(process.argv[4] as string, { readonly: true });
  const index = new KeyIndex();
  const t0 = performance.now();
  index.loadAll(db);
  const loadMs = performance.now() - t0;
  (globalThis as { gc?: () => void }).gc?.();
  const status = readFileSync("/proc/self/status", "utf8");
  const mb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) / 1024;
  const { heapUsed, heapTotal } = process.memoryUsage();
  console.log(
    JSON.stringify({
      keys: index.size,
      loadMs,
      heapUsed: heapUsed / 2 ** 20,
      heapTotal: heapTotal / 2 ** 20,
      rss: mb("VmRSS"),
      hwm: mb("VmHWM"),
    }),
  );
  process.exit(0);
}

// Seeding needs drizzle, imported only here: in the measuring process it would add its own
// ~190 MB of RSS (see packages/db/src/drizzle-resolve.ts) to what the index costs.
const { keyConfigDir } = await import("./key-config.ts");
const { values } = parseArgs({ options: { keys: { type: "string", default: "1000000" }, base: { type: "string" } } });
const keys = Number(values.keys);
const dir = keyConfigDir(keys);
try {
  const rows = measureEachCheckout<Record<string, number>>(
    checkoutsToCompare(values.base),
    3,
    (checkout) => [
      "--expose-gc",
      import.meta.filename,
      "--load",
      path.join(checkout.root, INDEX),
      path.join(dir, "config.db"),
    ],
    (checkout, run, m) => {
      const f = (v: number | undefined) => (v ?? 0).toFixed(0);
      return `| ${checkout.label} | ${run} | ${f(m.loadMs)} | ${f(m.heapUsed)} | ${f(m.heapTotal)} | ${f(m.rss)} | ${f(m.hwm)} |`;
    },
  );
  writeResult("key-index-memory", "Key index memory", [
    `${keys.toLocaleString("en")} keys in config.db; each run loads them with \`KeyIndex.loadAll\` in a fresh process, then forces a full GC. MB are MiB.`,
    "",
    "| checkout | run | load ms | heap used after GC MB | heap total MB | RSS MB | peak RSS MB |",
    "|---|---|---|---|---|---|---|",
    ...rows,
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
