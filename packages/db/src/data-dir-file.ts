import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * A value made once and kept in a file of the data dir (a token, an id): read when the file is
 * there, else made by `make` and written so that of two processes starting together, the
 * first to write wins and both read its value.
 */
export function keptInDataDir(dataDir: string, name: string, make: () => string, mode = 0o644): string {
  const file = path.join(dataDir, name);
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, make(), { flag: "wx", mode });
  } catch (error) {
    // The other process made it between our read and our write: theirs stands.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return readFileSync(file, "utf8").trim();
}
