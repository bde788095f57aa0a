import { type Command, parseCommand } from "../args.ts";
import { checkConfigFile } from "../config-file/check-config-file.ts";
import { formatProblem, readSourceFile } from "../config-file/source-file.ts";

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const validateCommand: Command = {
  name: "config validate",
  summary: "Check a config file offline, each error with its line",
  help: `Usage: gatehouse config validate FILE

Checks a YAML or JSON config file without a console: its shape, each policy's config, and
that every name it refers to (an API's upstream, a consumer's plan) is in the file.
Prints each error as  path (line L, column C): message  and exits 1, or exits 0 when valid.`,
  async run(argv) {
    const { positionals } = parseCommand(argv, {}, ["FILE"]);
    const name = positionals[0] as string;
    const text = await readSourceFile(name);
    const { problems, file } = checkConfigFile(name, text);
    if (!file) {
      for (const problem of problems) console.error(formatProblem(name, problem));
      return 1;
    }
    const routes = file.apis.reduce((sum, api) => sum + api.routes.length, 0);
    const policies =
      file.policies.length +
      file.apis.reduce(
        (sum, api) => sum + api.policies.length + api.routes.reduce((n, r) => n + r.policies.length, 0),
        0,
      ) +
      file.consumers.reduce((sum, consumer) => sum + consumer.policies.length, 0);
    console.log(
      `valid: ${count(file.upstreams.length, "upstream")}, ${count(file.apis.length, "api")}, ${count(routes, "route")}, ` +
        `${count(file.plans.length, "plan")}, ${count(file.consumers.length, "consumer")}, ${count(policies, "policy", "policies")}`,
    );
    return 0;
  },
};
