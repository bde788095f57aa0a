import { createLocalJWKSet, errors, type FlattenedJWSInput, type JWSHeaderParameters } from "jose";

const FETCH_TIMEOUT_MS = 5_000;

export interface JwksTiming {
  cooldownMs: number;
  maxAgeMs: number;
}

/** No key set has ever been fetched: the gateway's problem, not the token's. */
export class JwksUnavailableError extends Error {}

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/**
 * A JSON Web Key Set fetched over HTTP and kept in policy state, so a reload reuses it.
 *
 * Not jose's createRemoteJWKSet: its cooldown counts from the last successful fetch only, so
 * while the JWKS host fails, every token with an unknown kid fetches again. Here the cooldown
 * counts from the last attempt, whatever its outcome, and time is the request's `now`.
 */
export class RemoteKeySet {
  readonly #url: string;
  /** The URL without credentials or query, for logs. */
  readonly #shown: string;
  readonly #log: (line: string) => void;
  #keys: LocalKeySet | null = null;
  #loadedAt = Number.NEGATIVE_INFINITY;
  #triedAt = Number.NEGATIVE_INFINITY;
  #pending: Promise<boolean> | null = null;

  constructor(url: string, log: (line: string) => void) {
    this.#url = url;
    const parsed = new URL(url);
    this.#shown = parsed.origin + parsed.pathname;
    this.#log = log;
  }

  async getKey(header: JWSHeaderParameters, token: FlattenedJWSInput, now: number, timing: JwksTiming) {
    if (this.#keys === null || now - this.#loadedAt >= timing.maxAgeMs) await this.#refresh(now, timing);
    // A stale set still beats refusing every request while the JWKS host is down.
    const keys = this.#keys;
    if (keys === null) throw new JwksUnavailableError();
    try {
      return await keys(header, token);
    } catch (error) {
      // Only a rotation explains a kid we do not know; anything else refetching cannot fix.
      if (!(error instanceof errors.JWKSNoMatchingKey) || !(await this.#refresh(now, timing))) throw error;
      return (this.#keys ?? keys)(header, token);
    }
  }

  /** True when a new set was loaded; concurrent callers share one fetch. */
  #refresh(now: number, timing: JwksTiming): Promise<boolean> {
    if (this.#pending !== null) return this.#pending;
    if (now - this.#triedAt < timing.cooldownMs) return Promise.resolve(false);
    this.#triedAt = now;
    const pending = this.#fetch().then(
      (keys) => {
        this.#keys = keys;
        this.#loadedAt = now;
        return true;
      },
      (error: unknown) => {
        this.#log(`fetching the JWKS from ${this.#shown} failed: ${error instanceof Error ? error.message : error}`);
        return false;
      },
    );
    this.#pending = pending.finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async #fetch(): Promise<LocalKeySet> {
    const response = await fetch(this.#url, {
      headers: { accept: "application/jwk-set+json, application/json" },
      redirect: "error",
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    return createLocalJWKSet(await response.json());
  }
}
