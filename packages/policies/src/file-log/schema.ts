import { z } from "zod";
import type { PolicySchema } from "../types.ts";

const MIB = 1024 * 1024;

export const fileLogSchema = {
  type: "file-log",
  title: "File log",
  description:
    "Appends each request's log entry (no query string, headers or bodies) to a file as a JSON line, rotated by size.",
  phase: "log",
  scopes: ["global", "api"],
  config: z.strictObject({
    path: z
      .string()
      .regex(/^\/[^\0]*[^/]$/, "must be an absolute file path")
      .meta({ title: "Path", description: "The log file, on the gateway's host; its directory must exist." }),
    maxBytes: z
      .int()
      .min(1024)
      .max(1024 * MIB)
      .default(100 * MIB)
      .meta({
        title: "Rotate at (bytes)",
        description: "A write that would take the file past this first renames it to <path>.1 (and .1 to .2, …).",
      }),
    maxFiles: z.int().min(1).max(100).default(5).meta({
      title: "Rotated files kept",
      description: "<path>.1 to <path>.N are kept; the oldest is removed on rotation.",
    }),
    flushIntervalMs: z.int().min(10).max(60_000).default(200).meta({
      title: "Flush interval (ms)",
      description: "Lines are buffered and written together at most this long after they were logged.",
    }),
    bufferLimit: z.int().min(1).max(1_000_000).default(10_000).meta({
      title: "Buffer limit",
      description: "Lines held per gateway thread while the disk is slow; past it lines are dropped and counted.",
    }),
  }),
} as const satisfies PolicySchema;
