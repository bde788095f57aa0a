import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { resolveWithinDrizzle } from "./drizzle-resolve.ts";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Every resolution a real Node process makes while importing `@gatehouse/db`, keyed by parent and specifier. */
function resolutions(preload: string[]): Map<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-resolve-"));
  const recorder = path.join(dir, "record.mjs");
  // Registered last, so it runs first and records what the rest of the chain answers.
  writeFileSync(
    recorder,
    `import { registerHooks } from "node:module";
const seen = {};
registerHooks({ resolve(specifier, context, next) {
  const result = next(specifier, context);
  seen[context.parentURL + " " + specifier] = result.url + " " + result.format;
  return result;
} });
process.on("exit", () => process.stdout.write(JSON.stringify(seen)));`,
  );
  const imports = [...preload, recorder].flatMap((file) => ["--import", file]);
  const out = execFileSync(
    process.execPath,
    [...imports, "--input-type=module", "-e", "await import('@gatehouse/db')"],
    {
      cwd: packageDir,
    },
  );
  return new Map(Object.entries(JSON.parse(out.toString()) as Record<string, string>));
}

test("drizzle's files resolve to the same URLs and formats as Node's own resolution gives them", () => {
  const own = resolutions([]);
  const shortcut = resolutions([path.join(packageDir, "src/drizzle-resolve.ts")]);
  expect([...shortcut.keys()].sort()).toEqual([...own.keys()].sort());
  for (const [key, resolved] of own) expect(shortcut.get(key), key).toBe(resolved);
  const withinDrizzle = [...own.keys()].filter((key) => {
    const [parent, specifier] = key.split(" ") as [string, string];
    return resolveWithinDrizzle(specifier, parent) !== null;
  });
  // The schema alone loads about a hundred of drizzle's files; the comparison above covers each.
  expect(withinDrizzle.length).toBeGreaterThan(50);
});

test("only relative .js imports from inside drizzle-orm take the shortcut", () => {
  const parent = "file:///app/node_modules/drizzle-orm/sqlite-core/table.js";
  expect(resolveWithinDrizzle("./columns/index.js", parent)).toBe(
    "file:///app/node_modules/drizzle-orm/sqlite-core/columns/index.js",
  );
  expect(resolveWithinDrizzle("../entity.js", parent)).toBe("file:///app/node_modules/drizzle-orm/entity.js");
  expect(resolveWithinDrizzle("drizzle-orm/sql", parent)).toBeNull();
  expect(resolveWithinDrizzle("./data.json", parent)).toBeNull();
  expect(resolveWithinDrizzle("../../other/x.js", parent)).toBeNull();
  expect(resolveWithinDrizzle("./x.js", "file:///app/src/main.js")).toBeNull();
  expect(resolveWithinDrizzle("./x.js", undefined)).toBeNull();
});
