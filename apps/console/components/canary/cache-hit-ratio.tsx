"use client";

import { formatCount } from "../analytics/format.ts";
import { usePools } from "./use-pools.ts";

/** The share of cacheable answers the proxy cache served itself over the last 15 minutes. */
export function CacheHitRatio({ apiId }: { apiId: string }) {
  const pools = usePools(apiId);
  if (pools.isPending || pools.isError) return null;
  const { hits, misses, hitRatio } = pools.data.cache;
  return (
    <dl className="tiles">
      <div className="tile">
        <dt>Cache hit ratio</dt>
        <dd className="tile-value">{hitRatio === null ? "—" : `${Math.round(hitRatio * 1000) / 10}%`}</dd>
        <dd className="tile-hint">
          {hitRatio === null
            ? "no cached traffic yet"
            : `${formatCount(hits)} hits, ${formatCount(misses)} misses in the last 15 minutes`}
        </dd>
      </div>
    </dl>
  );
}
