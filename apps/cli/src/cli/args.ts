import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

/** A failure the user can act on: printed as its message alone, no stack. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** What every verb that talks to the console accepts. */
export const CONSOLE_OPTIONS = {
  url: { type: "string" },
  token: { type: "string" },
} as const satisfies ParseArgsOptionsConfig;

export const CONSOLE_HELP = `  --url URL         the console (default: $GATEHOUSE_CONSOLE_URL, else http://localhost:3000)
  --token TOKEN     an admin token (default: $GATEHOUSE_ADMIN_TOKEN)`;

/** One `gatehouse <group> <verb>`: its help and what it does; `run` answers the exit code. */
export interface Command {
  name: string;
  summary: string;
  help: string;
  run(argv: string[]): Promise<number>;
}

/** Strict parsing with exactly the positionals named, so a typo is an error rather than ignored. */
export function parseCommand<O extends ParseArgsOptionsConfig>(argv: string[], options: O, names: readonly string[]) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, allowNegative: true, strict: true });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  if (parsed.positionals.length !== names.length) {
    const expected = names.length === 0 ? "no arguments" : names.join(" ");
    throw new CliError(
      `Expected ${expected}, got ${parsed.positionals.length ? parsed.positionals.join(" ") : "none"}`,
    );
  }
  return parsed;
}
