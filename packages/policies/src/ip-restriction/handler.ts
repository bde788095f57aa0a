import type { z } from "zod";
import { type PolicyContext, type PolicyDefinition, reject } from "../types.ts";
import { CidrSet, type Ip, parseIp } from "./ip.ts";
import { ipRestrictionSchema } from "./schema.ts";

type IpRestrictionConfig = z.output<typeof ipRestrictionSchema.config>;

export const ipRestriction: PolicyDefinition<typeof ipRestrictionSchema.config> = {
  ...ipRestrictionSchema,
  create(config: IpRestrictionConfig) {
    const allow = new CidrSet(config.allow);
    const deny = new CidrSet(config.deny);
    const trusted = new CidrSet(config.trustedProxies);
    return {
      handle(ctx) {
        const ip = clientIp(ctx, trusted);
        // An address that cannot be read matches no rule, so it is refused rather than let past a deny list.
        if (ip === null || deny.has(ip) || (allow.size > 0 && !allow.has(ip))) {
          return reject("forbidden", "Your IP address is not allowed");
        }
        return undefined;
      },
    };
  },
};

/**
 * The peer, or, when the peer is a trusted proxy, the right-most X-Forwarded-For entry that is
 * not one: entries to its left were written by the client and prove nothing.
 */
function clientIp(ctx: PolicyContext, trusted: CidrSet): Ip | null {
  const peer = parseIp(ctx.remoteAddress);
  if (peer === null || trusted.size === 0 || !trusted.has(peer)) return peer;
  const header = ctx.headers["x-forwarded-for"];
  if (header === undefined) return peer;
  const hops = (Array.isArray(header) ? header.join(",") : header).split(",");
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const text = (hops[i] as string).trim();
    if (text === "") continue;
    const hop = parseIp(withoutPort(text));
    // A trusted proxy wrote this entry: if it is unreadable the chain is broken, so nobody is believed.
    if (hop === null) return null;
    if (!trusted.has(hop)) return hop;
    client = hop;
  }
  return client;
}

/** Some proxies (Azure, IIS) append `1.2.3.4:5678` or `[2001:db8::1]:443`. */
function withoutPort(text: string): string {
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    return end === -1 ? text : text.slice(1, end);
  }
  const colon = text.indexOf(":");
  return colon !== -1 && colon === text.lastIndexOf(":") ? text.slice(0, colon) : text;
}
