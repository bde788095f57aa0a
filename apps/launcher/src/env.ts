import { resolveDataDir } from "@gatehouse/db";

const port = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number`);
  return value;
};

/** Ports and paths of the whole stack, resolved once and handed to every child. */
export function stackEnv() {
  const consolePort = port("PORT", 3000);
  const proxyPort = port("GATEHOUSE_PROXY_PORT", 8080);
  const statusPort = port("GATEHOUSE_STATUS_PORT", 8081);
  const demoPort = port("DEMO_UPSTREAM_PORT", 9000);
  return {
    dataDir: resolveDataDir(),
    consolePort,
    proxyPort,
    statusPort,
    demoPort,
    consoleUrl: process.env.GATEHOUSE_CONSOLE_URL ?? `http://localhost:${consolePort}`,
    proxyUrl: `http://localhost:${proxyPort}`,
    statusUrl: `http://127.0.0.1:${statusPort}`,
    demoUrl: `http://127.0.0.1:${demoPort}`,
  };
}

export type StackEnv = ReturnType<typeof stackEnv>;
