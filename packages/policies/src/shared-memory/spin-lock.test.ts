import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { expect, test } from "vitest";
import { lock, unlock } from "./spin-lock.ts";
import { runThreads } from "./threads.ts";

const worker = new URL("./spin-lock.worker.ts", import.meta.url);
const shared = (length: number) => new Int32Array(new SharedArrayBuffer(4 * length));

test("four threads incrementing one plain counter under the lock lose no increment", async () => {
  const locks = shared(1);
  const counter = shared(1);
  const rounds = 200_000;
  await runThreads(worker, 4, () => ({ mode: "count", locks, counter, rounds }));
  expect(counter[0]).toBe(4 * rounds);
  expect(locks[0]).toBe(0);
});

test("a lock whose holder was terminated inside its section is taken over, not waited on forever", async () => {
  const locks = shared(1);
  const holder = new Worker(worker, { workerData: { mode: "hold", locks, counter: shared(1), gate: shared(1) } });
  await once(holder, "message");
  await holder.terminate();
  expect(locks[0]).not.toBe(0);
  const ticket = lock(locks, 0);
  expect(locks[0]).toBe(ticket);
  unlock(locks, 0, ticket);
  expect(locks[0]).toBe(0);
});
