import type { RequestLogRow } from "@gatehouse/shared";
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
  entries: RequestLogRow[];
  onOpen: (entry: RequestLogRow) => void;
}

/** The log's rows; each opens its detail. Names come with the rows, so a row never shows a bare id. */
export function RequestLogTable({ entries, onOpen }: RequestLogTableProps) {
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
          <th scope="col">
            <span className="visually-hidden">Detail</span>
          </th>
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
              {entry.refusal ? <span className="mono faint"> {entry.refusal}</span> : null}
            </td>
            <td className="num">{formatMs(entry.latencyMs)}</td>
            <td>
              {entry.apiId ? (
                <Link className="name-link" href={`/apis/${entry.apiId}`}>
                  {entry.apiName}
                </Link>
              ) : (
                <span className="faint">no route</span>
              )}
            </td>
            <td>
              {entry.consumerId ? (
                <Link className="name-link" href={`/consumers/${entry.consumerId}`}>
                  {entry.consumerName}
                </Link>
              ) : (
                <span className="faint">—</span>
              )}
            </td>
            <td>
              <button
                type="button"
                className="button button-small"
                onClick={() => onOpen(entry)}
                aria-label={`Details of ${entry.method} ${entry.path} (${entry.requestId})`}
              >
                Details
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
