import { type ChildProcess, spawn } from "node:child_process";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createEchoServer } from "@gatehouse/demo-upstream";

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The gateway's entry, and its body without the entry's resolve shortcut (what Node alone resolves). */
export const GATEWAY_ENTRIES = { entry: path.join(SRC, "index.ts"), main: path.join(SRC, "main.ts") } as const;

export async function listenLocal(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export async function startEcho(): Promise<{ server: Server; url: string }> {
  const server = createEchoServer();
  return { server, url: await listenLocal(server) };
}

export interface GatewayProcess {
  child: ChildProcess;
  proxyUrl: string;
  statusUrl: string;
  /** The TLS port's URL; null unless GATEHOUSE_PROXY_TLS_PORT was given. */
  tlsUrl: string | null;
  output: () => string;
  readyz: () => Promise<{ status: number; body: Record<string, unknown> }>;
  /** Polls /readyz until the live revision is at least `revision`. */
  waitForRevision: (revision: number, timeoutMs?: number) => Promise<Record<string, unknown>>;
  stop: () => Promise<number | null>;
}

/** Starts the real gateway (`node src/index.ts`) on free ports and waits for its startup line. */
export async function startGateway(
  dataDir: string,
  extraEnv: Record<string, string> = {},
  entry: string = GATEWAY_ENTRIES.entry,
): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [entry], {
    env: {
      ...process.env,
      GATEHOUSE_DATA_DIR: dataDir,
      GATEHOUSE_PROXY_PORT: "0",
      GATEHOUSE_PROXY_HOST: "127.0.0.1",
      GATEHOUSE_STATUS_PORT: "0",
      // Off unless a test asks: every gateway of a parallel suite would want 8443.
      GATEHOUSE_PROXY_TLS_PORT: "0",
      GATEHOUSE_CONFIG_POLL_MS: "10",
      // Two proxy workers whatever the machine: the suite tests the host-wide state they share.
      GATEHOUSE_WORKERS: "2",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  const urls = await new Promise<{ proxyUrl: string; statusUrl: string; tlsUrl: string | null }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${log}`)), 30_000);
    const check = () => {
      const m = /proxy=(\S+) status=(\S+).*?(?: tls=(\S+))?\n/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve({ proxyUrl: m[1] as string, statusUrl: m[2] as string, tlsUrl: m[3] ?? null });
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}:\n${log}`));
    });
  });

  const readyz = async () => {
    const response = await fetch(`${urls.statusUrl}/readyz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  return {
    child,
    ...urls,
    output: () => log,
    readyz,
    async waitForRevision(revision, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { body } = await readyz();
        if (typeof body.revision === "number" && body.revision >= revision) return body;
        if (Date.now() > deadline) throw new Error(`revision ${revision} never went live: ${JSON.stringify(body)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
