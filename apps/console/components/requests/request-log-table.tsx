import type { RequestLogEntry } from "@gatehouse/shared";
import Link from "next/link";
import { formatMs } from "../analytics/format.ts";

const TIME = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  fractionalSecondDigits: 3,
});

const tone = (status: number) => (status >= 500 ? "badge-danger" : status >= 400 ? "badge-warning" : "badge-success");

interface RequestLogTableProps {
  entries: RequestLogEntry[];
  /** Names by id; an id without one (deleted since, or past the first page) shows as the id. */
  apiNames: Map<string, string>;
  consumerNames: Map<string, string>;
}

export function RequestLogTable({ entries, apiNames, consumerNames }: RequestLogTableProps) {
  return (
    <table className="table table-compact">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Request</th>
          <th scope="col">Status</th>
          <th scope="col" className="num">
            Latency
          </th>
          <th scope="col">API</th>
          <th scope="col">Consumer</th>
          <th scope="col">Request ID</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.requestId}>
            <td className="muted mono nowrap" title={new Date(entry.time).toLocaleString()}>
              {TIME.format(entry.time)}
            </td>
            <td className="mono cell-path">
              <span className="faint">{entry.method}</span> {entry.path}
            </td>
            <td>
              <span className={`badge ${tone(entry.status)}`}>{entry.status}</span>
            </td>
            <td className="num">{formatMs(entry.latencyMs)}</td>
            <td>
              <Link className="name-link" href={`/apis/${entry.apiId}`}>
                {apiNames.get(entry.apiId) ?? entry.apiId}
              </Link>
            </td>
            <td>
              {entry.consumerId ? (
                <Link className="name-link" href={`/consumers/${entry.consumerId}`}>
                  {consumerNames.get(entry.consumerId) ?? <span className="mono">{entry.consumerId}</span>}
                </Link>
              ) : (
                <span className="faint">—</span>
              )}
            </td>
            <td className="mono faint">{entry.requestId}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
