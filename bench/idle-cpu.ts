/**
 * What an idle gateway costs: CPU time over a quiet stretch with no traffic and no config
 * change, with config.db checked on file events (the default) and with it checked every 10 ms
 * as it was before (`GATEHOUSE_CONFIG_IDLE_POLL_MS=10`), interleaved.
 *
 *   node bench/idle-cpu.ts [--seconds 20] [--rounds 2]
 */
import { parseArgs } from "node:util";
import { startGateway } from "../apps/gateway/src/test-support/servers.ts";
import { writeResult } from "./compare.ts";
import { seedConfig, waitLive } from "./gatehouse.ts";
import { cpuSeconds } from "./processes.ts";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "20" }, rounds: { type: "string", default: "2" } },
});
const seconds = Number(values.seconds);
const variants: { label: string; env: Record<string, string> }[] = [
  { label: "file events, then every 10 ms for 1 s; every 1 s otherwise (default)", env: {} },
  { label: "every 10 ms (GATEHOUSE_CONFIG_IDLE_POLL_MS=10)", env: { GATEHOUSE_CONFIG_IDLE_POLL_MS: "10" } },
];
const seeded = await seedConfig("http://127.0.0.1:9", 1);
const shares = new Map<string, number[]>(variants.map((v) => [v.label, []]));
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const variant of variants) {
      const gateway = await startGateway(seeded.admin.dataDir, variant.env);
      try {
        await waitLive(gateway, seeded.revision);
        // Start-up's own work (compiling, the first analytics flush) is over by then.
        await new Promise((resolve) => setTimeout(resolve, 3000));
        const pid = gateway.child.pid as number;
        const before = cpuSeconds(pid);
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        const share = ((cpuSeconds(pid) - before) / seconds) * 100;
        shares.get(variant.label)?.push(share);
        console.log(`${variant.label}: ${share.toFixed(2)}% of a core`);
      } finally {
        await gateway.stop();
      }
    }
  }
} finally {
  seeded.admin.close();
}
writeResult("idle-cpu", "An idle gateway's CPU", [
  `One gateway process at a time, 1 route, no traffic, ${seconds} s after start-up settled; CPU is utime + stime from /proc, all threads.`,
  "",
  "| config.db checks | CPU, % of one core, per round |",
  "| --- | --- |",
  ...variants.map((v) => `| ${v.label} | ${(shares.get(v.label) ?? []).map((s) => s.toFixed(2)).join(", ")} |`),
]);
