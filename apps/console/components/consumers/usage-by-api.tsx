import type { UsageRow } from "@gatehouse/shared";
import Link from "next/link";
import { formatBytes } from "../analytics/format.ts";

/** Exact counts (this is what a bill is made of), one row per API the consumer called. */
export function UsageByApi({ rows }: { rows: UsageRow[] }) {
  return (
    <table className="table table-compact">
      <thead>
        <tr>
          <th scope="col">API</th>
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
            Bytes in
          </th>
          <th scope="col" className="num">
            Bytes out
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.apiId}>
            <td>
              <Link className="name-link" href={`/apis/${row.apiId}?tab=analytics`}>
                {row.apiName}
              </Link>
            </td>
            <td className="num">{row.requests.toLocaleString()}</td>
            <td className="num">{row.errors4xx.toLocaleString()}</td>
            <td className="num">{row.errors5xx.toLocaleString()}</td>
            <td className="num">{formatBytes(row.bytesIn)}</td>
            <td className="num">{formatBytes(row.bytesOut)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
