import { z } from "zod";
import { listQuerySchema, nameSchema, patchOf, tagsSchema, timestampSchema } from "./common.ts";
import { routeInputSchema, routeSchema } from "./route.ts";
import { upstreamCreateSchema, upstreamSchema } from "./upstream.ts";

const apiFields = {
  name: nameSchema,
  description: z.string().trim().max(500).default("").meta({ title: "Description" }),
  enabled: z
    .boolean()
    .default(true)
    .meta({ title: "Enabled", description: "A disabled API answers 503 at the gateway" }),
  tags: tagsSchema.default([]),
};

export const apiCreateSchema = z
  .strictObject({
    ...apiFields,
    upstreamId: z.string().optional().meta({ title: "Upstream", description: "An existing upstream pool" }),
    upstream: upstreamCreateSchema
      .extend({ name: nameSchema.optional() })
      .optional()
      .meta({ description: "A new upstream pool created with the API (named after it unless named)" }),
    routes: z.array(routeInputSchema).min(1, "Add at least one route").max(100).meta({ title: "Routes" }),
  })
  .superRefine((value, ctx) => {
    if ((value.upstreamId === undefined) === (value.upstream === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["upstreamId"],
        message:
          value.upstreamId === undefined
            ? "Choose an existing pool (upstreamId) or describe a new one (upstream)"
            : "Choose an existing pool (upstreamId) or describe a new one (upstream), not both",
      });
    }
  });
export type ApiCreate = z.input<typeof apiCreateSchema>;

export const apiPatchSchema = patchOf(z.object({ ...apiFields, upstreamId: z.string() })).refine(
  (value) => Object.keys(value).length > 0,
  "Nothing to change",
);
export type ApiPatch = z.input<typeof apiPatchSchema>;

/** The API list also answers "which APIs use this pool" (a pool's page lists them). */
export const apiListQuerySchema = listQuerySchema.extend({
  upstreamId: z.string().trim().max(100).optional().meta({ description: "Only APIs that use this upstream pool" }),
});
export type ApiListQuery = z.infer<typeof apiListQuerySchema>;

export const apiSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  tags: z.array(z.string()),
  upstreamId: z.string(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Api = z.infer<typeof apiSchema>;

export const apiDetailSchema = apiSchema.extend({
  routes: z.array(routeSchema),
  upstream: upstreamSchema.optional(),
});
export type ApiDetail = z.infer<typeof apiDetailSchema>;

/** Which of an API's cached answers a purge drops: those whose client path starts with `prefix`. */
export const cachePurgeQuerySchema = z.strictObject({
  prefix: z
    .string()
    .max(1024)
    .regex(/^\/[^?#\s]*$/, "Use a path starting with /, without a query or spaces")
    .default("/")
    .meta({
      description: "Only answers to paths starting with this, as clients call them; / (the default) purges all",
    }),
});
export type CachePurgeQuery = z.input<typeof cachePurgeQuerySchema>;

export const cachePurgeSchema = z.object({
  apiId: z.string(),
  prefix: z.string(),
  revision: z.int().meta({ description: "The config revision the purge takes effect at, on every gateway serving it" }),
});
export type CachePurge = z.infer<typeof cachePurgeSchema>;
