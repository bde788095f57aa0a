/**
 * The consumer ids traffic is counted under besides real ones. The gateway's writer thread
 * imports this file alone (@gatehouse/shared/consumer-ids), without zod.
 */

/** A request no auth policy named a consumer for. */
export const NO_CONSUMER = "";

/** Consumers past the gateway's per-second cap, counted together. */
export const OTHER_CONSUMERS = "~other";

/** How the two read where a consumer's name would be. */
export const UNNAMED_CONSUMERS: Readonly<Record<string, string>> = {
  [NO_CONSUMER]: "No consumer",
  [OTHER_CONSUMERS]: "Other consumers",
};

/** The label of an id that names no real consumer, else undefined. */
export const unnamedConsumer = (id: string): string | undefined =>
  Object.hasOwn(UNNAMED_CONSUMERS, id) ? UNNAMED_CONSUMERS[id] : undefined;
