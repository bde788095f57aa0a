import { type ConfigDb, currentRevision } from "@gatehouse/db";
import {
  GatehouseError,
  nodeListSchema,
  nodeTokenCreateSchema,
  nodeTokenIssuedSchema,
  nodeTokenSchema,
} from "@gatehouse/shared";
import { z } from "zod";
import type { ConfigStreams } from "../../node-sync/config-stream.ts";
import { type NodeRegistry, nodeIdentity } from "../../node-sync/node-registry.ts";
import { type NodeRequestLogs, nodeRequestLogBatchSchema } from "../../node-sync/node-request-logs.ts";
import { createNodeToken, listNodeTokens, revokeNodeToken } from "../../node-sync/node-tokens.ts";
import { ingestTraffic, nodeTrafficBatchSchema } from "../../node-sync/traffic-ingest.ts";
import { parseInput } from "../../services/context.ts";
import type { HandlerArgs, Operation } from "../operations.ts";

const configQuerySchema = z.strictObject({
  revision: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: "The revision the node serves already: only what changed after it is sent" }),
});

const ackSchema = z.strictObject({
  revision: z.int().min(0).meta({ description: "The revision the node now serves" }),
});

/** The calling node (its token was checked before the body was read): who it is and which token it came with. */
function caller({ c }: HandlerArgs) {
  return { node: nodeIdentity((name) => c.req.header(name)), tokenId: c.get("nodeTokenId") };
}

/** The Admin API's view of nodes (tokens, the fleet), and the endpoints nodes themselves call with a node token. */
export const nodeOperations = (
  db: ConfigDb,
  dataDir: string | undefined,
  registry: NodeRegistry,
  streams: ConfigStreams,
  nodeLogs: NodeRequestLogs,
): Operation[] => [
  {
    method: "get",
    path: "/nodes",
    tag: "Nodes",
    summary: "Every data-plane node that connected: the revision it serves, when it was last heard from, its status",
    response: nodeListSchema,
    handler: () => {
      const revision = currentRevision(db);
      return { revision, data: registry.list(revision) };
    },
  },
  {
    method: "get",
    path: "/nodes/tokens",
    tag: "Nodes",
    summary: "List node tokens (never the tokens themselves)",
    response: z.object({ data: z.array(nodeTokenSchema) }),
    handler: () => ({ data: listNodeTokens(db) }),
  },
  {
    method: "post",
    path: "/nodes/tokens",
    tag: "Nodes",
    summary: "Create a node token, for GATEHOUSE_NODE_TOKEN on the gateways that follow this console",
    body: nodeTokenCreateSchema,
    response: nodeTokenIssuedSchema,
    status: 201,
    handler: ({ ctx, body }) => createNodeToken(ctx, body),
  },
  {
    method: "post",
    path: "/nodes/tokens/:id/revoke",
    tag: "Nodes",
    summary: "Revoke a node token: its nodes keep serving their last config and are refused new ones",
    response: nodeTokenSchema,
    handler: ({ ctx, params }) => revokeNodeToken(ctx, params.id as string),
  },
  {
    method: "get",
    path: "/node/config",
    auth: "node",
    errors: { 401: "The node token is missing, unknown or revoked" },
    otherContent: {
      "text/event-stream":
        "The node's config: snapshot, keys and snapshot-end events (a whole config), then change events (see node-protocol.ts)",
    },
    tag: "Node protocol",
    summary: "For data-plane nodes: a stream of the config, the whole of it or what changed since `revision`",
    query: configQuerySchema,
    handler: (args) => {
      const { node, tokenId } = caller(args);
      const { revision } = parseInput(configQuerySchema, args.query);
      return streams.open(node, tokenId, revision ?? null);
    },
  },
  {
    method: "post",
    path: "/node/ack",
    auth: "node",
    errors: { 401: "The node token is missing, unknown or revoked" },
    tag: "Node protocol",
    summary: "For data-plane nodes: the revision the node now serves",
    body: ackSchema,
    status: 204,
    handler: (args) => {
      const { node, tokenId } = caller(args);
      const { revision } = parseInput(ackSchema, args.body);
      if (revision > currentRevision(db)) {
        throw new GatehouseError("validation_failed", "The node acknowledges a revision this console has not made", [
          { path: "revision", message: `At most ${currentRevision(db)}, this console's revision` },
        ]);
      }
      registry.acked(node, tokenId, revision);
    },
  },
  {
    method: "post",
    path: "/node/traffic",
    auth: "node",
    // A minute's or an hour's rows come in the batch of the second that ends them: far more than an edit.
    maxBodyBytes: 64 * 1024 * 1024,
    errors: { 401: "The node token is missing, unknown or revoked", 503: "The console has no analytics.db" },
    tag: "Node protocol",
    summary: "For data-plane nodes: one batch of analytics, added once by node, run and sequence number",
    body: nodeTrafficBatchSchema,
    response: z.object({
      applied: z.boolean().meta({ description: "False when the batch had been added before: nothing was added again" }),
    }),
    handler: (args) => {
      const { node, tokenId } = caller(args);
      if (dataDir === undefined) throw new GatehouseError("gateway_unavailable", "The console has no data dir");
      const result = ingestTraffic(dataDir, node.id, args.body);
      registry.heard(node, tokenId, result.requests, result.dropped);
      return { applied: result.applied };
    },
  },
  {
    method: "post",
    path: "/node/requests",
    auth: "node",
    // A thousand entries with long paths and target URLs: more than an edit.
    maxBodyBytes: 8 * 1024 * 1024,
    errors: { 401: "The node token is missing, unknown or revoked" },
    tag: "Node protocol",
    summary: "For data-plane nodes: request-log entries not sent before, shown in the console's request log",
    body: nodeRequestLogBatchSchema,
    status: 204,
    handler: (args) => {
      const { node } = caller(args);
      nodeLogs.add(node, parseInput(nodeRequestLogBatchSchema, args.body).entries);
    },
  },
];
