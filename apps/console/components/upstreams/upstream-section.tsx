"use client";

import type { TargetHealth, Upstream } from "@gatehouse/shared";
import Link from "next/link";
import { useMemo } from "react";
import { LiveStatus } from "../gateway/live-status.tsx";
import { useLiveRevision } from "../gateway/use-live-revision.ts";
import { Banner } from "../ui/banner.tsx";
import { Section } from "../ui/section.tsx";
import { HealthEvents } from "./health-events.tsx";
import { PoolSettingsForm } from "./pool-settings-form.tsx";
import { PoolTlsForm } from "./pool-tls-form.tsx";
import { isFailing } from "./target-health-badge.tsx";
import { TargetsEditor } from "./targets-editor.tsx";
import { useUpstreamHealth } from "./use-upstreams.ts";

const BALANCING: Record<Upstream["algorithm"], string> = {
  "round-robin": "balanced round-robin by weight",
  "least-connections": "sent to the target with the fewest requests in flight, by weight",
  "consistent-hash": "spread by consistent hashing, so a client stays on one target",
};

/** Targets with live health, pool settings and health events of one pool; on the API page and the upstream page. */
export function UpstreamSections({ upstream, linkToPool }: { upstream: Upstream; linkToPool?: boolean }) {
  const live = useLiveRevision();
  const health = useUpstreamHealth(upstream.id);
  const byTarget = useMemo(
    () => new Map<string, TargetHealth>((health.data?.targets ?? []).map((t) => [t.targetId, t])),
    [health.data],
  );
  const unreachable = health.data?.reachable === false;
  const troubled = (health.data?.targets ?? []).some((t) => isFailing(t) || t.state === "unhealthy");
  return (
    <>
      {troubled && !upstream.healthChecks.active.enabled ? (
        <Banner tone="warning" title="Active checks are off.">
          A target here is failing requests, and the gateway learns of it only from the requests it sends there. Turn on
          active checks under Pool settings: the gateway then probes every target and takes a failing one out before
          clients meet it.
        </Banner>
      ) : null}
      <Section
        title="Targets"
        description={
          <>
            {linkToPool ? (
              <>
                Pool <Link href={`/upstreams/${upstream.id}`}>{upstream.name}</Link>,{" "}
              </>
            ) : (
              "Requests are "
            )}
            {BALANCING[upstream.algorithm]}; weight 0 drains a target.
            {unreachable ? " The gateway is unreachable, so health is unknown." : null}
          </>
        }
        actions={<LiveStatus saving={false} phase={live.phase} />}
        flush
      >
        <TargetsEditor upstreamId={upstream.id} targets={upstream.targets} health={byTarget} onSaved={live.track} />
      </Section>
      <Section
        title="Pool settings"
        description="Balancing, retries, timeouts and how the gateway decides a target is down."
      >
        {/* Keyed by the saved row so the form resets when it changes elsewhere. */}
        <PoolSettingsForm key={upstream.updatedAt} upstream={upstream} onSaved={live.track} />
      </Section>
      <Section
        title="TLS to targets"
        description="For https:// targets: certificates are verified against the system roots unless a CA bundle is given."
      >
        <PoolTlsForm key={upstream.updatedAt} upstream={upstream} onSaved={live.track} />
      </Section>
      {linkToPool ? null : (
        <Section title="Health events" description="Targets the gateway took out or brought back, newest first." flush>
          <HealthEvents events={health.data?.events ?? []} />
        </Section>
      )}
    </>
  );
}
