import type { z } from "zod";
import type { jwtSchema } from "./schema.ts";

type Config = z.output<typeof jwtSchema.config>;

/** The saved config lacks the secret (write-only), so an HS policy is read from its algorithms. */
function checkedWith(config: Config): string {
  if (config.jwksUrl) return `the keys at ${config.jwksUrl}`;
  if (config.publicKey) return "a public key";
  return "a shared secret";
}

/** "RS256 tokens checked with the keys at https://…, consumer from sub". */
export function summarizeJwt(config: Config): string {
  const consumer = config.requireConsumer
    ? `consumer from ${config.consumerClaim}`
    : `consumer from ${config.consumerClaim} if known`;
  return `${config.algorithms.join(", ")} tokens checked with ${checkedWith(config)}, ${consumer}`;
}
