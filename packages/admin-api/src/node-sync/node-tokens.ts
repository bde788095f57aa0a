import { hash, randomBytes } from "node:crypto";
import { type ConfigDb, type NodeTokenRow, nodeTokens } from "@gatehouse/db";
import {
  GatehouseError,
  type NodeToken,
  type NodeTokenIssued,
  newId,
  nodeTokenCreateSchema,
  notFound,
} from "@gatehouse/shared";
import { asc, eq } from "drizzle-orm";
import { recordChange } from "../services/audit.ts";
import { now, parseInput, type ServiceContext } from "../services/context.ts";

/** `ghn_` and 32 base64url characters (192 bits): a node token says what it is where it leaks. */
const TOKEN_PREFIX = "ghn_";
const DISPLAY_CHARS = TOKEN_PREFIX.length + 6;

type Reader = Pick<ConfigDb, "select">;

const hashToken = (token: string) => hash("sha256", token, "hex");

function toNodeToken(row: NodeTokenRow): NodeToken {
  const { hash: _hash, ...visible } = row;
  return visible;
}

function tokenRow(db: Reader, id: string): NodeTokenRow {
  const row = db.select().from(nodeTokens).where(eq(nodeTokens.id, id)).get();
  if (!row) throw notFound("Node token", id);
  return row;
}

export function listNodeTokens(db: Reader): NodeToken[] {
  return db.select().from(nodeTokens).orderBy(asc(nodeTokens.createdAt), asc(nodeTokens.id)).all().map(toNodeToken);
}

/** The only place the token exists in full: this answer. */
export function createNodeToken(ctx: ServiceContext, input: unknown): NodeTokenIssued {
  const { name } = parseInput(nodeTokenCreateSchema, input);
  const token = TOKEN_PREFIX + randomBytes(24).toString("base64url");
  const id = newId("nodeToken");
  return ctx.db.transaction((tx) => {
    tx.insert(nodeTokens)
      .values({ id, name, prefix: token.slice(0, DISPLAY_CHARS), hash: hashToken(token) })
      .run();
    const created = toNodeToken(tokenRow(tx, id));
    recordChange(tx, ctx, { action: "create", entityType: "node_token", entityId: id, before: null, after: created });
    return { ...created, token };
  });
}

/** Nodes using the token keep serving what they have and are refused new config and traffic reports. */
export function revokeNodeToken(ctx: ServiceContext, id: string): NodeToken {
  return ctx.db.transaction((tx) => {
    const row = tokenRow(tx, id);
    if (row.revokedAt !== null) return toNodeToken(row);
    tx.update(nodeTokens).set({ revokedAt: now() }).where(eq(nodeTokens.id, id)).run();
    const before = toNodeToken(row);
    const after = toNodeToken(tokenRow(tx, id));
    recordChange(tx, ctx, { action: "update", entityType: "node_token", entityId: id, before, after });
    return after;
  });
}

/** The token row a node's bearer token names, if it is a token and not revoked; otherwise 401. */
export function authenticateNode(db: Reader, token: string | undefined): NodeTokenRow {
  if (token === undefined || !token.startsWith(TOKEN_PREFIX)) {
    throw new GatehouseError("node_token_invalid", "Send the node token as Authorization: Bearer ghn_…");
  }
  const row = db
    .select()
    .from(nodeTokens)
    .where(eq(nodeTokens.hash, hashToken(token)))
    .get();
  if (!row) throw new GatehouseError("node_token_invalid", "The node token is not known to this console");
  if (row.revokedAt !== null) {
    throw new GatehouseError("node_token_invalid", `The node token ${row.prefix}… was revoked at ${row.revokedAt}`);
  }
  return row;
}

/** Whether the token is still good, for streams opened before a revocation. */
export function tokenStillValid(db: Reader, id: string): boolean {
  const row = db.select({ revokedAt: nodeTokens.revokedAt }).from(nodeTokens).where(eq(nodeTokens.id, id)).get();
  return row !== undefined && row.revokedAt === null;
}
