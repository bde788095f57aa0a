import { parentPort, workerData } from "node:worker_threads";
import type { KeyLimits } from "@gatehouse/shared";
import { windowChecks } from "./window.ts";
import { WindowTable, type WindowTableShare } from "./window-table.ts";

/** For window-table.test.ts: attaches the table, waits at the gate, then hits; posts per identity the counts its admitted hits saw. */
const { share, identities, rounds, now, limits, gate } = workerData as {
  share: WindowTableShare;
  identities: string[];
  rounds: number;
  now: number;
  limits: KeyLimits;
  gate: Int32Array;
};

const store = new WindowTable(share).store("pol_threads");
const checks = windowChecks(limits, now);
const admitted: Record<string, number[][]> = Object.fromEntries(identities.map((identity) => [identity, []]));
parentPort?.postMessage("ready");
Atomics.wait(gate, 0, 0);
for (let i = 0; i < rounds; i++) {
  const identity = identities[i % identities.length] as string;
  const hit = store.hit(identity, checks, now);
  if (hit.admitted) admitted[identity]?.push(hit.counts.map((count) => count.current));
}
parentPort?.postMessage(admitted);
