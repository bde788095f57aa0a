import type { Upstream } from "@gatehouse/shared";

/** Marks a pool that accepts any certificate from its targets, wherever the pool is named. */
export function UnsafeTlsBadge({ upstream }: { upstream: Pick<Upstream, "tls"> }) {
  if (!upstream.tls.skipVerify) return null;
  return (
    <span className="badge badge-danger" title="TLS verification is off: any certificate from a target is accepted">
      unsafe: TLS not verified
    </span>
  );
}
