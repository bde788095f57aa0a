import { writeFile } from "node:fs/promises";
import { AdminClient } from "../admin-client.ts";
import { CliError, CONSOLE_HELP, CONSOLE_OPTIONS, type Command, parseCommand } from "../args.ts";

const FORMATS = ["yaml", "json"] as const;

export const dumpCommand: Command = {
  name: "config dump",
  summary: "Write the console's whole config as a config file",
  help: `Usage: gatehouse config dump [-o FILE] [--format yaml|json]

Prints the whole config (upstreams, APIs, plans, consumers, policies) as a config file,
in a stable order so two dumps diff cleanly. Secrets are left out.

  -o, --output FILE   write to FILE instead of standard output
  --format FORMAT     yaml (default) or json
${CONSOLE_HELP}`,
  async run(argv) {
    const { values } = parseCommand(
      argv,
      { ...CONSOLE_OPTIONS, output: { type: "string", short: "o" }, format: { type: "string", default: "yaml" } },
      [],
    );
    const format = values.format as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) throw new CliError(`--format is yaml or json, not ${values.format}`);
    const answer = await new AdminClient(values).request("GET", `/config?format=${format}`);
    // Indented JSON, one field a line, diffs as cleanly as the YAML does.
    const text = format === "json" ? `${JSON.stringify(JSON.parse(answer.text), null, 2)}\n` : answer.text;
    if (values.output === undefined) {
      process.stdout.write(text);
      return 0;
    }
    try {
      await writeFile(values.output, text);
    } catch (error) {
      throw new CliError(`Cannot write ${values.output}: ${(error as NodeJS.ErrnoException).code}`);
    }
    const revision = answer.headers.get("etag")?.replaceAll('"', "");
    console.error(`wrote ${values.output}${revision ? ` (revision ${revision})` : ""}`);
    return 0;
  },
};
