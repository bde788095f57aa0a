import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rename } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import type { ConfigSnapshot, KeyTotals, RawKey } from "@gatehouse/db";
import type { WholeConfig } from "./config-events.ts";

/**
 * The node's last good config, one JSON value a line: a header (the console it came from, the
 * rows, the key totals), then the keys in pages, then the SHA-256 of every line before it.
 * Lines, so a million keys are written and read a page at a time, never as one string.
 */
export const CACHE_FILE = "node-config.ndjson";
const FORMAT = 1;
/**
 * Keys per line: a line is serialised between two turns of the event loop. 1,000,000 keys on
 * the loaded 2-core host: a 143 MB file written in 3.7 s, the longest stall 43 ms (191 ms at
 * 10,000 a line); read and checked in 2.3-3.2 s, loaded into the index in 2.9-4.5 s.
 */
export const CACHE_KEYS_PAGE = 1_000;

interface Header {
  format: number;
  /** The console whose revisions these are: another console's revision numbers mean other changes. */
  console: string;
  savedAt: string;
  keys: KeyTotals;
  snapshot: ConfigSnapshot;
}

export interface CachedConfig extends WholeConfig {
  savedAt: string;
}

export function cachePath(dataDir: string): string {
  return path.join(dataDir, CACHE_FILE);
}

/**
 * Writes the cache atomically: a temporary file, fsynced, renamed over the old one, and the
 * directory fsynced, so a crash at any point leaves the old cache or the new one. Each page is
 * its own write, so the event loop runs between them.
 */
export async function writeConfigCache(
  dataDir: string,
  consoleUrl: string,
  snapshot: ConfigSnapshot,
  keys: KeyTotals,
  pages: Iterable<RawKey[]>,
): Promise<void> {
  const file = cachePath(dataDir);
  const temporary = `${file}.tmp`;
  const hash = createHash("sha256");
  const handle = await open(temporary, "w", 0o600);
  try {
    const line = async (text: string) => {
      hash.update(text);
      await handle.write(text);
    };
    const header: Header = { format: FORMAT, console: consoleUrl, savedAt: new Date().toISOString(), keys, snapshot };
    await line(`${JSON.stringify(header)}\n`);
    for (const page of pages) await line(`${JSON.stringify(page)}\n`);
    await handle.write(`${JSON.stringify({ sha256: hash.digest("hex") })}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  const directory = await open(dataDir, "r");
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

export type CacheRead = { cached: CachedConfig } | { refused: string } | null;

/**
 * Reads the cache of the console at `consoleUrl`: null when there is none, `refused` (why) when it fails its
 * checksum, cannot be parsed or is another console's. Nothing of it is used before the checksum
 * of the whole file is checked.
 */
export async function readConfigCache(dataDir: string, consoleUrl: string): Promise<CacheRead> {
  const file = cachePath(dataDir);
  const hash = createHash("sha256");
  const lines: string[] = [];
  try {
    const input = createReadStream(file, "utf8");
    for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      const previous = lines.at(-1);
      if (previous !== undefined) hash.update(`${previous}\n`);
      lines.push(line);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    return { refused: `cannot read it (${(error as Error).message})` };
  }
  const trailer = lines.pop();
  let expected: unknown;
  try {
    expected = (JSON.parse(trailer ?? "") as { sha256?: unknown }).sha256;
  } catch {
    expected = undefined;
  }
  if (typeof expected !== "string") return { refused: "it has no checksum (a write that did not finish?)" };
  const actual = hash.digest("hex");
  if (actual !== expected) return { refused: `its checksum does not match (sha256 ${actual}, recorded ${expected})` };
  let header: Header;
  try {
    header = JSON.parse(lines.shift() ?? "") as Header;
  } catch (error) {
    return { refused: `it cannot be parsed (${(error as Error).message})` };
  }
  if (header.format !== FORMAT) return { refused: `it is in format ${header.format}, not ${FORMAT}` };
  if (header.console !== consoleUrl) return { refused: `it is the config of another console (${header.console})` };
  return { cached: { snapshot: header.snapshot, keys: header.keys, pages: lines, savedAt: header.savedAt } };
}
