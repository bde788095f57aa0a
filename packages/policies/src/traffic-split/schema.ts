import { headerName, shownWhen } from "@gatehouse/shared";
import { z } from "zod";
import { groupList } from "../acl/schema.ts";
import type { PolicySchema } from "../types.ts";

export const STICKY_BY = ["none", "consumer", "header", "ip"] as const;

const nameValue = (what: string) =>
  z.strictObject({
    name: what === "header" ? headerName({ trim: true }).min(1) : z.string().trim().min(1).max(200),
    value: z.string().max(4096),
  });

export const trafficSplitSchema = {
  type: "traffic-split",
  title: "Traffic split (canary)",
  description:
    "Sends a share of the requests to another upstream pool, the canary, optionally keeping each client on one side.",
  phase: "route",
  scopes: ["api", "route"],
  upstreamFields: ["upstreamId"],
  config: z
    .strictObject({
      upstreamId: z
        .string()
        .trim()
        .min(1, "Pick the canary's upstream")
        .meta({ title: "Canary upstream", description: "The upstream pool that gets the canary's share." }),
      percent: z.number().min(0).max(100).multipleOf(0.01, "At most two decimals").default(0).meta({
        title: "Canary share (%)",
        description: "The share of requests sent to the canary, 0 to 100 with up to two decimals.",
      }),
      stickyBy: z.enum(STICKY_BY).default("none").meta({
        title: "Keep clients on one side by",
        description:
          "none: each request is drawn afresh; consumer, header or ip: a client keeps its side, and raising the share only moves clients to the canary. A request without the identity is drawn afresh.",
      }),
      stickyHeader: headerName({ trim: true, optional: true }).default("").meta({
        title: "Sticky header",
        description: "With keep by header: the header whose value keeps a client on one side.",
      }),
      match: z
        .strictObject({
          header: nameValue("header").optional(),
          cookie: nameValue("cookie").optional(),
          groups: groupList,
        })
        .default({ groups: [] })
        .meta({
          title: "Always to the canary",
          description:
            'Requests matching any of these go to the canary whatever the share, e.g. {"header": {"name": "x-canary", "value": "1"}, "cookie": {"name": "beta", "value": "yes"}, "groups": ["staff"]}.',
        }),
    })
    .superRefine((config, ctx) => {
      if (config.stickyBy === "header" && config.stickyHeader === "") {
        ctx.addIssue({ code: "custom", path: ["stickyHeader"], message: "Name the header to keep clients by" });
      }
    }),
} as const satisfies PolicySchema;

shownWhen(trafficSplitSchema.config, { stickyBy: "header" }, ["stickyHeader"]);
