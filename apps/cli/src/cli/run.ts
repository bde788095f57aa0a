import { CliError, type Command } from "./args.ts";
import { applyCommand } from "./config/apply.ts";
import { diffCommand } from "./config/diff.ts";
import { dumpCommand } from "./config/dump.ts";
import { validateCommand } from "./config/validate.ts";
import { openapiImportCommand } from "./openapi/import.ts";

const COMMANDS: readonly Command[] = [dumpCommand, validateCommand, diffCommand, applyCommand, openapiImportCommand];

function usage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    "Usage: gatehouse <command> [options]",
    "",
    ...commands.map((command) => `  gatehouse ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    "Run gatehouse <command> --help for its options.",
  ].join("\n");
}

const wantsHelp = (argv: readonly string[]) => argv.includes("--help") || argv.includes("-h");

/** `gatehouse <group> <verb> …`: the exit code (0 done, 1 an error, 2 a diff found a difference). */
export async function run(argv: string[]): Promise<number> {
  const [group, verb, ...rest] = argv;
  const command = COMMANDS.find((candidate) => candidate.name === `${group} ${verb}`);
  if (!command) {
    const inGroup = COMMANDS.filter((candidate) => candidate.name.startsWith(`${group} `));
    if (group === undefined || wantsHelp(argv)) {
      console.log(usage(inGroup.length > 0 ? inGroup : COMMANDS));
      return 0;
    }
    const what = inGroup.length > 0 ? `${group} ${verb ?? ""}`.trim() : group;
    console.error(`Unknown command: gatehouse ${what}\n\n${usage(inGroup.length > 0 ? inGroup : COMMANDS)}`);
    return 1;
  }
  if (wantsHelp(rest)) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    console.error(`gatehouse ${command.name}: ${error.message}`);
    return error.exitCode;
  }
}
