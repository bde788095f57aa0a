import type { z } from "zod";
import { LOG_ENTRIES_DROPPED } from "../access-log/dropped.ts";
import type { AccessLogEntry } from "../access-log/entry.ts";
import type { PolicyDefinition } from "../types.ts";
import { RotatingFile } from "./rotating-file.ts";
import { fileLogSchema } from "./schema.ts";

type FileLogConfig = z.output<typeof fileLogSchema.config>;

// One write(2) stays well under what a filesystem appends in one piece.
const MAX_WRITE_BYTES = 1024 * 1024;
const LOG_EVERY_MS = 60_000;

export const fileLog: PolicyDefinition<typeof fileLogSchema.config> = {
  ...fileLogSchema,
  create(config: FileLogConfig, services, policyId) {
    const { path, maxBytes, maxFiles, flushIntervalMs, bufferLimit } = config;
    const file = new RotatingFile(path, maxBytes, maxFiles);
    let lines: string[] = [];
    let writing = false;
    let closed = false;
    let loggedAt = Number.NEGATIVE_INFINITY;

    const drop = (count: number, outcome: "buffer_full" | "failed", why: string) => {
      for (let i = 0; i < count; i++) services.metrics?.count(LOG_ENTRIES_DROPPED, policyId, outcome);
      if (Date.now() - loggedAt < LOG_EVERY_MS) return;
      loggedAt = Date.now();
      services.log(`file-log ${policyId}: dropped ${count} lines: ${why}`);
    };

    /** Writes what is buffered, a batch at a time, each as one append of whole lines. */
    const flush = async () => {
      if (writing) return;
      writing = true;
      while (lines.length > 0) {
        let bytes = 0;
        let taken = 0;
        while (taken < lines.length && (taken === 0 || bytes + (lines[taken] as string).length < MAX_WRITE_BYTES)) {
          bytes += (lines[taken] as string).length + 1;
          taken++;
        }
        const batch = lines.slice(0, taken);
        lines = lines.slice(taken);
        await file.append(Buffer.from(`${batch.join("\n")}\n`)).catch((error: Error) => {
          drop(batch.length, "failed", error.message);
          return file.close().catch(() => undefined);
        });
      }
      writing = false;
      if (closed) {
        clearInterval(timer);
        await file.close().catch(() => undefined);
      }
    };
    const timer = setInterval(flush, flushIntervalMs);
    timer.unref();

    const logged = (entry: AccessLogEntry) => {
      if (lines.length >= bufferLimit) {
        drop(1, "buffer_full", "the buffer is full");
        return;
      }
      lines.push(JSON.stringify(entry));
      // Once closed the timer may be gone: a late line is written at once.
      if (closed) void flush();
    };
    return {
      handle(ctx) {
        ctx.accessLoggers.push(logged);
        return undefined;
      },
      // Requests of the retired revision may still log: the timer runs until the buffer is written.
      close() {
        closed = true;
        void flush();
      },
    };
  },
};
