/**
 * Loaded into a gateway with `--import` by bench/alloc-per-request.ts. The first SIGUSR2 starts
 * V8's sampling heap profiler on the main thread, counting objects the garbage collector has
 * already freed too (a request's garbage is what it costs); the second writes the profile to
 * $GATEHOUSE_HEAP_SAMPLES.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { isMainThread } from "node:worker_threads";

const { GATEHOUSE_HEAP_SAMPLES: file } = process.env;
if (isMainThread && file) {
  const session = new Session();
  session.connect();
  session.post("HeapProfiler.enable");
  let sampling = false;
  process.on("SIGUSR2", () => {
    if (!sampling) {
      sampling = true;
      session.post("HeapProfiler.startSampling", {
        samplingInterval: 2048,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      return;
    }
    session.post("HeapProfiler.stopSampling", (error, result) => {
      writeFileSync(file, error ? JSON.stringify({ error: error.message }) : JSON.stringify(result.profile));
    });
  });
}
