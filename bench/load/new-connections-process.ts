import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { NewConnectionsResult } from "./new-connections.ts";

const run = promisify(execFile);
const SCRIPT = path.join(import.meta.dirname, "new-connections.ts");

/** `new-connections.ts` in its own Node process under `taskset -c cpus`, so it shares no core with the proxy. */
export async function measureNewConnections(
  url: string,
  requestPath: string,
  connections: number,
  seconds: number,
  cpus: string,
): Promise<NewConnectionsResult> {
  const { stdout } = await run(
    "taskset",
    ["-c", cpus, process.execPath, SCRIPT, url, requestPath, String(connections), String(seconds)],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout) as NewConnectionsResult;
}
