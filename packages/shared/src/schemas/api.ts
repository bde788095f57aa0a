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
