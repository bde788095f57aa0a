import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

/** Where .ci/run unpacks promtool from Debian's prometheus package; the two must agree. */
export const PROMTOOL_CACHE_PATH = path.join(homedir(), ".cache", "gatehouse", "prometheus", "usr", "bin", "promtool");

const INSTALL_HINT =
  "Debian: apt-get download prometheus && dpkg -x prometheus_*.deb ~/.cache/gatehouse/prometheus, as .ci/run does";

const executable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** GATEHOUSE_PROMTOOL when set, else promtool on PATH, else the copy .ci/run unpacked; null when none is there. */
export function findPromtool(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.GATEHOUSE_PROMTOOL) return env.GATEHOUSE_PROMTOOL;
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (dir !== "" && executable(path.join(dir, "promtool"))) return path.join(dir, "promtool");
  }
  return executable(PROMTOOL_CACHE_PATH) ? PROMTOOL_CACHE_PATH : null;
}

export interface PromtoolVerdict {
  /** promtool's exit code: 0 when it found nothing, 3 for lint problems, 1 when the text does not parse. */
  code: number;
  output: string;
}

/** Pipes a /metrics scrape through `promtool check metrics`. A missing promtool fails with how to get it. */
export function checkMetrics(exposition: string): Promise<PromtoolVerdict> {
  const promtool = findPromtool();
  if (promtool === null) return Promise.reject(new Error(`cannot find promtool (${INSTALL_HINT})`));
  return new Promise((resolve, reject) => {
    const child = spawn(promtool, ["check", "metrics"], { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.on("error", (error) => reject(new Error(`cannot run ${promtool} (${INSTALL_HINT}): ${error.message}`)));
    child.on("close", (code) => resolve({ code: code ?? -1, output }));
    child.stdin.end(exposition);
  });
}
