import { configPlanSchema } from "@gatehouse/shared";
import { AdminClient } from "../admin-client.ts";
import { CONSOLE_HELP, CONSOLE_OPTIONS, type Command, parseCommand } from "../args.ts";
import { readParsedFile, withFileErrors } from "../config-file/file-errors.ts";
import { hasChanges, planLines } from "../print-plan.ts";

export const openapiImportCommand: Command = {
  name: "openapi import",
  summary: "Create or update an API from an OpenAPI document",
  help: `Usage: gatehouse openapi import FILE [--name NAME] [--upstream POOL_ID] [--validate] [--dry-run]

Turns an OpenAPI 3.0/3.1 document (YAML or JSON) into an API with a route per operation,
and prints what it changed (as config diff does) and the new revision.

  --name NAME         the API's name (default: the document's title)
  --upstream POOL_ID  the upstream pool the API sends to
  --validate          also attach request validation from the document's schemas
  --dry-run           print the plan only
${CONSOLE_HELP}`,
  async run(argv) {
    const { values, positionals } = parseCommand(
      argv,
      {
        ...CONSOLE_OPTIONS,
        name: { type: "string" },
        upstream: { type: "string" },
        validate: { type: "boolean", default: false },
        "dry-run": { type: "boolean", default: false },
      },
      ["FILE"],
    );
    const source = await readParsedFile(positionals[0] as string);
    const body = {
      document: source.text,
      name: values.name,
      upstreamId: values.upstream,
      attachValidation: values.validate,
      dryRun: values["dry-run"],
    };
    const client = new AdminClient(values);
    const { data: plan } = await withFileErrors(source, "document.", () =>
      client.json(configPlanSchema, "POST", "/openapi/import", { body }),
    );
    for (const line of planLines(plan)) console.log(line);
    if (plan.applied) console.log(`applied: revision ${plan.revision}`);
    else if (hasChanges(plan)) console.log(`dry run: nothing applied (revision ${plan.revision})`);
    return 0;
  },
};
