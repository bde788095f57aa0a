import { configPlanSchema } from "@gatehouse/shared";
import { AdminClient } from "../admin-client.ts";
import { CONSOLE_HELP, CONSOLE_OPTIONS, type Command, parseCommand } from "../args.ts";
import { readParsedFile, withFileErrors } from "../config-file/file-errors.ts";
import type { SourceFile } from "../config-file/source-file.ts";
import { hasChanges, planLines } from "../print-plan.ts";

export const APPLY_OPTIONS = {
  ...CONSOLE_OPTIONS,
  "select-tag": { type: "string" },
  prune: { type: "boolean", default: true },
} as const;

export const SELECT_TAG_HELP = `  --select-tag TAG  manage only the APIs and upstreams tagged TAG; leave the rest alone`;

/** What the console would change to make its config the file's; `applied` is false. */
export async function planOf(client: AdminClient, source: SourceFile, options: { selectTag?: string; prune: boolean }) {
  const body = { config: source.text, selectTag: options.selectTag, prune: options.prune };
  return (
    await withFileErrors(source, "config.", () => client.json(configPlanSchema, "POST", "/config/diff", { body }))
  ).data;
}

export const diffCommand: Command = {
  name: "config diff",
  summary: "Show what applying a config file would change",
  help: `Usage: gatehouse config diff FILE [--select-tag TAG] [--no-prune]

Asks the console what applying FILE would change, and prints it:
+ to create, ~ to update (with the fields that differ), - to delete.
Exits 0 when the console already matches the file, 2 when it differs, 1 on an error.

${SELECT_TAG_HELP}
  --no-prune        leave objects the file does not name (show creates and updates only)
${CONSOLE_HELP}`,
  async run(argv) {
    const { values, positionals } = parseCommand(argv, APPLY_OPTIONS, ["FILE"]);
    const source = await readParsedFile(positionals[0] as string);
    const plan = await planOf(new AdminClient(values), source, {
      selectTag: values["select-tag"],
      prune: values.prune,
    });
    for (const line of planLines(plan)) console.log(line);
    return hasChanges(plan) ? 2 : 0;
  },
};
