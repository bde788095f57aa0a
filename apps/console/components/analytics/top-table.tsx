"use client";

import { type TopItem, type TopQuery, unnamedConsumer } from "@gatehouse/shared";
import Link from "next/link";
import type { TrafficFilter } from "@/lib/endpoints.ts";
import { Section } from "../ui/section.tsx";
import { ErrorState, LoadingState } from "../ui/states.tsx";
import { NoTraffic } from "./chart-frame.tsx";
import { formatCount, formatMs } from "./format.ts";
import type { TrafficWindow } from "./traffic-window.ts";
import { useTop } from "./use-analytics.ts";

const TITLES: Record<TopQuery["by"], string> = { api: "Top APIs", consumer: "Top consumers" };

function NameCell({ by, item }: { by: TopQuery["by"]; item: TopItem }) {
  // Requests without a consumer of their own, or that matched no route, have nothing to link to.
  const unnamed = by === "consumer" ? unnamedConsumer(item.id) : item.id === "" ? "No route matched" : undefined;
  if (unnamed) return <span className="muted">{unnamed}</span>;
  const href = by === "api" ? `/apis/${item.id}?tab=analytics` : `/consumers/${item.id}`;
  return (
    <Link className="name-link" href={href}>
      {item.name}
    </Link>
  );
}

/** The busiest APIs or consumers in the window, each linked to its own page. */
export function TopTable({ by, filter, shown }: { by: TopQuery["by"]; filter: TrafficFilter; shown: TrafficWindow }) {
  const top = useTop(by, filter, shown);
  return (
    <Section title={TITLES[by]} flush>
      {top.isPending ? (
        <LoadingState label="Loading…" />
      ) : !top.data ? (
        <ErrorState title="Could not load traffic" error={top.error} onRetry={() => void top.refetch()} />
      ) : top.data.items.length === 0 ? (
        <NoTraffic />
      ) : (
        <table className="table table-compact">
          <thead>
            <tr>
              <th scope="col">{by === "api" ? "API" : "Consumer"}</th>
              <th scope="col" className="num">
                Requests
              </th>
              <th scope="col" className="num">
                4xx
              </th>
              <th scope="col" className="num">
                5xx
              </th>
              <th scope="col" className="num">
                p95
              </th>
            </tr>
          </thead>
          <tbody>
            {top.data.items.map((item) => (
              <tr key={item.id}>
                <td>
                  <NameCell by={by} item={item} />
                </td>
                <td className="num">{formatCount(item.requests)}</td>
                <td className="num">{formatCount(item.errors4xx)}</td>
                <td className="num">{formatCount(item.errors5xx)}</td>
                <td className="num">{formatMs(item.p95)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
