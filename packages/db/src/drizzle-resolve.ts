import nodeModule from "node:module";

/**
 * Importing drizzle-orm under Node 24's ESM loader parses drizzle's 179 KB package.json once
 * per file it loads: to find each file's format, the loader copies the package scope with a
 * spread, which runs the lazy `exports` getter each time. A gateway with one route became ready
 * in 1.2 s and peaked at 347 MB of RSS that way, against 0.66 s and 156 MB with this shortcut
 * (bench/results/startup-2026-11-23.md). drizzle-orm is `"type": "module"` and its files import
 * one another by relative paths to files, so those resolve by URL alone, as ES modules.
 * Anything else goes to Node's own resolution. Import this before anything that loads
 * drizzle, from an entry whose static imports do not reach drizzle.
 */
const DRIZZLE = "/node_modules/drizzle-orm/";

export function resolveWithinDrizzle(specifier: string, parentURL: string | undefined): string | null {
  if (parentURL === undefined || !parentURL.startsWith("file:") || !parentURL.includes(DRIZZLE)) return null;
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return null;
  if (!specifier.endsWith(".js")) return null;
  const url = new URL(specifier, parentURL).href;
  return url.includes(DRIZZLE) ? url : null;
}

// Node 22.12 to 22.14 have no in-thread hooks; there the loader is only slower.
nodeModule.registerHooks?.({
  resolve(specifier, context, nextResolve) {
    const url = resolveWithinDrizzle(specifier, context.parentURL);
    return url === null ? nextResolve(specifier, context) : { url, format: "module", shortCircuit: true };
  },
});
