import { createServer } from "node:http";
import { NODE_PATHS } from "@gatehouse/db";
import { afterEach, expect, test, vi } from "vitest";
import { closeServer, listenLocal } from "../../test-support/servers.ts";
import { Acks } from "./acks.ts";
import { ControlPlane } from "./control-plane.ts";

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await closeServer(server);
});

/** A console that notes the revision of every ack it gets. */
async function ackRecorder() {
  const acked: number[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      if (req.url === NODE_PATHS.ack) acked.push((JSON.parse(body) as { revision: number }).revision);
      res.writeHead(204).end();
    });
  });
  servers.push(server);
  const url = await listenLocal(server);
  const console = new ControlPlane({ url, token: "ghn_test", nodeId: "nod_a", name: "a", address: "", version: "0" });
  return { acked, console };
}

test("the revision served is said again as a heartbeat, the newest only, until the node stops", async () => {
  const { acked, console } = await ackRecorder();
  const stop = new AbortController();
  const acks = new Acks(console, stop.signal, 20);
  acks.send(4);
  acks.send(5);
  await vi.waitFor(() => expect(acked.filter((revision) => revision === 5).length).toBeGreaterThanOrEqual(3));
  // The first ack may be 4 (sent before 5 came); after it only the newest is said.
  expect(acked.slice(1).every((revision) => revision === 5)).toBe(true);
  stop.abort();
  const heard = acked.length;
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(acked.length).toBeLessThanOrEqual(heard + 1);
});
