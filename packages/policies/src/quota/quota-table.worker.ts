import { parentPort, workerData } from "node:worker_threads";
import type { QuotaCheck } from "../types.ts";
import { QuotaTable, type QuotaTableShare } from "./quota-table.ts";

/** For quota-table.test.ts: attaches the table, waits at the gate, then admits; posts the counts each admitted request saw. */
const { share, checks, rounds, now, gate } = workerData as {
  share: QuotaTableShare;
  checks: QuotaCheck[];
  rounds: number;
  now: number;
  gate: Int32Array;
};

const table = new QuotaTable(share);
const admitted: number[][] = [];
parentPort?.postMessage("ready");
Atomics.wait(gate, 0, 0);
for (let i = 0; i < rounds; i++) {
  const { used, admitted: counted } = table.admit(checks, now);
  if (counted) admitted.push(used);
}
parentPort?.postMessage(admitted);
