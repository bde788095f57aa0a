"use client";

import type { Upstream } from "@gatehouse/shared";
import Link from "next/link";
import { LiveStatus } from "../gateway/live-status.tsx";
import { useLiveRevision } from "../gateway/use-live-revision.ts";
import { Section } from "../ui/section.tsx";
import { TargetsEditor } from "./targets-editor.tsx";
import { TimeoutsForm } from "./timeouts-form.tsx";

/** Targets and timeouts of one pool; used on the API page and the upstream page. */
export function UpstreamSections({ upstream, linkToPool }: { upstream: Upstream; linkToPool?: boolean }) {
  const live = useLiveRevision();
  return (
    <>
      <Section
        title="Targets"
        description={
          linkToPool ? (
            <>
              Pool <Link href={`/upstreams/${upstream.id}`}>{upstream.name}</Link>, balanced round-robin by weight.
            </>
          ) : (
            "Balanced round-robin by weight; weight 0 drains a target."
          )
        }
        actions={<LiveStatus saving={false} phase={live.phase} />}
        flush
      >
        <TargetsEditor upstreamId={upstream.id} targets={upstream.targets} onSaved={live.track} />
      </Section>
      <Section title="Timeouts" description="How long the gateway waits for a target.">
        {/* Keyed by the saved values so the form resets when they change elsewhere. */}
        <TimeoutsForm
          key={`${upstream.connectTimeoutMs}-${upstream.readTimeoutMs}`}
          upstream={upstream}
          onSaved={live.track}
        />
      </Section>
    </>
  );
}
