import type { SideRequest, UpstreamPools } from "@gatehouse/policies";
import type { CompiledTarget, CompiledUpstream } from "../config/compile.ts";
import { joinBasePath } from "../router/rewrite.ts";

let next = 0;

/** Round robin over the targets whose health admits a request; side requests carry no client to hash on. */
function pickTarget(upstream: CompiledUpstream): CompiledTarget | null {
  const { targets } = upstream;
  for (let i = 0; i < targets.length; i++) {
    const target = targets[(next + i) % targets.length] as CompiledTarget;
    if (target.health.admits) {
      next = (next + i + 1) % targets.length;
      return target;
    }
  }
  return null;
}

/**
 * Pools of one compiled config as policies see them. A side request goes through the
 * target's own connection pool but leaves its health alone: a mirror's failures are the
 * mirror's, never a reason to take a target out of the client's rotation.
 */
export function upstreamPools(upstreams: ReadonlyMap<string, CompiledUpstream>): UpstreamPools {
  return {
    has: (upstreamId) => upstreams.has(upstreamId),
    async send(upstreamId: string, request: SideRequest): Promise<number> {
      const upstream = upstreams.get(upstreamId);
      if (upstream === undefined) throw new Error(`upstream ${upstreamId} does not exist`);
      const target = pickTarget(upstream);
      if (target === null) throw new Error(`upstream ${upstream.name} has no healthy target`);
      const signal = AbortSignal.timeout(request.timeoutMs);
      const response = await target.pool.request({
        method: request.method,
        path: joinBasePath(target.basePath, request.path),
        headers: request.headers,
        body: request.body,
        signal,
      });
      await response.body.dump();
      return response.statusCode;
    },
  };
}
