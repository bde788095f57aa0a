import { headerName } from "@gatehouse/shared";
import { z } from "zod";
import type { PolicySchema } from "../types.ts";

const headerNameField = headerName({ trim: true });

export const keyAuthSchema = {
  type: "key-auth",
  title: "Key auth",
  description: "Requires an API key issued to a consumer; the consumer it belongs to calls the API.",
  phase: "auth",
  scopes: ["global", "api", "route"],
  config: z.strictObject({
    header: headerNameField
      .default("x-api-key")
      .meta({ title: "Header", description: "The request header that carries the key." }),
    acceptBearer: z
      .boolean()
      .default(true)
      .meta({ title: "Accept Authorization: Bearer", description: "Also take the key from a Bearer token." }),
    queryParam: z
      .string()
      .trim()
      .max(100)
      .regex(/^[A-Za-z0-9_.-]*$/, "Use letters, digits, dots, dashes and underscores")
      .default("")
      .meta({
        title: "Query parameter",
        description: "Also take the key from this query parameter; empty turns it off (URLs end up in logs).",
      }),
  }),
} as const satisfies PolicySchema;
