import type { z } from "zod";
import type { opentelemetrySchema } from "./schema.ts";

/** "traces 10% of new requests to otel.example.com". */
export function summarizeOpentelemetry(config: z.output<typeof opentelemetrySchema.config>): string {
  return `traces ${Math.round(config.samplingRatio * 10_000) / 100}% of new requests to ${new URL(config.endpoint).host}`;
}
