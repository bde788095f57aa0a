import { TCHAR } from "@gatehouse/shared";
import type { z } from "zod";
import { headerValue, type PolicyDefinition } from "../types.ts";
import { corsSchema } from "./schema.ts";

type CorsConfig = z.output<typeof corsSchema.config>;

const HEADER_LIST = new RegExp(`^${TCHAR}+(?:[ \\t]*,[ \\t]*${TCHAR}+)*$`);

/**
 * Runs first, before auth: a preflight carries no credentials, so it must be answered here or
 * every browser call to an authenticated API would fail. CORS only tells the browser what a page
 * may read; a request from an unlisted origin still goes through, without Access-Control headers.
 */
export const cors: PolicyDefinition<typeof corsSchema.config> = {
  ...corsSchema,
  create(config: CorsConfig) {
    const anyOrigin = config.origins.includes("*");
    const origins = new Set(config.origins);
    const methods = config.methods.join(", ");
    const allowHeaders = config.headers.join(", ");
    const exposeHeaders = config.exposeHeaders.join(", ");
    const maxAge = String(config.maxAgeSeconds);
    /** With `*` every client gets the same answer, so caches need not keep one per origin. */
    const allowedOrigin = (origin: string | undefined) =>
      anyOrigin ? "*" : origin !== undefined && origins.has(origin) ? origin : undefined;

    return {
      handle(ctx) {
        const origin = headerValue(ctx, "origin");
        const allowed = allowedOrigin(origin);
        const preflight =
          ctx.method === "OPTIONS" &&
          origin !== undefined &&
          headerValue(ctx, "access-control-request-method") !== undefined;

        if (!preflight) {
          const headers = ctx.responseHeaders;
          if (!anyOrigin) headers.vary = "Origin";
          if (allowed === undefined) return undefined;
          headers["access-control-allow-origin"] = allowed;
          if (config.credentials) headers["access-control-allow-credentials"] = "true";
          if (exposeHeaders !== "") headers["access-control-expose-headers"] = exposeHeaders;
          return undefined;
        }

        const requested = headerValue(ctx, "access-control-request-headers")?.trim();
        const reflect = allowHeaders === "" && requested !== undefined && HEADER_LIST.test(requested);
        const vary = [
          ...(anyOrigin ? [] : ["Origin"]),
          ...(allowHeaders === "" ? ["Access-Control-Request-Headers"] : []),
        ];
        const headers: Record<string, string> = vary.length > 0 ? { vary: vary.join(", ") } : {};
        // As Kong's cors plugin does, an unlisted origin is answered without Allow-Origin rather than
        // with a 403: the browser fails the preflight itself, and a status would tell a script nothing more.
        if (allowed === undefined) return { kind: "respond", status: 204, headers };
        headers["access-control-allow-origin"] = allowed;
        if (config.credentials) headers["access-control-allow-credentials"] = "true";
        headers["access-control-allow-methods"] = methods;
        if (reflect) headers["access-control-allow-headers"] = requested;
        else if (allowHeaders !== "") headers["access-control-allow-headers"] = allowHeaders;
        headers["access-control-max-age"] = maxAge;
        return { kind: "respond", status: 204, headers };
      },
    };
  },
};
