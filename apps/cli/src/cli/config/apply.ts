import { configPlanSchema } from "@gatehouse/shared";
import { AdminApiError, AdminClient } from "../admin-client.ts";
import { CliError, CONSOLE_HELP, type Command, parseCommand } from "../args.ts";
import { readParsedFile, withFileErrors } from "../config-file/file-errors.ts";
import { hasChanges, planLines } from "../print-plan.ts";
import { APPLY_OPTIONS, planOf, SELECT_TAG_HELP } from "./diff.ts";

export const applyCommand: Command = {
  name: "config apply",
  summary: "Make the console's config what a config file says",
  help: `Usage: gatehouse config apply FILE [--select-tag TAG] [--dry-run] [--no-prune]

Prints the plan (as config diff does), then applies exactly that plan: if the config
changed in between, nothing is applied and the command says so (exit 1). Prints the
new revision. A file the console already matches changes nothing ("no changes").

${SELECT_TAG_HELP}
  --dry-run         print the plan only
  --no-prune        keep objects the file does not name (create and update only)
${CONSOLE_HELP}`,
  async run(argv) {
    const { values, positionals } = parseCommand(
      argv,
      { ...APPLY_OPTIONS, "dry-run": { type: "boolean", default: false } },
      ["FILE"],
    );
    const client = new AdminClient(values);
    const source = await readParsedFile(positionals[0] as string);
    const options = { selectTag: values["select-tag"], prune: values.prune };
    const plan = await planOf(client, source, options);
    for (const line of planLines(plan)) console.log(line);
    if (!hasChanges(plan)) return 0;
    if (values["dry-run"]) {
      console.log(`dry run: nothing applied (revision ${plan.revision})`);
      return 0;
    }
    const body = { config: source.text, ...options };
    // If-Match makes the apply the plan just shown, or nothing: a change in between is refused (412).
    const headers = { "if-match": `"${plan.revision}"` };
    try {
      const applied = await withFileErrors(source, "config.", () =>
        client.json(configPlanSchema, "POST", "/config/apply", { body, headers }),
      );
      console.log(`applied: revision ${applied.data.revision}`);
      return 0;
    } catch (error) {
      if (error instanceof AdminApiError && error.status === 412) {
        throw new CliError(`The config changed since the diff (revision ${plan.revision}); run again`);
      }
      throw error;
    }
  },
};
