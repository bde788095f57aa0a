import { z } from "zod";
import { headerName } from "../http-token.ts";
import { patchOf, timestampSchema } from "./common.ts";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const PATH_TYPES = ["prefix", "exact"] as const;

const SEGMENT = /^(?::[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9._~!$&'()*+,;=@%-]+)$/;

export const routePathSchema = z
  .string()
  .trim()
  .max(1024, "A path is at most 1024 characters")
  .refine((p) => p.startsWith("/"), "A path starts with /")
  .refine(
    (p) =>
      p === "/" ||
      p
        .replace(/\/$/, "")
        .split("/")
        .slice(1)
        .every((segment) => SEGMENT.test(segment)),
    "Use /segments of URL characters, or :name for a parameter",
  )
  .refine((p) => {
    const names = p.split("/").filter((segment) => segment.startsWith(":"));
    return new Set(names).size === names.length;
  }, "Each :parameter name may appear once in a path");

const hostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(:\d{1,5})?$/,
    "Enter a host name such as api.example.com or *.example.com",
  );

export const routeInputSchema = z
  .strictObject({
    name: z.string().trim().max(100).optional().meta({ title: "Name" }),
    paths: z.array(routePathSchema).min(1, "Add at least one path").max(32).meta({
      title: "Paths",
      description: "e.g. /orders or /users/:id; matched as a prefix unless the type is exact",
    }),
    pathType: z
      .enum(PATH_TYPES)
      .default("prefix")
      .meta({ title: "Match", description: "prefix matches /path and /path/…" }),
    methods: z
      .array(z.enum(HTTP_METHODS, "Unknown HTTP method"))
      .max(HTTP_METHODS.length)
      .default([])
      .meta({ title: "Methods", description: "Empty means every method" }),
    hosts: z.array(hostSchema).max(32).default([]).meta({ title: "Hosts", description: "Empty means any host" }),
    headers: z
      .record(headerName(), z.string().max(1024))
      .default({})
      .meta({ title: "Header matches", description: "Every header listed must have exactly this value" }),
    stripPath: z
      .boolean()
      .default(true)
      .meta({ title: "Strip path", description: "Remove the matched path before forwarding" }),
    rewritePath: routePathSchema
      .nullable()
      .default(null)
      .meta({ title: "Rewrite to", description: "Replace the matched path with this one; :name inserts a parameter" }),
    priority: z
      .int()
      .min(-1000)
      .max(1000)
      .default(0)
      .meta({ title: "Priority", description: "Breaks ties between equally specific routes" }),
    httpsOnly: z.boolean().default(false).meta({
      title: "HTTPS only",
      description: "Plain HTTP GET and HEAD are redirected to HTTPS (308); other methods are refused (403)",
    }),
  })
  .superRefine((route, ctx) => {
    // A rewrite can only insert parameters that every path of the route captures.
    for (const name of route.rewritePath?.match(/:[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
      const missing = route.paths.find((path) => !path.split("/").includes(name));
      if (missing)
        ctx.addIssue({ code: "custom", path: ["rewritePath"], message: `${name} is not a parameter of ${missing}` });
    }
  });
export type RouteInput = z.input<typeof routeInputSchema>;
export type RouteConfig = z.output<typeof routeInputSchema>;

export const routePatchSchema = patchOf(routeInputSchema).refine(
  (value) => Object.keys(value).length > 0,
  "Nothing to change",
);

export const routeSchema = z.object({
  id: z.string(),
  apiId: z.string(),
  name: z.string().nullable(),
  paths: z.array(z.string()),
  pathType: z.enum(PATH_TYPES),
  methods: z.array(z.enum(HTTP_METHODS)),
  hosts: z.array(z.string()),
  headers: z.record(z.string(), z.string()),
  stripPath: z.boolean(),
  rewritePath: z.string().nullable(),
  priority: z.int(),
  httpsOnly: z.boolean(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Route = z.infer<typeof routeSchema>;
