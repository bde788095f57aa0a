import { parentPort, workerData } from "node:worker_threads";
import { KeyIndexReader } from "../policies/key-index-reader.ts";
import type { KeyIndexShare } from "../policies/key-table-layout.ts";

/** Attach to a new share, then look digests up; the answer lists what `get` gave, null for none. */
export interface LookupRequest {
  share?: KeyIndexShare;
  lookup: string[];
}

/**
 * Read one digest in a loop until `control[0]` is set, counting reads in `control[1]` (notified, so the host can wait for them); each
 * identity must be one state `n` as a whole: revoked at `revokedFrom + n` ms, expiring at
 * `expiresFrom + n` ms, limits `{ minute: n + 1 }`, API ids `[api_<n>]`.
 */
export interface SpinRequest {
  spin: string;
  control: SharedArrayBuffer;
  revokedFrom: number;
  expiresFrom: number;
}

export interface SpinResult {
  reads: number;
  torn: number;
  states: number;
  last: number;
}

/** A worker thread holding a `KeyIndexReader`, as a proxy worker will: for key-index-reader.test.ts. */
let reader = new KeyIndexReader((workerData as { share: KeyIndexShare }).share);
const port = parentPort as NonNullable<typeof parentPort>;

port.on("message", (request: LookupRequest | SpinRequest) => {
  if ("spin" in request) {
    port.postMessage(spin(request));
    return;
  }
  if (request.share) reader = new KeyIndexReader(request.share);
  port.postMessage(request.lookup.map((digest) => reader.get(digest) ?? null));
});

function spin({ spin: digest, control, revokedFrom, expiresFrom }: SpinRequest): SpinResult {
  const flags = new Int32Array(control);
  const seen = new Set<number>();
  let torn = 0;
  let last = -1;
  let reads = 0;
  for (let stop = 0; stop === 0; ) {
    // Read after the stop flag, so the last read is of the host's last state.
    stop = Atomics.load(flags, 0);
    const key = reader.get(digest);
    const n = (key?.revokedAt ?? Number.NaN) - revokedFrom;
    const whole =
      key?.expiresAt === expiresFrom + n &&
      key.limits.minute === n + 1 &&
      key.apiIds?.size === 1 &&
      key.apiIds.has(`api_${n}`);
    if (!whole) torn++;
    seen.add(n);
    last = n;
    reads++;
    Atomics.store(flags, 1, reads);
    Atomics.notify(flags, 1);
  }
  return { reads, torn, states: seen.size, last };
}
