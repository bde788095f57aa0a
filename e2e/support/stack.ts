import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

export interface Stack {
  /** Accepted by the Admin API as a bearer token, for seeding through the API. */
  adminToken: string;
  /** An Admin API call with the bearer token. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  consoleUrl: string;
  proxyUrl: string;
  demoUrl: string;
  setupLink: string;
  dataDir: string;
  output: string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Starts the whole stack exactly as `npm start` does (the launcher), in a fresh data dir on free ports. */
export async function startStack(): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "gatehouse-e2e-"));
  const [consolePort, proxyPort, statusPort, demoPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const adminToken = randomBytes(24).toString("hex");
  const child: ChildProcess = spawn(process.execPath, ["apps/launcher/src/start.ts"], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: {
      ...process.env,
      GATEHOUSE_DATA_DIR: dataDir,
      PORT: String(consolePort),
      GATEHOUSE_PROXY_PORT: String(proxyPort),
      GATEHOUSE_STATUS_PORT: String(statusPort),
      GATEHOUSE_PROXY_TLS_PORT: "0",
      DEMO_UPSTREAM_PORT: String(demoPort),
      GATEHOUSE_CONSOLE_URL: `http://127.0.0.1:${consolePort}`,
      GATEHOUSE_ADMIN_TOKEN: adminToken,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const ready = new Promise<string>((resolve, reject) => {
    let link = "";
    const timer = setTimeout(() => reject(new Error(`stack did not start:\n${output.join("\n")}`)), 120_000);
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on("line", (line) => {
        output.push(line);
        const match = /Setup\s+(http\S+)/.exec(line);
        if (match?.[1]) link = match[1];
        if (line.includes("Press Ctrl-C to stop")) {
          clearTimeout(timer);
          resolve(link);
        }
      });
    }
    child.on("exit", (code) => reject(new Error(`stack exited with ${code}:\n${output.join("\n")}`)));
  });
  const setupLink = await ready;
  const consoleUrl = `http://127.0.0.1:${consolePort}`;
  return {
    adminToken,
    async api(method, path, body) {
      const response = await fetch(`${consoleUrl}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, json: text ? JSON.parse(text) : null };
    },
    consoleUrl,
    proxyUrl: `http://127.0.0.1:${proxyPort}`,
    demoUrl: `http://127.0.0.1:${demoPort}`,
    setupLink,
    dataDir,
    output,
    async stop() {
      child.kill("SIGINT");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
