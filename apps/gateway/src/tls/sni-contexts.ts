import { createSecureContext, type SecureContext } from "node:tls";
import { type CertificateRow, unseal } from "@gatehouse/db";

export interface PemPair {
  cert: string;
  key: string;
}

interface Entry {
  version: string;
  context: SecureContext;
}

/**
 * The certificates the TLS port serves, picked by SNI: an exact name, then a wildcard one label
 * deep, then the default. A revision's rows are turned into SecureContexts once, and a context
 * is kept while its row is unchanged; the lookup maps are swapped whole, so a handshake sees
 * either the previous set or the new one, never half of each.
 */
export class SniContexts {
  /** Served to clients that send no name (an IP address in the URL), which never reach the SNI callback. */
  readonly fallbackPem: PemPair;
  readonly #secretsKey: Buffer;
  readonly #fallback: SecureContext;
  readonly #log: (line: string) => void;
  #byId = new Map<string, Entry>();
  #exact = new Map<string, SecureContext>();
  #wildcard = new Map<string, SecureContext>();

  constructor(options: { secretsKey: Buffer; fallback: PemPair; log: (line: string) => void }) {
    this.fallbackPem = options.fallback;
    this.#secretsKey = options.secretsKey;
    this.#fallback = createSecureContext(options.fallback);
    this.#log = options.log;
  }

  /** Serves these rows from the next handshake on; a row that cannot be opened keeps its previous context. */
  update(rows: readonly CertificateRow[]): void {
    const byId = new Map<string, Entry>();
    const exact = new Map<string, SecureContext>();
    const wildcard = new Map<string, SecureContext>();
    for (const row of rows) {
      const entry = this.#entry(row);
      if (entry === null) continue;
      byId.set(row.id, entry);
      for (const sni of row.snis) {
        if (sni.startsWith("*.")) wildcard.set(sni.slice(2), entry.context);
        else exact.set(sni, entry.context);
      }
    }
    this.#byId = byId;
    this.#exact = exact;
    this.#wildcard = wildcard;
  }

  pick(servername: string | undefined): SecureContext {
    if (!servername) return this.#fallback;
    const name = servername.toLowerCase();
    const exact = this.#exact.get(name);
    if (exact !== undefined) return exact;
    const dot = name.indexOf(".");
    return (dot > 0 ? this.#wildcard.get(name.slice(dot + 1)) : undefined) ?? this.#fallback;
  }

  /** The `SNICallback` of a TLS server. */
  readonly callback = (servername: string, done: (error: Error | null, context?: SecureContext) => void): void => {
    done(null, this.pick(servername));
  };

  #entry(row: CertificateRow): Entry | null {
    const version = `${row.updatedAt}|${row.sealedKey}`;
    const kept = this.#byId.get(row.id);
    if (kept?.version === version) return kept;
    try {
      const context = createSecureContext({ cert: row.cert, key: unseal(this.#secretsKey, row.sealedKey) });
      return { version, context };
    } catch (error) {
      // Never the key itself: only which certificate and why (a secrets key that is not the console's).
      this.#log(`tls: cannot load certificate ${row.id} (${(error as Error).message}); keeping what it served before`);
      return kept ?? null;
    }
  }
}
