"use client";

import type { TopQuery } from "@gatehouse/shared";
import { useState } from "react";
import type { TrafficFilter } from "@/lib/endpoints.ts";
import { CodesPanel } from "./codes-panel.tsx";
import { RangePicker } from "./range-picker.tsx";
import { TopTable } from "./top-table.tsx";
import { TrafficView } from "./traffic-view.tsx";
import { DEFAULT_WINDOW } from "./traffic-window.ts";

interface TrafficDashboardProps {
  filter: TrafficFilter;
  /** Which top lists to show under the charts. */
  tops: TopQuery["by"][];
}

/** Range picker, tiles, charts, the split by code and top lists: the overview, and an API's Analytics tab. */
export function TrafficDashboard({ filter, tops }: TrafficDashboardProps) {
  const [shown, setShown] = useState(DEFAULT_WINDOW);
  return (
    <>
      <div className="toolbar">
        <RangePicker value={shown} onChange={setShown} live />
      </div>
      <TrafficView filter={filter} shown={shown} />
      <CodesPanel apiId={filter.apiId} shown={shown} />
      <div className={tops.length > 1 ? "top-grid" : undefined}>
        {tops.map((by) => (
          <TopTable key={by} by={by} filter={filter} shown={shown} />
        ))}
      </div>
    </>
  );
}
