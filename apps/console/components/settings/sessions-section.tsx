"use client";

import type { Session } from "@gatehouse/shared";
import { useRevokeSession, useSessions } from "../auth/use-sessions.ts";
import { ConfirmDialog } from "../ui/confirm-dialog.tsx";
import { Section } from "../ui/section.tsx";
import { ErrorState, LoadingState } from "../ui/states.tsx";
import { useDialog } from "../ui/use-dialog.ts";

/** "Firefox on Linux" from a User-Agent, falling back to its start. */
export function describeAgent(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = [
    ["Edge", /Edg\//],
    ["Firefox", /Firefox\//],
    ["Chrome", /Chrome\//],
    ["Safari", /Safari\//],
    ["curl", /^curl\//],
  ].find(([, pattern]) => (pattern as RegExp).test(userAgent))?.[0] as string | undefined;
  const os = [
    ["Windows", /Windows/],
    ["Android", /Android/],
    ["iOS", /iPhone|iPad/],
    ["macOS", /Mac OS X/],
    ["Linux", /Linux/],
  ].find(([, pattern]) => (pattern as RegExp).test(userAgent))?.[0] as string | undefined;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? userAgent.slice(0, 60);
}

const time = (iso: string) => new Date(iso).toLocaleString();

/** The signed-in admin's sessions, each revocable; revoking this one signs out after a confirmation. */
export function SessionsSection() {
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const confirming = useDialog<Session>();

  return (
    <Section
      title="Sessions"
      description="Browsers signed in as you. Revoke one you do not recognise; it is signed out at its next request."
      flush
    >
      {sessions.isPending ? (
        <LoadingState label="Loading sessions…" />
      ) : sessions.isError ? (
        <ErrorState error={sessions.error} onRetry={() => sessions.refetch()} />
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Signed in</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.data.map((session) => {
              const device = describeAgent(session.userAgent);
              return (
                <tr key={session.id}>
                  <td title={session.userAgent ?? undefined}>
                    {device} {session.current ? <span className="badge">This session</span> : null}
                  </td>
                  <td>{time(session.createdAt)}</td>
                  <td>{time(session.expiresAt)}</td>
                  <td className="cell-actions">
                    <button
                      type="button"
                      className="button button-small button-ghost button-danger"
                      aria-label={
                        session.current
                          ? "Revoke this session and sign out"
                          : `Revoke session on ${device}, signed in ${time(session.createdAt)}`
                      }
                      disabled={revoke.isPending && revoke.variables?.id === session.id}
                      onClick={() => {
                        revoke.reset();
                        if (session.current) confirming.open(session);
                        else revoke.mutate({ id: session.id, current: false });
                      }}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {revoke.isError && !confirming.isOpen ? (
        <p className="field-error section-body" role="alert">
          Could not revoke the session: {revoke.error.message}
        </p>
      ) : null}
      <ConfirmDialog
        open={confirming.isOpen}
        title="Revoke this session?"
        confirmLabel="Revoke and sign out"
        pending={revoke.isPending}
        error={revoke.isError ? revoke.error.message : undefined}
        onCancel={confirming.close}
        onConfirm={() => confirming.subject && revoke.mutate({ id: confirming.subject.id, current: true })}
      >
        This is the session you are using: you will be signed out here.
      </ConfirmDialog>
    </Section>
  );
}
