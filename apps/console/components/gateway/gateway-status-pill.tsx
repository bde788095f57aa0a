"use client";

import { useGatewayStatus } from "./use-gateway-status.ts";

export function GatewayStatusPill() {
  const { data, isError } = useGatewayStatus();

  let dot = "dot";
  let text = "Gateway…";
  let title = "Checking the gateway";
  if (isError && !data) {
    dot = "dot dot-down";
    text = "Gateway status unknown";
    title = "The console could not ask for the gateway status";
  } else if (data?.reachable && data.error) {
    dot = "dot dot-down";
    text = `Gateway on rev ${data.revision ?? "?"} · config refused`;
    title = data.error;
  } else if (data?.reachable) {
    const behind = data.revision !== null && data.revision < data.configRevision;
    dot = behind ? "dot dot-pending" : "dot dot-live";
    text = `Gateway live · rev ${data.revision ?? "?"}`;
    title = behind ? `Catching up to config revision ${data.configRevision}` : "The gateway serves the latest config";
  } else if (data) {
    dot = "dot dot-down";
    text = "Gateway unreachable";
    title = data.error ?? "The gateway did not answer";
  }

  return (
    <span className="pill" title={title} data-testid="gateway-status">
      <span className={dot} aria-hidden="true" />
      {text}
    </span>
  );
}
