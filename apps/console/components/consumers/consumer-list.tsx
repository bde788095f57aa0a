"use client";

import type { Consumer } from "@gatehouse/shared";
import Link from "next/link";
import { useState } from "react";
import { PlanName } from "../plans/plan-name.tsx";
import { PageHeader } from "../ui/page-header.tsx";
import { type Column, ResourceList } from "../ui/resource-list.tsx";
import { EmptyState } from "../ui/states.tsx";
import { NewConsumerForm } from "./new-consumer-form.tsx";
import { useConsumerList } from "./use-consumers.ts";

const COLUMNS: Column<Consumer>[] = [
  {
    header: "Name",
    cell: (consumer) => (
      <Link className="name-link" href={`/consumers/${consumer.id}`}>
        {consumer.name}
      </Link>
    ),
  },
  {
    header: "Groups",
    cell: (consumer) =>
      consumer.groups.length ? (
        <div className="route-line">
          {consumer.groups.map((group) => (
            <span key={group} className="badge">
              {group}
            </span>
          ))}
        </div>
      ) : (
        <span className="faint">—</span>
      ),
  },
  {
    header: "Plan",
    cell: (consumer) => (consumer.planId ? <PlanName planId={consumer.planId} /> : <span className="faint">—</span>),
  },
  { header: "Created", className: "muted", cell: (consumer) => new Date(consumer.createdAt).toLocaleString() },
];

const FORM_ID = "new-consumer-section";

export function ConsumerList() {
  const [creating, setCreating] = useState(false);

  return (
    <>
      <PageHeader
        title="Consumers"
        description="The people and services that call your APIs, each with its own API keys."
        actions={
          creating ? null : (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              New consumer
            </button>
          )
        }
      />
      {creating ? (
        <section id={FORM_ID} className="section" aria-labelledby={`${FORM_ID}-title`}>
          <div className="section-header">
            <div>
              <h2 id={`${FORM_ID}-title`}>New consumer</h2>
              <p>You issue its API keys on the next page.</p>
            </div>
          </div>
          <div className="section-body">
            <NewConsumerForm onCancel={() => setCreating(false)} />
          </div>
        </section>
      ) : null}
      {/* Not "…by name": that would be one more field called Name beside the new consumer form's. */}
      <ResourceList
        noun="consumers"
        filterLabel="Search consumers"
        useList={useConsumerList}
        columns={COLUMNS}
        empty={
          <EmptyState
            title="Add your first consumer"
            icon="⚷"
            action={
              creating ? null : (
                <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
                  Add a consumer
                </button>
              )
            }
          >
            A consumer is a person or service that calls your APIs. Give it API keys, groups for the acl policy and a
            plan for its limits.
          </EmptyState>
        }
      />
    </>
  );
}
