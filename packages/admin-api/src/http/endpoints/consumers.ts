import {
  apiKeyCreateSchema,
  apiKeyIssuedSchema,
  apiKeyRotatedSchema,
  apiKeyRotateSchema,
  apiKeySchema,
  consumerCreateSchema,
  consumerPatchSchema,
  consumerSchema,
  listQuerySchema,
  pageSchema,
} from "@gatehouse/shared";
import { z } from "zod";
import type { AnalyticsReader } from "../../services/analytics/analytics-reader.ts";
import {
  createConsumer,
  deleteConsumer,
  getConsumer,
  getKey,
  issueKey,
  KeyUsageReader,
  listConsumers,
  listKeys,
  revokeKey,
  rotateKey,
  updateConsumer,
} from "../../services/index.ts";
import type { Operation } from "../operations.ts";

const p = (params: Record<string, string>, key: string) => params[key] as string;

export const consumerOperations = (analytics: AnalyticsReader): Operation[] => {
  const usage = new KeyUsageReader(analytics);
  return [
    {
      method: "get",
      path: "/consumers",
      tag: "Consumers",
      summary: "List consumers",
      query: listQuerySchema,
      response: pageSchema(consumerSchema),
      handler: ({ ctx, query }) => listConsumers(ctx.db, query),
    },
    {
      method: "post",
      path: "/consumers",
      errors: { 409: "The name is taken" },
      tag: "Consumers",
      summary: "Create a consumer",
      body: consumerCreateSchema,
      response: consumerSchema,
      status: 201,
      handler: ({ ctx, body }) => createConsumer(ctx, body),
    },
    {
      method: "get",
      path: "/consumers/:id",
      tag: "Consumers",
      summary: "Get a consumer",
      response: consumerSchema,
      handler: ({ ctx, params }) => getConsumer(ctx.db, p(params, "id")),
    },
    {
      method: "patch",
      path: "/consumers/:id",
      errors: { 409: "The name is taken" },
      tag: "Consumers",
      summary: "Change a consumer's name, metadata, groups or plan",
      body: consumerPatchSchema,
      response: consumerSchema,
      handler: ({ ctx, params, body }) => updateConsumer(ctx, p(params, "id"), body),
    },
    {
      method: "delete",
      path: "/consumers/:id",
      tag: "Consumers",
      summary: "Delete a consumer with its keys and its own policies",
      status: 204,
      handler: ({ ctx, params }) => deleteConsumer(ctx, p(params, "id")),
    },
    {
      method: "get",
      path: "/consumers/:id/keys",
      tag: "Consumers",
      summary: "List a consumer's API keys (prefixes only; a key is shown once, when issued)",
      response: z.object({ data: z.array(apiKeySchema) }),
      handler: ({ ctx, params }) => ({ data: listKeys(ctx.db, p(params, "id"), usage) }),
    },
    {
      method: "post",
      path: "/consumers/:id/keys",
      tag: "Consumers",
      summary: "Issue an API key; the answer is the only place the key ever appears",
      body: apiKeyCreateSchema,
      response: apiKeyIssuedSchema,
      status: 201,
      handler: ({ ctx, params, body }) => issueKey(ctx, p(params, "id"), body),
    },
    {
      method: "get",
      path: "/consumers/:id/keys/:keyId",
      tag: "Consumers",
      summary: "Get an API key's settings and status",
      response: apiKeySchema,
      handler: ({ ctx, params }) => getKey(ctx.db, p(params, "id"), p(params, "keyId"), usage),
    },
    {
      method: "post",
      path: "/consumers/:id/keys/:keyId/revoke",
      tag: "Consumers",
      summary: "Revoke an API key: the gateway refuses it from the next revision on",
      response: apiKeySchema,
      handler: ({ ctx, params }) => revokeKey(ctx, p(params, "id"), p(params, "keyId")),
    },
    {
      method: "post",
      path: "/consumers/:id/keys/:keyId/rotate",
      errors: { 409: "The key is already expired or revoked" },
      tag: "Consumers",
      summary: "Issue a replacement key; the old one keeps working for the grace period",
      body: apiKeyRotateSchema,
      response: apiKeyRotatedSchema,
      status: 201,
      handler: ({ ctx, params, body }) => rotateKey(ctx, p(params, "id"), p(params, "keyId"), body),
    },
  ];
};
