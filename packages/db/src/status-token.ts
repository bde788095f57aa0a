import { randomBytes, timingSafeEqual } from "node:crypto";
import { keptInDataDir } from "./data-dir-file.ts";

const MIN_LENGTH = 16;

/**
 * The token that guards the gateway's status port endpoints carrying traffic details (/stream,
 * /requests). `GATEHOUSE_STATUS_TOKEN` when set; else a random one kept in the data dir, made
 * by whichever of the gateway and the console asks first, readable by the owner only.
 */
export function statusToken(dataDir: string, fromEnv = process.env.GATEHOUSE_STATUS_TOKEN): string {
  if (fromEnv !== undefined && fromEnv !== "") {
    if (fromEnv.length < MIN_LENGTH)
      throw new Error(`GATEHOUSE_STATUS_TOKEN must be at least ${MIN_LENGTH} characters`);
    return fromEnv;
  }
  return keptInDataDir(dataDir, "status-token", () => randomBytes(32).toString("base64url"), 0o600);
}

/** Compares a presented bearer token in constant time. */
export function tokenMatches(presented: string | undefined | null, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
