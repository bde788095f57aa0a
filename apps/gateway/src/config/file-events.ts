import { type FSWatcher, watch } from "node:fs";
import path from "node:path";
import { configDbPath } from "@gatehouse/db";

export interface FileEvents {
  close(): void;
}

/**
 * Calls `onChange` when a file of config.db (the database, its WAL, its journal) is written,
 * created or replaced in `dataDir`: inotify on Linux, FSEvents on macOS. Other files there
 * (analytics.db is written every second) are ignored. Returns null where the platform refuses
 * to watch, and reports a watch that breaks later through `onError`; the caller then polls.
 */
export function watchConfigFiles(
  dataDir: string,
  onChange: () => void,
  onError: (error: Error) => void,
): FileEvents | null {
  const name = path.basename(configDbPath(dataDir));
  let watcher: FSWatcher;
  try {
    watcher = watch(dataDir, { persistent: false }, (_event, filename) => {
      // Some platforms leave the name out: any event may then be ours.
      if (filename === null || filename.startsWith(name)) onChange();
    });
  } catch {
    return null;
  }
  watcher.on("error", (error) => {
    watcher.close();
    onError(error);
  });
  return watcher;
}
