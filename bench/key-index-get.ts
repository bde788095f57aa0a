/**
 * What one key lookup costs on the request path: seeds a config.db with `keys` keys, loads them
 * with `KeyIndex.loadAll` in a fresh process per checkout (this one, and `--base DIR` when
 * given), then times `get` over a shuffled sample of the stored digests, plus one digest never
 * issued in ten: over 100,000 of them, which miss the CPU caches and any cache of the index, and
 * over 1,000, as when traffic carries a few keys again and again.
 *
 *   node bench/key-index-get.ts [--keys 1000000] [--base /tmp/base]
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { checkoutsToCompare, measureEachCheckout, writeResult } from "./compare.ts";

const INDEX = "apps/gateway/src/policies/key-index.ts";
const SAMPLE = 100_000;
const FEW = 1_000;
const ROUNDS = 20;

interface Lookup {
  get(digest: string): unknown;
}

/** Nanoseconds per `get`, the best of `ROUNDS` passes over the sample after two to warm up. */
function nsPerGet(index: Lookup, digests: string[]): number {
  let best = Number.POSITIVE_INFINITY;
  let found = 0;
  for (let round = 0; round < ROUNDS + 2; round++) {
    const t0 = process.hrtime.bigint();
    for (const digest of digests) if (index.get(digest) !== undefined) found++;
    const ns = Number(process.hrtime.bigint() - t0) / digests.length;
    if (round >= 2) best = Math.min(best, ns);
  }
  if (found === 0) throw new Error("no digest was found");
  return best;
}

if (process.argv[2] === "--measure") {
  const root = process.argv[3] as string;
  const { KeyIndex } = (await import(
    path.join(root, INDEX)
  )) as typeof import("../apps/gateway/src/policies/key-index.ts");
  const db = new Database(process.argv[4] as string, { readonly: true });
  const index = new KeyIndex();
  index.loadAll(db);
  const hashes = db.prepare("SELECT hash FROM api_keys ORDER BY random() LIMIT ?").pluck().all(SAMPLE) as string[];
  const digests = hashes.map((hash, i) =>
    // One in ten has its last byte changed: a key presented but never issued.
    Buffer.from(i % 10 === 9 ? `${hash.slice(0, 62)}${hash.slice(62) === "00" ? "01" : "00"}` : hash, "hex").toString(
      "latin1",
    ),
  );
  const measured = {
    many: nsPerGet(index, digests),
    few: nsPerGet(
      index,
      Array(SAMPLE / FEW)
        .fill(digests.slice(0, FEW))
        .flat(),
    ),
  };
  console.log(JSON.stringify(measured));
  process.exit(0);
}

const { keyConfigDir } = await import("./key-config.ts");
const { values } = parseArgs({ options: { keys: { type: "string", default: "1000000" }, base: { type: "string" } } });
const keys = Number(values.keys);
const dir = keyConfigDir(keys);
try {
  const f = (v: number) => v.toFixed(0);
  const rows = measureEachCheckout<{ many: number; few: number }>(
    checkoutsToCompare(values.base),
    3,
    (checkout) => [import.meta.filename, "--measure", checkout.root, path.join(dir, "config.db")],
    (checkout, run, m) => `| ${checkout.label} | ${run} | ${f(m.many)} | ${f(m.few)} |`,
  );
  writeResult("key-index-get", "Key index lookup", [
    `${keys.toLocaleString("en")} keys in config.db; each run loads them in a fresh process, then looks up ${SAMPLE.toLocaleString("en")} digests (a tenth never issued) ${ROUNDS} times and keeps the fastest pass, and the same over the first ${FEW.toLocaleString("en")} of them, each ${SAMPLE / FEW} times. ns per \`KeyIndex.get\`.`,
    "",
    `| checkout | run | ${SAMPLE.toLocaleString("en")} keys, ns | ${FEW.toLocaleString("en")} keys, ns |`,
    "|---|---|---|---|",
    ...rows,
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
