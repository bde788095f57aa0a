import { formatCount, formatMs, formatPercent } from "../analytics/format.ts";
import type { ComparedPool } from "./pool-comparison-chart.tsx";

/** The pools side by side over the whole window: what the lines add up to. */
export function PoolTotals({ pools }: { pools: ComparedPool[] }) {
  return (
    <table className="table" aria-label="Pools over the last 15 minutes">
      <thead>
        <tr>
          <th scope="col">Pool</th>
          <th scope="col">Requests</th>
          <th scope="col">5xx rate</th>
          <th scope="col">p95</th>
        </tr>
      </thead>
      <tbody>
        {pools.map(({ upstreamId, label, series }) => (
          <tr key={upstreamId}>
            <th scope="row">{label}</th>
            <td>{formatCount(series?.requests ?? 0)}</td>
            <td>
              {series
                ? formatPercent(series.errorRate === null ? 0 : series.errorRate * series.requests, series.requests)
                : "—"}
            </td>
            <td>{formatMs(series?.p95 ?? null)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
