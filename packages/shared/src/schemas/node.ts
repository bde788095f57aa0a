import { z } from "zod";
import { nameSchema, timestampSchema } from "./common.ts";

export const nodeTokenCreateSchema = z.strictObject({
  name: nameSchema.meta({ title: "Name", description: "Which nodes use it, e.g. eu-west" }),
});
export type NodeTokenCreate = z.input<typeof nodeTokenCreateSchema>;

export const nodeTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().meta({ description: "The first characters of the token, for recognising it" }),
  createdAt: timestampSchema,
  revokedAt: timestampSchema.nullable(),
});
export type NodeToken = z.infer<typeof nodeTokenSchema>;

export const nodeTokenIssuedSchema = nodeTokenSchema.extend({
  token: z.string().meta({
    description: "The node token, for GATEHOUSE_NODE_TOKEN. Shown once: only its SHA-256 is stored",
  }),
});
export type NodeTokenIssued = z.infer<typeof nodeTokenIssuedSchema>;

/**
 * `live`: heard from lately and serving the current revision or the one before it; `behind`:
 * heard from, but more than one revision behind; `gone`: not heard from for a while.
 */
export const NODE_STATUSES = ["live", "behind", "gone"] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export const nodeSchema = z.object({
  id: z.string(),
  name: z.string(),
  tokenId: z.string(),
  address: z.string().meta({ description: "Where the node says its proxy listens" }),
  version: z.string().meta({ description: "The node's Gatehouse version" }),
  revision: z.int().nullable().meta({ description: "The config revision the node acknowledged serving" }),
  lastSeenAt: timestampSchema,
  connected: z.boolean().meta({ description: "Whether the node holds its config stream open now" }),
  requestsPerSecond: z.number().meta({ description: "Requests a second in the node's last traffic report" }),
  droppedRequests: z.int().meta({
    description: "Requests whose analytics the node dropped, its buffer full while the console was away",
  }),
  status: z.enum(NODE_STATUSES),
});
export type GatewayNode = z.infer<typeof nodeSchema>;

export const nodeListSchema = z.object({
  revision: z.int().meta({ description: "The console's current config revision" }),
  data: z.array(nodeSchema),
});
