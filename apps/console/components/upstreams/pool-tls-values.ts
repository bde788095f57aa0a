import { type Upstream, upstreamTlsSchema } from "@gatehouse/shared";

export type TlsKey = keyof typeof upstreamTlsSchema.shape;
export const TLS_KEYS = Object.keys(upstreamTlsSchema.shape) as TlsKey[];
/** The schema's defaults say which fields are switches (a boolean default); the rest are text. */
const DEFAULTS: Partial<Record<TlsKey, unknown>> = upstreamTlsSchema.parse({});
const isSwitch = (key: TlsKey) => typeof DEFAULTS[key] === "boolean";
export const isWriteOnly = (key: TlsKey) => upstreamTlsSchema.shape[key].meta()?.writeOnly === true;
/** PEM text spans lines; a name does not. */
export const SINGLE_LINE: ReadonlySet<TlsKey> = new Set(["serverName"]);

export type TlsValues = Record<TlsKey, string | boolean>;

/** The form's start: the saved settings, and the write-only key empty as it is never shown. */
export function initialTlsValues(tls: Upstream["tls"]): TlsValues {
  const saved: Partial<Record<TlsKey, unknown>> = tls;
  return Object.fromEntries(
    TLS_KEYS.map((key) => [
      key,
      isSwitch(key) ? saved[key] === true : typeof saved[key] === "string" ? saved[key] : "",
    ]),
  ) as TlsValues;
}

/** Empty text is a field left unset; an empty write-only field keeps the saved secret. */
export function tlsPayload(values: TlsValues) {
  const tls: Record<string, string | boolean> = {};
  for (const key of TLS_KEYS) {
    const value = values[key];
    if (typeof value === "boolean") tls[key] = value;
    else if (value.trim() !== "") tls[key] = value.trim();
  }
  return { tls };
}
