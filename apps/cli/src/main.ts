#!/usr/bin/env node
// CommonJS in plain JavaScript on purpose (see package.json "type"): a Node too old to run
// TypeScript still runs this file and gets the launcher's message instead of a loader error.
// The commands themselves are ES modules under ./cli.
import("../../launcher/check-node.js")
  .then(() => import("./cli/run.ts"))
  .then((cli) => cli.run(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  });
