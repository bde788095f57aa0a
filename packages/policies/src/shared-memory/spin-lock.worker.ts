import { parentPort, workerData } from "node:worker_threads";
import { lock, unlock } from "./spin-lock.ts";

/** For spin-lock.test.ts: counts under the lock from behind a start gate, or takes the lock and never lets go. */
const { mode, locks, counter, gate, rounds } = workerData as {
  mode: "count" | "hold";
  locks: Int32Array;
  counter: Int32Array;
  gate: Int32Array;
  rounds: number;
};

if (mode === "hold") {
  lock(locks, 0);
  parentPort?.postMessage("held");
  // Alive and holding until the test terminates the thread.
  setInterval(() => {}, 60_000);
} else {
  parentPort?.postMessage("ready");
  Atomics.wait(gate, 0, 0);
  for (let i = 0; i < rounds; i++) {
    const ticket = lock(locks, 0);
    // A plain read-modify-write: only the lock keeps two threads from losing an increment.
    counter[0] = (counter[0] as number) + 1;
    unlock(locks, 0, ticket);
  }
  parentPort?.postMessage("done");
}
