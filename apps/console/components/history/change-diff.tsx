"use client";

import type { ConfigChange } from "@gatehouse/shared";
import { useMemo } from "react";
import { stringify } from "yaml";
import { diffStat, lineDiff } from "./line-diff.ts";
import { KIND_LABELS } from "./object-href.ts";
import { ObjectName } from "./object-links.tsx";

const toYaml = (value: unknown) => (value === null || value === undefined ? "" : stringify(value));

const SIGN = { same: " ", add: "+", remove: "−" } as const;

/** One object a revision changed: its before → after as a line diff of the YAML a file would hold. */
export function ChangeDiff({ change }: { change: ConfigChange }) {
  const before = useMemo(() => toYaml(change.before), [change.before]);
  const after = useMemo(() => toYaml(change.after), [change.after]);
  const rows = useMemo(() => lineDiff(before, after), [before, after]);
  const stat = diffStat(rows);
  const label = `${change.action} ${KIND_LABELS[change.kind]} ${change.name}`;

  return (
    <section className="section" aria-label={label}>
      <div className="section-header">
        <div>
          <h2>
            {change.id ? <ObjectName object={{ ...change, id: change.id }} /> : change.name}{" "}
            <span className="muted">{KIND_LABELS[change.kind]}</span>
          </h2>
          {change.fields.length > 0 ? (
            <p>
              Changed: <code>{change.fields.join(", ")}</code>
            </p>
          ) : null}
        </div>
        <div className="row">
          <span className="badge">{change.action}</span>
          <span className="faint mono">
            +{stat.added} −{stat.removed}
          </span>
        </div>
      </div>
      <table className="diff" aria-label={`Diff of ${change.name}`}>
        <tbody>
          {rows.map((row, index) =>
            row.kind === "skip" ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows never move; a diff is drawn once
              <tr key={index}>
                <td className="diff-fold" colSpan={4}>
                  ⋯ {row.count} unchanged {row.count === 1 ? "line" : "lines"}
                </td>
              </tr>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows never move; a diff is drawn once
              <tr key={index} className={`diff-${row.kind}`}>
                <td className="diff-number">{row.before ?? ""}</td>
                <td className="diff-number">{row.after ?? ""}</td>
                <td className="diff-sign" aria-hidden="true">
                  {SIGN[row.kind]}
                </td>
                <td className="diff-text">
                  {row.kind === "same" ? null : (
                    <span className="visually-hidden">{row.kind === "add" ? "added: " : "removed: "}</span>
                  )}
                  {row.text}
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
      <details className="diff-sides">
        <summary>Before and after as YAML</summary>
        <div className="grid-2">
          <YamlBlock title="Before" text={before} absent="None: this revision created it." />
          <YamlBlock title="After" text={after} absent="None: this revision deleted it." />
        </div>
      </details>
    </section>
  );
}

function YamlBlock({ title, text, absent }: { title: string; text: string; absent: string }) {
  return (
    <div>
      <h3>{title}</h3>
      {text ? <pre className="yaml-block">{text}</pre> : <p className="faint">{absent}</p>}
    </div>
  );
}
