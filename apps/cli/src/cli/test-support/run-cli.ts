import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The binary's entry, as `node_modules/.bin/gatehouse` runs it. */
export const CLI_MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL("../../../../../", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("../config-file/fixtures/", import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command as a user would, in its own process; the console's variables are cleared so
 * the caller's shell cannot leak into a test.
 */
export function runCli(
  args: string[],
  options: { command?: string[]; env?: Record<string, string>; cwd?: string } = {},
): Promise<CliRun> {
  const [file, ...prefix] = options.command ?? [process.execPath, CLI_MAIN];
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const name of ["GATEHOUSE_CONSOLE_URL", "GATEHOUSE_ADMIN_TOKEN"]) {
    if (options.env?.[name] === undefined) delete env[name];
  }
  // The bin's `#!/usr/bin/env node` finds the Node that runs the tests first.
  env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${env.PATH ?? ""}`;
  const child = spawn(file as string, [...prefix, ...args], { env, cwd: options.cwd ?? REPO_ROOT });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
