import { GatehouseError } from "@gatehouse/shared";
import type { Context, Hono } from "hono";
import type { z } from "zod";
import { authenticateNode } from "../node-sync/node-tokens.ts";
import type { ServiceContext } from "../services/context.ts";
import { authenticate, bearerToken } from "./authenticate.ts";
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from "./body.ts";
import type { AdminApiDeps, AdminEnv } from "./env.ts";

export type Method = "get" | "post" | "patch" | "put" | "delete";

export interface HandlerArgs {
  c: Context<AdminEnv>;
  ctx: ServiceContext;
  body: unknown;
  params: Record<string, string>;
  query: Record<string, string>;
}

/** Error answers an operation gives beyond those its shape implies (see `errorStatuses`), with why. */
export type ExtraErrors = Partial<Record<401 | 403 | 404 | 409 | 429 | 503, string>>;

/** One Admin API operation: its route, its docs and its handler, declared once. */
export interface Operation {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  response?: z.ZodType;
  status?: 200 | 201 | 202 | 204;
  /** Media types the success answer may have besides JSON (a CSV export, an event stream), with when. */
  otherContent?: Record<string, string>;
  errors?: ExtraErrors;
  /** Reachable without credentials (sign-in and setup). */
  public?: boolean;
  /** Largest body accepted, when it is not the Admin API's limit. */
  maxBodyBytes?: number;
  /** Called by data-plane nodes with a node token (its id in the `nodeTokenId` variable), not by admins. */
  auth?: "node";
  handler: (args: HandlerArgs) => unknown | Promise<unknown>;
}

/** `If-Match: "12"` (or W/"12", or 12): the revision a write must land on; `*` or none: any. */
function expectedRevision(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === "*") return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw new GatehouseError("bad_request", 'If-Match takes a config revision, e.g. If-Match: "12"');
  return Number(match[1]);
}

/** Registers operations; each answers its result as JSON with its status and the revision it made. */
export function mountOperations(
  app: Hono<AdminEnv>,
  deps: AdminApiDeps,
  secret: Uint8Array,
  operations: Operation[],
  onRevision: () => void = () => {},
) {
  const maxBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  for (const op of operations) {
    app.on(op.method.toUpperCase(), op.path, async (c) => {
      if (op.auth === "node") c.set("nodeTokenId", authenticateNode(deps.db, bearerToken(c)).id);
      else if (!op.public) await authenticate(c, deps, secret);
      const actor = c.get("actor") ?? "anonymous";
      const ctx: ServiceContext = {
        db: deps.db,
        actor,
        source: actor.startsWith("admin:") ? "console" : "api",
        expectedRevision: expectedRevision(c.req.header("if-match")),
      };
      const body = op.body ? await readJsonBody(c, op.maxBodyBytes ?? maxBytes) : undefined;
      const result = await op.handler({
        c,
        ctx,
        body,
        params: c.req.param() as Record<string, string>,
        query: c.req.query(),
      });
      if (result instanceof Response) return result;
      if (ctx.revision !== undefined) {
        c.header("Gatehouse-Revision", String(ctx.revision));
        onRevision();
      }
      const status = op.status ?? 200;
      return status === 204 ? c.body(null, 204) : c.json(result, status);
    });
  }
}
