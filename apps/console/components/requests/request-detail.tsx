"use client";

import type { RequestLogRow } from "@gatehouse/shared";
import Link from "next/link";
import type { ReactNode } from "react";
import { formatMs } from "../analytics/format.ts";
import { Dialog } from "../ui/dialog.tsx";

/** One request of the log, everything the gateway recorded of it. */
export function RequestDetail({ entry, onClose }: { entry: RequestLogRow | null; onClose: () => void }) {
  return (
    <Dialog open={entry !== null} title="Request" onClose={onClose} wide>
      {entry ? <DetailList entry={entry} /> : null}
      <div className="form-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

const none = (text: string) => <span className="faint">{text}</span>;

function DetailList({ entry }: { entry: RequestLogRow }) {
  return (
    <dl className="dl" aria-label="Request detail">
      <Row term="Request">
        <code>{`${entry.method} ${entry.path}`}</code>
      </Row>
      <Row term="Time">{new Date(entry.time).toLocaleString()}</Row>
      <Row term="Status">{entry.status}</Row>
      <Row term="Refusal">{entry.refusal ? <code>{entry.refusal}</code> : none("none: the upstream answered")}</Row>
      <Row term="API">
        {entry.apiId ? (
          <Link className="name-link" href={`/apis/${entry.apiId}`}>
            {entry.apiName}
          </Link>
        ) : (
          none("no route matched")
        )}
      </Row>
      <Row term="Route">{entry.routeLabel ?? none("none")}</Row>
      <Row term="Consumer">
        {entry.consumerId ? (
          <Link className="name-link" href={`/consumers/${entry.consumerId}`}>
            {entry.consumerName}
          </Link>
        ) : (
          none("none")
        )}
      </Row>
      <Row term="Gateway latency">{formatMs(entry.latencyMs)}</Row>
      <Row term="Upstream latency">
        {entry.upstreamMs === null ? none("no upstream answer") : formatMs(entry.upstreamMs)}
      </Row>
      <Row term="Served by">{entry.node ? <code>{entry.node}</code> : "the console's own gateway"}</Row>
      <Row term="Target">{entry.target ? <code>{entry.target}</code> : none("none picked")}</Row>
      <Row term="Request ID">
        <code>{entry.requestId}</code>
      </Row>
      <Row term="Kept">
        {entry.sampleRate === 1 ? "every request like it" : `1 in ${Math.round(1 / entry.sampleRate)} like it`}
      </Row>
    </dl>
  );
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}
