import { existsSync, readFileSync } from "node:fs";
import { configDbPath, keptInDataDir } from "@gatehouse/db";
import { newId } from "@gatehouse/shared";
import type { GatewayEnv } from "../../env.ts";
import type { ControlPlaneOptions } from "./control-plane.ts";

/** The gateway package's version, which a node reports to its console. */
const VERSION = (
  JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/**
 * The node's id: made on its first start and kept in the data dir, so the console knows the
 * node again after a restart or a change of name.
 */
export function nodeId(dataDir: string): string {
  return keptInDataDir(dataDir, "node-id", () => newId("node"));
}

/** The console to follow, as the environment names it; none when the gateway reads config.db. */
export function controlPlaneOptions(env: GatewayEnv): ControlPlaneOptions | undefined {
  const url = env.GATEHOUSE_CONTROL_PLANE_URL;
  const token = env.GATEHOUSE_NODE_TOKEN;
  if (url === undefined || token === undefined) return undefined;
  // The console's data dir: the node's analytics.db would be the local gateway's too.
  const configDb = configDbPath(env.GATEHOUSE_DATA_DIR);
  if (existsSync(configDb)) {
    throw new Error(
      `GATEHOUSE_DATA_DIR holds ${configDb}, a console's data: give the node a data dir of its own (GATEHOUSE_DATA_DIR=…)`,
    );
  }
  const host = env.GATEHOUSE_PROXY_HOST;
  // A wildcard listen is reached by the host's name.
  const reachable = host === "0.0.0.0" || host === "::" ? env.GATEHOUSE_NODE_NAME : host;
  return {
    url,
    token,
    nodeId: nodeId(env.GATEHOUSE_DATA_DIR),
    name: env.GATEHOUSE_NODE_NAME,
    address:
      env.GATEHOUSE_NODE_ADDRESS ??
      `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${env.GATEHOUSE_PROXY_PORT}`,
    version: VERSION,
  };
}
