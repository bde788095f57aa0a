import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrateConfigDb, openConfigDb, secretsKey, statusToken } from "@gatehouse/db";
import { type Child, startChild, stopChildren } from "./children.ts";
import { stackEnv } from "./env.ts";
import { firstBusyPort, waitForHttp } from "./ports.ts";
import { seedDemo } from "./seed-demo.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const env = stackEnv();

const ports = [env.consolePort, env.proxyPort, env.statusPort, env.tlsPort, env.demoPort].filter((p) => p > 0);
if (new Set(ports).size !== ports.length) {
  console.error(`Two services are set to the same port (${ports.join(", ")}); give each its own.`);
  process.exit(1);
}
const busy = await firstBusyPort(ports);
if (busy !== null) {
  console.error(
    `Port ${busy} is already in use. Stop what uses it, or choose other ports (PORT, GATEHOUSE_PROXY_PORT, GATEHOUSE_STATUS_PORT, GATEHOUSE_PROXY_TLS_PORT, DEMO_UPSTREAM_PORT; GATEHOUSE_PROXY_TLS_PORT=0 turns HTTPS off).`,
  );
  process.exit(1);
}

// Migrate and seed before any child starts, so the gateway finds a schema and the demo API.
const db = openConfigDb(env.dataDir);
migrateConfigDb(db);
const seeded = seedDemo(db, env.demoUrl);
db.$client.close();
// Made now, so the gateway and the console, starting together, read one token and one secrets key instead of racing to make them.
statusToken(env.dataDir);
secretsKey(env.dataDir);

const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  GATEHOUSE_DATA_DIR: env.dataDir,
  GATEHOUSE_PROXY_PORT: String(env.proxyPort),
  GATEHOUSE_STATUS_PORT: String(env.statusPort),
  GATEHOUSE_PROXY_TLS_PORT: String(env.tlsPort),
  GATEHOUSE_GATEWAY_STATUS_URL: env.statusUrl,
  GATEHOUSE_CONSOLE_URL: env.consoleUrl,
  GATEHOUSE_PUBLIC_GATEWAY_URL: process.env.GATEHOUSE_PUBLIC_GATEWAY_URL ?? env.proxyUrl,
  // The browser may know the gateway by a public name; the console, beside it, calls it directly.
  GATEHOUSE_GATEWAY_PROXY_URL: process.env.GATEHOUSE_GATEWAY_PROXY_URL ?? env.proxyUrl,
  DEMO_UPSTREAM_PORT: String(env.demoPort),
  PORT: String(env.consolePort),
};

const DEMO_NOTES = {
  seeded: "   (created on this first start)",
  already: "",
  "name-taken": "   (not created: an API named Demo already existed)",
} as const;

let setupLink: string | null = null;
const node = process.execPath;
const children: Child[] = [
  startChild("upstream", node, ["src/index.ts"], { cwd: path.join(root, "apps/demo-upstream"), env: childEnv }),
  startChild("gateway", node, ["src/index.ts"], { cwd: path.join(root, "apps/gateway"), env: childEnv }),
  startChild(
    "console",
    node,
    [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(env.consolePort)],
    {
      cwd: path.join(root, "apps/console"),
      env: childEnv,
      onLine: (line) => {
        const match = /Setup link: (\S+)/.exec(line);
        if (match?.[1]) setupLink = match[1];
      },
    },
  ),
];

let stopping = false;
async function stop(code: number) {
  if (stopping) {
    // A second Ctrl-C: stop waiting for a graceful exit.
    for (const child of children) child.process.kill("SIGKILL");
    return;
  }
  stopping = true;
  console.log("Stopping Gatehouse…");
  await stopChildren(children);
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
for (const child of children) {
  void child.exited.then((code) => {
    if (!stopping) {
      console.error(`[${child.name}] exited unexpectedly (code ${code}); stopping the rest.`);
      void stop(1);
    }
  });
}

const up = await Promise.all([
  // Ready, not just alive: every proxy worker listens and serves the config.
  waitForHttp(`${env.statusUrl}/readyz`, 30_000),
  waitForHttp(`http://127.0.0.1:${env.consolePort}/api/v1/auth/status`, 60_000),
]);
if (!stopping) {
  if (!up.every(Boolean)) {
    console.error("Gatehouse did not come up in time; see the output above.");
    await stop(1);
  }
  const lines = [
    "",
    "Gatehouse is running",
    `  Console   ${env.consoleUrl}`,
    `  Gateway   ${env.proxyUrl}   (status ${env.statusUrl}/readyz)`,
    ...(env.tlsPort > 0
      ? [`  HTTPS     https://localhost:${env.tlsPort}   (self-signed until you upload a certificate)`]
      : []),
    `  Demo API  curl ${env.proxyUrl}/demo/hello${DEMO_NOTES[seeded]}`,
    `  Data      ${env.dataDir}`,
    setupLink
      ? `  Setup     ${setupLink}   (one-time link to create the first admin)`
      : "  Sign in with your admin account.",
    "Press Ctrl-C to stop.",
    "",
  ];
  console.log(lines.join("\n"));
}
