import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

const COLORS = { console: 35, gateway: 36, upstream: 33 } as const;
export type ChildName = keyof typeof COLORS;

export interface Child {
  name: ChildName;
  process: ChildProcess;
  exited: Promise<number | null>;
}

/** Starts a child whose output is prefixed with its name; `onLine` sees every line. */
export function startChild(
  name: ChildName,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; onLine?: (line: string) => void },
): Child {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  const tag = process.stdout.isTTY ? `\x1b[${COLORS[name]}m[${name}]\x1b[0m` : `[${name}]`;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      options.onLine?.(line);
      process.stdout.write(`${tag} ${line.replace(/^\[\w+\] /, "")}\n`);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { name, process: child, exited };
}

/** SIGTERM every child, then SIGKILL what is still running after `graceMs`. */
export async function stopChildren(children: Child[], graceMs = 10_000): Promise<void> {
  const running = children.filter((c) => c.process.exitCode === null && c.process.signalCode === null);
  for (const child of running) child.process.kill("SIGTERM");
  const timer = setTimeout(() => {
    for (const child of running) child.process.kill("SIGKILL");
  }, graceMs);
  await Promise.all(running.map((c) => c.exited));
  clearTimeout(timer);
}
