import type { ApiKey } from "@gatehouse/shared";

/** Keys need not have a name; their prefix still tells them apart. */
export const keyLabel = (key: Pick<ApiKey, "name" | "prefix">) => (key.name ? `key ${key.name}` : `key ${key.prefix}…`);
