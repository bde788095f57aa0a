import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AdminApiHarness, startAdminApi } from "@gatehouse/admin-api/test-support";
import { createAdaptorServer } from "@hono/node-server";
import { listenOn } from "../proxy/server.ts";

/**
 * The console's Admin API (node endpoints included) over a real config.db, on a real port of
 * 127.0.0.1, for data-plane node tests: `down()` takes it away the way a crashed console goes
 * (every connection cut, the port refusing), `up()` brings it back on the same port.
 */
export async function startConsole(dataDir?: string) {
  const admin: AdminApiHarness = startAdminApi(dataDir === undefined ? {} : { dataDir });
  let server: Server = createAdaptorServer({ fetch: admin.app.fetch }) as Server;
  const url = await listenOn(server, 0, "127.0.0.1");
  const port = (server.address() as AddressInfo).port;
  let running = true;
  return {
    admin,
    url,
    async nodeToken(name = "fleet"): Promise<{ id: string; token: string }> {
      const created = await admin.call("POST", "/nodes/tokens", { name });
      if (created.status !== 201) throw new Error(`node token: ${JSON.stringify(created.json)}`);
      return created.json;
    },
    async down(): Promise<void> {
      if (!running) return;
      running = false;
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
    async up(): Promise<void> {
      if (running) return;
      server = createAdaptorServer({ fetch: admin.app.fetch }) as Server;
      await listenOn(server, port, "127.0.0.1");
      running = true;
    },
    async close(): Promise<void> {
      await this.down();
      admin.close();
    },
  };
}

export type RunningConsole = Awaited<ReturnType<typeof startConsole>>;
