import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The gateway's entry in this repository; run by path, since the gateway depends on this package and not back. */
const GATEWAY_ENTRY = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../apps/gateway/src/index.ts",
);

export interface RunningGateway {
  proxyUrl: string;
  statusUrl: string;
  /** Polls /readyz until the gateway serves at least `revision`. */
  waitForRevision(revision: number): Promise<void>;
  stop(): Promise<void>;
}

/** The real gateway process on free ports over `dataDir`, for the operations that relay it. */
export async function startGatewayProcess(dataDir: string): Promise<RunningGateway> {
  const child: ChildProcess = spawn(process.execPath, [GATEWAY_ENTRY], {
    env: {
      ...process.env,
      GATEHOUSE_DATA_DIR: dataDir,
      GATEHOUSE_PROXY_PORT: "0",
      GATEHOUSE_PROXY_HOST: "127.0.0.1",
      GATEHOUSE_STATUS_PORT: "0",
      GATEHOUSE_PROXY_TLS_PORT: "0",
      GATEHOUSE_CONFIG_POLL_MS: "10",
      GATEHOUSE_WORKERS: "2",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const urls = await new Promise<{ proxyUrl: string; statusUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${log}`)), 30_000);
    const read = (chunk: Buffer) => {
      log += chunk.toString();
      const m = /proxy=(\S+) status=(\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve({ proxyUrl: m[1] as string, statusUrl: m[2] as string });
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}:\n${log}`));
    });
  });
  return {
    ...urls,
    async waitForRevision(revision) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const body = (await (await fetch(`${urls.statusUrl}/readyz`)).json()) as { revision?: number };
        if ((body.revision ?? 0) >= revision) return;
        if (Date.now() > deadline) throw new Error(`revision ${revision} never went live: ${JSON.stringify(body)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
