"use client";

import type { OpenApiAttachResult } from "@gatehouse/shared";
import { type ChangeEvent, useState } from "react";
import { ApiError } from "@/lib/api-client.ts";
import { Banner } from "../ui/banner.tsx";
import { Section } from "../ui/section.tsx";
import { TextareaField } from "../ui/textarea-field.tsx";
import { useAttachOpenApi } from "./use-apis.ts";

/** Attaches request-validation policies to this API's routes from an OpenAPI 3 document, after a preview. */
export function OpenApiAttachSection({ apiId }: { apiId: string }) {
  const [document, setDocument] = useState("");
  const [result, setResult] = useState<{ answer: OpenApiAttachResult; dryRun: boolean } | null>(null);
  const attach = useAttachOpenApi(apiId);
  const error = attach.error instanceof ApiError ? attach.error : null;

  const send = (dryRun: boolean) =>
    attach.mutate({ document, dryRun }, { onSuccess: ({ data }) => setResult({ answer: data, dryRun }) });
  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) setDocument(await file.text());
    setResult(null);
  };

  return (
    <Section
      title="Validate requests from OpenAPI"
      description="Each route serving an operation of the document gets a request-validation policy from its parameters and JSON body. Routes are matched, never created."
    >
      <div className="stack">
        <label className="row">
          <span>OpenAPI 3.0 or 3.1 file (YAML or JSON)</span>
          <input type="file" accept=".yaml,.yml,.json,application/json,application/yaml" onChange={pick} />
        </label>
        <TextareaField
          id="openapi-document"
          label="Or paste the document"
          rows={8}
          value={document}
          onChange={(event) => {
            setDocument(event.target.value);
            setResult(null);
          }}
        />
        {attach.error ? (
          <Banner title="The document was not attached.">
            {attach.error.message}
            {error && error.fields.length > 0 ? (
              <ul>
                {error.fields.map((f) => (
                  <li key={f.path}>
                    <code>{f.path}</code>: {f.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </Banner>
        ) : null}
        <div className="row">
          <button type="button" className="button" disabled={!document || attach.isPending} onClick={() => send(true)}>
            Preview
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={!result?.dryRun || attach.isPending}
            onClick={() => send(false)}
          >
            Attach
          </button>
          {result && !result.dryRun ? (
            <span className="muted" role="status">
              {result.answer.revision === null ? "Nothing changed" : `Attached at revision ${result.answer.revision}`}
            </span>
          ) : null}
        </div>
        {result ? <OperationsTable result={result.answer} /> : null}
      </div>
    </Section>
  );
}

function OperationsTable({ result }: { result: OpenApiAttachResult }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Operation</th>
          <th>Outcome</th>
          <th>Note</th>
        </tr>
      </thead>
      <tbody>
        {result.operations.map((op) => (
          <tr key={`${op.method} ${op.path}`}>
            <td>
              <code>
                {op.method} {op.path}
              </code>
            </td>
            <td>{op.outcome}</td>
            <td className="muted">{op.message ?? op.policyId ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
