import { once } from "node:events";
import { Worker } from "node:worker_threads";

/**
 * Test helper: starts `count` worker threads running `file` with `workerData(i)`, waits until
 * each has posted "ready" (it is parked on `gate`), opens the gate so they all start at once,
 * and resolves with each thread's last message.
 */
export async function runThreads<T>(file: URL, count: number, workerData: (i: number) => unknown): Promise<T[]> {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const workers = Array.from(
    { length: count },
    (_, i) => new Worker(file, { workerData: { ...(workerData(i) as object), gate } }),
  );
  const results = workers.map(
    (worker) =>
      new Promise<T>((resolve, reject) => {
        let last: T;
        worker.on("message", (message: T) => {
          if (message !== "ready") last = message;
        });
        worker.on("error", reject);
        worker.on("exit", (code) => (code === 0 ? resolve(last) : reject(new Error(`worker exited ${code}`))));
      }),
  );
  await Promise.all(workers.map((worker) => once(worker, "message")));
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  return Promise.all(results);
}
