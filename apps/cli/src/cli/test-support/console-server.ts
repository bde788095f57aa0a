import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AdminApiHarness, startAdminApi, TEST_TOKEN } from "@gatehouse/admin-api/test-support";
import { createAdaptorServer } from "@hono/node-server";

/**
 * The console's Admin API over a temporary config.db on a real port of 127.0.0.1, as the CLI
 * meets it. `afterNext(path, write)` runs `write` once, after the next answer to `path` is made
 * and before it is sent: another writer landing between two of the CLI's calls.
 */
export async function startConsoleServer() {
  const admin: AdminApiHarness = startAdminApi();
  const pending = new Map<string, () => Promise<unknown>>();
  const server = createAdaptorServer({
    fetch: async (request: Request) => {
      const response = await admin.app.fetch(request);
      const path = new URL(request.url).pathname;
      const write = pending.get(path);
      if (write) {
        pending.delete(path);
        await write();
      }
      return response;
    },
  }) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    admin,
    url,
    /** What the CLI needs to reach this console, as environment variables. */
    env: { GATEHOUSE_CONSOLE_URL: url, GATEHOUSE_ADMIN_TOKEN: TEST_TOKEN },
    afterNext(path: string, write: () => Promise<unknown>) {
      pending.set(`/api/v1${path}`, write);
    },
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      admin.close();
    },
  };
}

export type ConsoleServer = Awaited<ReturnType<typeof startConsoleServer>>;
