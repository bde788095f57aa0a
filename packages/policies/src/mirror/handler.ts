import type { z } from "zod";
import { headerValue, type PolicyContext, type PolicyDefinition } from "../types.ts";
import { copyHeaders, copyPath, hasBody } from "./copy-request.ts";
import { mirrorSchema } from "./schema.ts";
import { MirrorTally } from "./tally.ts";

type MirrorConfig = z.output<typeof mirrorSchema.config>;

export const mirror: PolicyDefinition<typeof mirrorSchema.config> = {
  ...mirrorSchema,
  create(config: MirrorConfig, services, policyId) {
    const { upstreams } = services;
    if (upstreams === undefined) throw new Error(`policy ${policyId}: a mirror needs the gateway's upstream pools`);
    const { upstreamId, percent, maxBodyBytes, maxConcurrent, timeoutMs } = config;
    const tally = services.state(policyId, () => new MirrorTally(policyId, services));
    const settled = () => {
      tally.inFlight--;
      tally.count("sent");
    };
    const failed = (error: Error) => {
      tally.inFlight--;
      tally.count("failed", error);
    };
    const skip = (): undefined => {
      tally.count("skipped");
      return undefined;
    };

    /** Starts the copy and leaves it: nothing of the client's exchange waits for it. */
    const send = (ctx: PolicyContext, body: Buffer | null): undefined => {
      if (tally.inFlight >= maxConcurrent) {
        tally.count("dropped");
        return undefined;
      }
      tally.inFlight++;
      const request = { method: ctx.method, path: copyPath(ctx), headers: copyHeaders(ctx), body, timeoutMs };
      upstreams.send(upstreamId, request).then(settled, failed);
      return undefined;
    };

    return {
      handle(ctx) {
        if (Math.random() * 100 >= percent) return undefined;
        // Checked before the body is read too: a copy that will be dropped is no reason to hold the body.
        if (tally.inFlight >= maxConcurrent) {
          tally.count("dropped");
          return undefined;
        }
        // A body a policy rewrote is what the main request sends.
        const replaced = ctx.upstream.body;
        if (replaced !== null) return replaced.length > maxBodyBytes ? skip() : send(ctx, replaced);
        if (!hasBody(ctx)) return send(ctx, null);
        // A body over the request's own limit is refused upstream: no copy of what is refused.
        const limit = ctx.maxBodyBytes === 0 ? maxBodyBytes : Math.min(maxBodyBytes, ctx.maxBodyBytes);
        if (Number(headerValue(ctx, "content-length")) > limit) return skip();
        // A failed upload fails the main request on its own; the copy is only skipped.
        return ctx.readBody(limit).then(
          (body) => (body === null ? skip() : send(ctx, body)),
          () => skip(),
        );
      },
    };
  },
};
