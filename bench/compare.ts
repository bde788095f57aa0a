import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { machineLines, toolVersions } from "./environment.ts";

export interface Checkout {
  label: string;
  root: string;
}

/** This checkout, after the one `--base` names (made by `bench/base-checkout.sh`) when given. */
export function checkoutsToCompare(base: string | undefined): Checkout[] {
  return [
    ...(base ? [{ label: `base (${base})`, root: base }] : []),
    { label: "this checkout", root: path.resolve(import.meta.dirname, "..") },
  ];
}

/**
 * Runs a measurement in a fresh Node process per checkout, `runs` times, interleaved so drift on
 * the machine hits each alike. The process prints one JSON object; `row` turns it into a table row.
 */
export function measureEachCheckout<T>(
  checkouts: Checkout[],
  runs: number,
  args: (checkout: Checkout) => string[],
  row: (checkout: Checkout, run: number, measured: T) => string,
): string[] {
  const rows: string[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const checkout of checkouts) {
      const out = execFileSync(process.execPath, args(checkout)).toString();
      rows.push(row(checkout, run, JSON.parse(out) as T));
      console.log(rows.at(-1));
    }
  }
  return rows;
}

/**
 * bench/results/NAME-DATE.md, or NAME-DATE-2.md and on when that exists: a second run on the
 * same day gets a file of its own, since the first may be what a commit cites.
 */
export function unusedResultPath(name: string, date = new Date()): string {
  const stem = path.join(import.meta.dirname, "results", `${name}-${date.toISOString().slice(0, 10)}`);
  let file = `${stem}.md`;
  for (let n = 2; existsSync(file); n++) file = `${stem}-${n}.md`;
  return file;
}

/** Prints a report and writes it to bench/results/<name>-<date>.md, with the command and the machine. */
export function writeResult(name: string, title: string, lines: string[]): void {
  const argv = process.argv.slice(2).join(" ");
  const report = [
    `# ${title}`,
    "",
    `${new Date().toISOString()}, command: \`node bench/${path.basename(process.argv[1] as string)}${argv ? ` ${argv}` : ""}\``,
    "",
    // The load tools' versions do not matter to these scripts.
    ...machineLines(toolVersions(null, null))
      .slice(0, 2)
      .map((line) => `- ${line}`),
    `- Node ${process.version}`,
    "",
    ...lines,
    "",
  ].join("\n");
  console.log(report);
  const file = unusedResultPath(name);
  writeFileSync(file, report);
  // Formatted as the repository's lint wants it: an unaligned table fails `npm test` once committed.
  execFileSync(path.join(import.meta.dirname, "..", "node_modules", ".bin", "biome"), ["format", "--write", file], {
    stdio: "ignore",
  });
  console.log(`written to ${path.relative(process.cwd(), file)}`);
}
