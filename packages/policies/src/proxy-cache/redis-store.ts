import { createHash } from "node:crypto";
import { RedisScript } from "../redis/script.ts";
import type { CachedAnswer, CacheStore } from "./cached-answer.ts";

const GET = `return redis.call("GET", KEYS[1])`;
const SET = `return redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])`;

type Stored = Omit<CachedAnswer, "body"> & { body: string };

/** Answers shared by every gateway and thread using the same Redis; Redis expires them itself. */
export class RedisStore implements CacheStore {
  readonly #get: RedisScript;
  readonly #set: RedisScript;
  readonly #prefix: string;

  constructor(url: string, policyId: string, timeoutMs: number) {
    this.#get = new RedisScript(url, "gatehouseCacheGet", GET, timeoutMs);
    this.#set = new RedisScript(url, "gatehouseCacheSet", SET, timeoutMs);
    this.#prefix = `gatehouse:cache:${policyId}:`;
  }

  /** Keys hold paths and queries of any length: Redis gets a fixed-size digest of them. */
  #key(key: string): string {
    return this.#prefix + createHash("sha256").update(key).digest("base64url");
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    const reply = await this.#get.run([this.#key(key)], []);
    if (typeof reply !== "string") return undefined;
    const stored = JSON.parse(reply) as Stored;
    return { ...stored, body: Buffer.from(stored.body, "base64") };
  }

  async set(key: string, answer: CachedAnswer, keepMs: number): Promise<void> {
    const stored: Stored = { ...answer, body: answer.body.toString("base64") };
    await this.#set.run([this.#key(key)], [JSON.stringify(stored), String(Math.max(1, Math.ceil(keepMs)))]);
  }

  close(): void {
    this.#get.close();
    this.#set.close();
  }
}
