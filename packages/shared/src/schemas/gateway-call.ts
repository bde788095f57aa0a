import { z } from "zod";
import { headerName } from "../http-token.ts";
import { HTTP_METHODS } from "./route.ts";

/** One request the console sends through the gateway on the admin's behalf ("Try it"). */
export const gatewayCallSchema = z.strictObject({
  method: z.enum(HTTP_METHODS, "Unknown HTTP method").meta({ title: "Method" }),
  path: z
    .string()
    .max(2048)
    .regex(/^\/([^/\s#][^\s#]*)?$/, "A path starts with a single / and has no spaces")
    .meta({ title: "Path", description: "The request path and query, sent to the gateway as is" }),
  headers: z
    .record(
      headerName(),
      z
        .string()
        .max(4096)
        .regex(/^[\t\x20-\x7e\x80-\xff]*$/, "No line breaks in a header value"),
    )
    .default({})
    .meta({ title: "Headers", description: "Host included; e.g. the API key's header" }),
});
export type GatewayCall = z.input<typeof gatewayCallSchema>;

export const gatewayAnswerSchema = z.object({
  status: z.int(),
  headers: z.record(z.string(), z.string()),
  body: z.string().meta({ description: "The body as text, cut at 4 KB" }),
  truncated: z.boolean(),
  durationMs: z.number(),
});
export type GatewayAnswer = z.infer<typeof gatewayAnswerSchema>;
