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
  // 0 turns the gateway's TLS port off.
  const tlsPort = port("GATEHOUSE_PROXY_TLS_PORT", 8443);
  const demoPort = port("DEMO_UPSTREAM_PORT", 9000);
  return {
    dataDir: resolveDataDir(),
    consolePort,
    proxyPort,
    statusPort,
    tlsPort,
    demoPort,
    consoleUrl: process.env.GATEHOUSE_CONSOLE_URL ?? `http://localhost:${consolePort}`,
    proxyUrl: `http://localhost:${proxyPort}`,
    statusUrl: `http://127.0.0.1:${statusPort}`,
    demoUrl: `http://127.0.0.1:${demoPort}`,
  };
}

export type StackEnv = ReturnType<typeof stackEnv>;
