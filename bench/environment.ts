import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import { nginxVersion } from "./nginx.ts";

export interface ToolVersions {
  node: string;
  undici: string;
  nginx: string | null;
  wrk: string | null;
}

export function toolVersions(wrk: string | null, nginx: string | null): ToolVersions {
  const require = createRequire(import.meta.url);
  let wrkVersion: string | null = null;
  if (wrk) {
    // wrk prints its version in the first line of its usage text, and exits 1.
    const { stdout, stderr } = spawnSync(wrk, ["--version"], { encoding: "utf8" });
    wrkVersion = /wrk (\S+)/.exec(`${stdout}${stderr}`)?.[1] ?? "unknown";
  }
  return {
    node: process.version,
    undici: (require("undici/package.json") as { version: string }).version,
    nginx: nginx ? nginxVersion(nginx) : null,
    wrk: wrkVersion,
  };
}

/** The commit measured, and whether the gateway's sources differ from it. */
function gitState(): string {
  const git = (...args: string[]) => spawnSync("git", args, { encoding: "utf8" }).stdout.trim();
  const commit = git("rev-parse", "--short", "HEAD");
  if (!commit) return "not a git checkout";
  const dirty = git("status", "--porcelain", "--", "apps", "packages") !== "";
  return `${commit}${dirty ? " + uncommitted changes in apps/ or packages/" : ""}`;
}

export function machineLines(versions: ToolVersions): string[] {
  const cpus = os.cpus();
  return [
    `commit: ${gitState()}`,
    `machine: ${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}`,
    `versions: Node ${versions.node}, undici ${versions.undici}, nginx ${versions.nginx ?? "not installed"}, wrk ${versions.wrk ?? "not installed"}`,
  ];
}
