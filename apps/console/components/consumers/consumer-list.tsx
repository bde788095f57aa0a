"use client";

import Link from "next/link";
import { useState } from "react";
import { useDebounced } from "@/lib/use-debounced.ts";
import { PlanName } from "../plans/plan-name.tsx";
import { ListFilter } from "../ui/list-filter.tsx";
import { PageHeader } from "../ui/page-header.tsx";
import { Pagination } from "../ui/pagination.tsx";
import { EmptyState, ErrorState, LoadingState } from "../ui/states.tsx";
import { NewConsumerForm } from "./new-consumer-form.tsx";
import { useConsumerList } from "./use-consumers.ts";

const LIMIT = 25;
const FORM_ID = "new-consumer-section";

export function ConsumerList() {
  const [creating, setCreating] = useState(false);
  const [filter, setFilter] = useState("");
  const [offset, setOffset] = useState(0);
  const name = useDebounced(filter.trim());
  const list = useConsumerList({ limit: LIMIT, offset, name: name || undefined });

  const filtering = name !== "";
  const page = list.data;

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
      <ListFilter
        id="consumer-filter"
        label="Search consumers"
        value={filter}
        onChange={(value) => {
          setFilter(value);
          setOffset(0);
        }}
        updating={list.isFetching && !list.isPending}
      />
      <div className="section">
        {list.isPending ? (
          <LoadingState label="Loading consumers…" />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : page && page.data.length === 0 ? (
          filtering ? (
            <EmptyState title="No matching consumers" icon="⌕">
              No consumer name contains “{name}”.
            </EmptyState>
          ) : (
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
          )
        ) : page ? (
          <>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Groups</th>
                  <th scope="col">Plan</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {page.data.map((consumer) => (
                  <tr key={consumer.id}>
                    <td>
                      <Link className="name-link" href={`/consumers/${consumer.id}`}>
                        {consumer.name}
                      </Link>
                    </td>
                    <td>
                      {consumer.groups.length ? (
                        <div className="route-line">
                          {consumer.groups.map((group) => (
                            <span key={group} className="badge">
                              {group}
                            </span>
                          ))}
                        </div>
                      ) : (
                        <span className="faint">—</span>
                      )}
                    </td>
                    <td>
                      {consumer.planId ? <PlanName planId={consumer.planId} /> : <span className="faint">—</span>}
                    </td>
                    <td className="muted">{new Date(consumer.createdAt).toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pagination total={page.total} limit={LIMIT} offset={offset} noun="consumers" onOffset={setOffset} />
          </>
        ) : null}
      </div>
    </>
  );
}
