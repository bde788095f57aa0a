"use client";

import { useSyncExternalStore } from "react";

/** Stands for a node token in the instructions; a real one is shown only once, when it is created. */
export const TOKEN_PLACEHOLDER = "<token>";

/** The command that starts a gateway on another host as a data-plane node of the console at `origin`. */
export const nodeCommand = (origin: string, token: string) =>
  `GATEHOUSE_CONTROL_PLANE_URL=${origin} GATEHOUSE_NODE_TOKEN=${token} npm run gateway`;

const noSubscription = () => () => {};

/** The address this page was opened at: nodes reach the console where its admins do. */
export function useConsoleOrigin(): string {
  return useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => "<this console's address>",
  );
}

/** A console opened on a loopback address shows one no other host can reach. */
export const isLoopback = (origin: string) => /^https?:\/\/(localhost|127\.[\d.]+|\[::1\])(:\d+)?$/.test(origin);
