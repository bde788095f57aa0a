"use client";

import { useState } from "react";
import { PageHeader } from "../ui/page-header.tsx";
import { Section } from "../ui/section.tsx";
import { NewPoolForm } from "./new-pool-form.tsx";
import { UpstreamList } from "./upstream-list.tsx";

export function UpstreamsView() {
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="Upstreams"
        description="Pools of targets the gateway balances requests across."
        actions={
          creating ? null : (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              New pool
            </button>
          )
        }
      />
      {creating ? (
        <Section title="New pool" description="An API can use it once it exists; pick it under Upstream on New API.">
          <NewPoolForm onCancel={() => setCreating(false)} />
        </Section>
      ) : null}
      <UpstreamList onCreate={() => setCreating(true)} />
    </>
  );
}
