import { expect, test } from "vitest";
import { testContext, testServices } from "../test-context.ts";
import { ipRestriction } from "./handler.ts";
import { CidrSet, parseCidr, parseIp } from "./ip.ts";
import { ipRestrictionSchema } from "./schema.ts";

const handler = (config: Record<string, unknown>) =>
  ipRestriction.create(ipRestrictionSchema.config.parse(config), testServices(), "p1");
const REFUSED = { kind: "reject", code: "forbidden", message: "Your IP address is not allowed" };
const from = (remoteAddress: string, xff?: string | string[]) =>
  testContext({ remoteAddress, headers: xff === undefined ? {} : { "x-forwarded-for": xff } });

test("IPv4 and IPv6 addresses parse strictly; IPv4-mapped IPv6 is IPv4", () => {
  expect(parseIp("10.1.2.3")).toEqual({ v: 4, n: 0x0a010203 });
  expect(parseIp("::ffff:10.1.2.3")).toEqual({ v: 4, n: 0x0a010203 });
  expect(parseIp("::FFFF:0a01:0203")).toEqual({ v: 4, n: 0x0a010203 });
  expect(parseIp("2001:db8::1")).toEqual({ v: 6, w: [0x20010db8, 0, 0, 1] });
  expect(parseIp("::")).toEqual({ v: 6, w: [0, 0, 0, 0] });
  expect(parseIp("1:2:3:4:5:6:7:8")).toEqual({ v: 6, w: [0x10002, 0x30004, 0x50006, 0x70008] });
  expect(parseIp("64:ff9b::192.0.2.33")).toEqual({ v: 6, w: [0x0064ff9b, 0, 0, 0xc0000221] });
  expect(parseIp("fe80::1%eth0")).toEqual({ v: 6, w: [0xfe800000, 0, 0, 1] });
  for (const bad of [
    "",
    "1.2.3",
    "1.2.3.256",
    "01.2.3.4",
    "1.2.3.4.5",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    ":1::",
    "12345::",
    "::g",
    "1.2.3.4::",
    "localhost",
  ]) {
    expect(parseIp(bad), bad).toBeNull();
  }
});

test("CIDRs match by prefix, across both families", () => {
  const set = new CidrSet(["10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "::1", "::ffff:172.16.0.0/108", "0.0.0.0/0"]);
  expect(set.size).toBe(6);
  const only = (entry: string) => new CidrSet([entry]);
  const has = (set: CidrSet, ip: string) => set.has(parseIp(ip) as NonNullable<ReturnType<typeof parseIp>>);
  expect(has(only("10.0.0.0/8"), "10.255.0.1")).toBe(true);
  expect(has(only("10.0.0.0/8"), "11.0.0.1")).toBe(false);
  expect(has(only("10.0.0.0/8"), "::ffff:10.9.9.9")).toBe(true);
  expect(has(only("192.168.1.7"), "192.168.1.8")).toBe(false);
  expect(has(only("0.0.0.0/0"), "255.255.255.255")).toBe(true);
  expect(has(only("0.0.0.0/0"), "2001:db8::1")).toBe(false);
  expect(has(only("2001:db8::/32"), "2001:db8:ffff::1")).toBe(true);
  expect(has(only("2001:db8::/32"), "2001:db9::1")).toBe(false);
  expect(has(only("2001:db8:0:8000::/49"), "2001:db8:0:8001::")).toBe(true);
  expect(has(only("2001:db8:0:8000::/49"), "2001:db8:0:7fff::")).toBe(false);
  expect(has(only("::1"), "::1")).toBe(true);
  expect(has(only("::1"), "::2")).toBe(false);
  expect(has(only("::ffff:172.16.0.0/108"), "172.31.0.1")).toBe(true);
  expect(has(only("::/0"), "1.2.3.4")).toBe(false);
});

test("a bad rule gets a message that says what is wrong with it", () => {
  expect(parseCidr("10.0.0.0/33")).toBe("10.0.0.0/33: the prefix length of an IPv4 CIDR is 0 to 32");
  expect(parseCidr("2001:db8::/129")).toBe("2001:db8::/129: the prefix length of an IPv6 CIDR is 0 to 128");
  expect(parseCidr("10.0.0.0/")).toMatch(/prefix length/);
  expect(parseCidr("10.1.0.0/8")).toBe("10.1.0.0/8 has host bits set: the network is 10.0.0.0/8");
  expect(parseCidr("2001:db8::1/32")).toBe("2001:db8::1/32 has host bits set: the network is 2001:db8:0:0:0:0:0:0/32");
  expect(parseCidr("10.0.0.300")).toBe("10.0.0.300 is not an IPv4 or IPv6 address or CIDR");
  expect(parseCidr("fe80::1%eth0")).toMatch(/zone/);
  expect(parseCidr("::ffff:10.0.0.0/64")).toMatch(/as IPv4/);
});

test("the schema fills defaults, names the bad entry, and wants a rule", () => {
  expect(ipRestrictionSchema.config.parse({ allow: [" 10.0.0.0/8 "] })).toEqual({
    allow: ["10.0.0.0/8"],
    deny: [],
    trustedProxies: [],
  });
  const errors = (config: Record<string, unknown>) =>
    ipRestrictionSchema.config.safeParse(config).error?.issues.map((issue) => [issue.path.join("."), issue.message]);
  expect(errors({ allow: ["10.0.0.1", "10.0.0.0/33"] })).toEqual([
    ["allow.1", "10.0.0.0/33: the prefix length of an IPv4 CIDR is 0 to 32"],
  ]);
  expect(errors({ deny: ["1.1.1.1"], trustedProxies: ["proxy.local"] })).toEqual([
    ["trustedProxies.0", "proxy.local is not an IPv4 or IPv6 address or CIDR"],
  ]);
  expect(errors({})).toEqual([["allow", "List addresses to allow or to deny"]]);
});

test("allow lets in listed addresses only; deny wins over allow", () => {
  const policy = handler({ allow: ["10.0.0.0/8", "2001:db8::/32"], deny: ["10.6.6.6"] });
  expect(policy.handle(from("10.1.2.3"))).toBeUndefined();
  expect(policy.handle(from("::ffff:10.1.2.3"))).toBeUndefined();
  expect(policy.handle(from("2001:db8::42"))).toBeUndefined();
  expect(policy.handle(from("10.6.6.6"))).toEqual(REFUSED);
  expect(policy.handle(from("::ffff:10.6.6.6"))).toEqual(REFUSED);
  expect(policy.handle(from("192.0.2.1"))).toEqual(REFUSED);
  expect(policy.handle(from("2001:db9::1"))).toEqual(REFUSED);
  expect(policy.handle(from(""))).toEqual(REFUSED);
  const denyOnly = handler({ deny: ["2001:db8::/32"] });
  expect(denyOnly.handle(from("2001:db8::1"))).toEqual(REFUSED);
  expect(denyOnly.handle(from("192.0.2.1"))).toBeUndefined();
});

test("X-Forwarded-For from a peer that is not a trusted proxy is ignored", () => {
  expect(handler({ allow: ["10.0.0.0/8"] }).handle(from("192.0.2.1", "10.0.0.1"))).toEqual(REFUSED);
  const behindProxy = handler({ allow: ["10.0.0.0/8"], trustedProxies: ["172.16.0.0/12"] });
  expect(behindProxy.handle(from("192.0.2.1", "10.0.0.1"))).toEqual(REFUSED);
  expect(handler({ deny: ["192.0.2.1"] }).handle(from("192.0.2.1", "10.0.0.1"))).toEqual(REFUSED);
});

test("behind trusted proxies the client is the right-most forwarded address that is not one", () => {
  const policy = handler({ deny: ["198.51.100.7", "2001:db8::bad"], trustedProxies: ["172.16.0.0/12", "fd00::/8"] });
  expect(policy.handle(from("172.16.0.2", "198.51.100.7"))).toEqual(REFUSED);
  // The client prepends an innocent address; the proxy appends the real one.
  expect(policy.handle(from("172.16.0.2", "203.0.113.1, 198.51.100.7, 172.16.0.9"))).toEqual(REFUSED);
  expect(policy.handle(from("::ffff:172.16.0.2", ["198.51.100.7", "172.17.0.1"]))).toEqual(REFUSED);
  expect(policy.handle(from("fd00::1", "[2001:db8::bad]:443"))).toEqual(REFUSED);
  expect(policy.handle(from("172.16.0.2", "198.51.100.7:5678"))).toEqual(REFUSED);
  // The spoofed entry left of the real client is never read.
  expect(policy.handle(from("172.16.0.2", "198.51.100.7, 203.0.113.1"))).toBeUndefined();
  expect(policy.handle(from("172.16.0.2"))).toBeUndefined();
  // Every hop trusted: the farthest one is the client.
  expect(
    handler({ deny: ["172.16.0.1"], trustedProxies: ["172.16.0.0/12"] }).handle(from("172.16.0.2", "172.16.0.1")),
  ).toEqual(REFUSED);
  // A trusted proxy wrote something unreadable: nobody can be believed.
  expect(policy.handle(from("172.16.0.2", "unknown"))).toEqual(REFUSED);
});
