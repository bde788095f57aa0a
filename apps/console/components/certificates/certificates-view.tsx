"use client";

import type { Certificate } from "@gatehouse/shared";
import { useState } from "react";
import { useConfirmDelete } from "../ui/confirm-delete.tsx";
import { ConfirmDialog } from "../ui/confirm-dialog.tsx";
import { PageHeader } from "../ui/page-header.tsx";
import { Section } from "../ui/section.tsx";
import { EmptyState, ErrorState, LoadingState } from "../ui/states.tsx";
import { CertificateForm } from "./certificate-form.tsx";
import { daysLeft, EXPIRY_WARNING_DAYS, useCertificateMutations, useCertificates } from "./use-certificates.ts";

function Expiry({ certificate }: { certificate: Certificate }) {
  const days = daysLeft(certificate);
  const date = certificate.notAfter.slice(0, 10);
  if (days < 0) return <span className="badge badge-danger">expired {date}</span>;
  const text = `${date} (${days} day${days === 1 ? "" : "s"})`;
  return days < EXPIRY_WARNING_DAYS ? <span className="badge badge-warning">{text}</span> : <span>{text}</span>;
}

export function CertificatesView() {
  const certificates = useCertificates();
  const { create, remove } = useCertificateMutations();
  const [adding, setAdding] = useState(false);
  const removal = useConfirmDelete({ remove, variables: (item: Certificate) => item.id });

  return (
    <>
      <PageHeader
        title="Certificates"
        description="TLS certificates the gateway serves on its HTTPS port, picked by the name the client asks for (SNI)."
        actions={
          adding ? null : (
            <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
              Upload certificate
            </button>
          )
        }
      />
      {adding ? (
        <Section title="Upload certificate">
          <CertificateForm
            pending={create.isPending}
            onCancel={() => setAdding(false)}
            onSubmit={(input, fail) => create.mutate(input, { onSuccess: () => setAdding(false), onError: fail })}
          />
        </Section>
      ) : null}
      <Section title="All certificates" flush>
        {certificates.isPending ? <LoadingState label="Loading certificates…" /> : null}
        {certificates.isError ? (
          <ErrorState error={certificates.error} onRetry={() => void certificates.refetch()} />
        ) : null}
        {certificates.isSuccess && certificates.data.length === 0 ? (
          <EmptyState title="No certificates yet" icon="🔒">
            Until you upload one, the HTTPS port serves a self-signed certificate for localhost.
          </EmptyState>
        ) : null}
        {certificates.isSuccess && certificates.data.length > 0 ? (
          <table className="table">
            <thead>
              <tr>
                <th>Names</th>
                <th>Expires</th>
                <th>Issuer</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {certificates.data.map((certificate) => (
                <tr key={certificate.id}>
                  <td>
                    <div style={{ fontWeight: 500 }}>{certificate.snis.join(", ")}</div>
                    <div className="faint">{certificate.subject}</div>
                  </td>
                  <td>
                    <Expiry certificate={certificate} />
                  </td>
                  <td>{certificate.issuer}</td>
                  <td className="cell-actions">
                    <button
                      type="button"
                      className="button button-small button-ghost button-danger"
                      aria-label={`Delete certificate ${certificate.snis.join(", ")}`}
                      onClick={() => removal.ask(certificate)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Section>
      <ConfirmDialog
        title={`Delete the certificate for ${removal.subject?.snis.join(", ") ?? ""}?`}
        confirmLabel="Delete certificate"
        {...removal.dialogProps}
      >
        Clients asking for these names get the default certificate from their next connection.
      </ConfirmDialog>
    </>
  );
}
