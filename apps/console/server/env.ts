import "server-only";
import { resolveDataDir } from "@gatehouse/db";
import { z } from "zod";

const schema = z.object({
  GATEHOUSE_DATA_DIR: z.string().optional(),
  GATEHOUSE_ADMIN_TOKEN: z
    .string()
    .min(16, "GATEHOUSE_ADMIN_TOKEN must be at least 16 characters")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  GATEHOUSE_GATEWAY_STATUS_URL: z.url().default("http://127.0.0.1:8081"),
  /** Where the console sends "Try it" calls; the browser's gateway URL when unset. */
  GATEHOUSE_GATEWAY_PROXY_URL: z.url().optional(),
  GATEHOUSE_CONSOLE_URL: z.url().optional(),
  PORT: z.coerce.number().int().default(3000),
});

/** The console's environment, parsed once; a bad value stops the start with a clear message. */
export const env = (() => {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(
      `Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const { GATEHOUSE_DATA_DIR, GATEHOUSE_CONSOLE_URL, PORT, ...rest } = parsed.data;
  return {
    ...rest,
    dataDir: resolveDataDir(GATEHOUSE_DATA_DIR),
    consoleUrl: GATEHOUSE_CONSOLE_URL ?? `http://localhost:${PORT}`,
  };
})();
