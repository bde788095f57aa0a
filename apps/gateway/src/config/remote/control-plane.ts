import { NODE_HEADERS, NODE_PATHS, type NodeAck } from "@gatehouse/db";
import { Agent, fetch, type Response } from "undici";

/** The console a node follows, and how the node names itself to it on every call. */
export interface ControlPlaneOptions {
  url: string;
  token: string;
  nodeId: string;
  name: string;
  /** Where clients reach this node's proxy, as the console shows it. */
  address: string;
  version: string;
}

/** The headers a node names itself with on every call to the console (config, acks, traffic). */
export function nodeHeaders({ nodeId, name, version, address }: ControlPlaneOptions): Record<string, string> {
  return {
    [NODE_HEADERS.id]: nodeId,
    [NODE_HEADERS.name]: name,
    [NODE_HEADERS.version]: version,
    [NODE_HEADERS.address]: address,
  };
}

/**
 * A config stream silent this long is taken for dead and opened again. The console sends a
 * comment every 15 s on a quiet stream; without a limit, a connection the console's host lost
 * without closing it would be waited on for undici's default of 5 minutes.
 */
const STREAM_SILENCE_MS = 45_000;

/** The console as a data-plane node calls it: the node token and the node's names on every request. */
export class ControlPlane {
  readonly url: string;
  readonly #headers: Record<string, string>;
  readonly #dispatcher = new Agent({ bodyTimeout: STREAM_SILENCE_MS });

  constructor(options: ControlPlaneOptions) {
    this.url = options.url.replace(/\/+$/, "");
    this.#headers = { authorization: `Bearer ${options.token}`, ...nodeHeaders(options) };
  }

  /** Opens the config stream: changes after `revision`, or a whole snapshot when null. */
  config(revision: number | null, signal: AbortSignal): Promise<Response> {
    const query = revision === null ? "" : `?revision=${revision}`;
    return fetch(`${this.url}${NODE_PATHS.config}${query}`, {
      headers: { ...this.#headers, accept: "text/event-stream" },
      signal,
      dispatcher: this.#dispatcher,
    });
  }

  close(): Promise<void> {
    return this.#dispatcher.close();
  }

  /** Says which revision this node serves. */
  async ack(revision: number, signal: AbortSignal): Promise<number> {
    const body: NodeAck = { revision };
    const response = await fetch(`${this.url}${NODE_PATHS.ack}`, {
      method: "POST",
      headers: { ...this.#headers, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal,
      dispatcher: this.#dispatcher,
    });
    await response.body?.cancel();
    return response.status;
  }
}
