/**
 * IPv4 and IPv6 addresses and CIDRs as numbers, in plain TypeScript: the schema uses it too,
 * and it runs in the browser, where node:net does not exist.
 */

/** IPv4 as one unsigned 32-bit number; IPv6 as four, most significant first. */
export type Ip = { v: 4; n: number } | { v: 6; w: readonly [number, number, number, number] };

export interface Cidr {
  v: 4 | 6;
  /** The network, masked: one word for IPv4, four for IPv6. */
  net: readonly number[];
  mask: readonly number[];
}

const DOT = 46;
const COLON = 58;

/** Hand-scanned rather than split and matched: this runs on every request. */
function parseIpv4(text: string, start: number, end: number): number {
  let n = 0;
  let octets = 0;
  let i = start;
  for (;;) {
    const first = i;
    let octet = 0;
    while (i < end && i - first < 4) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      octet = octet * 10 + c;
      i++;
    }
    const digits = i - first;
    // Leading zeros are refused: some parsers read 010 as octal 8, so its meaning is unclear.
    if (digits === 0 || digits > 3 || octet > 255 || (digits > 1 && text.charCodeAt(first) === 48)) return -1;
    n = n * 256 + octet;
    octets++;
    if (i === end) return octets === 4 ? n : -1;
    if (text.charCodeAt(i) !== DOT || octets === 4) return -1;
    i++;
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

function parseIpv6(text: string, end: number): [number, number, number, number] | null {
  const groups: number[] = [];
  /** Where `::` stands, as a count of groups before it; -1 for none. */
  let gap = -1;
  let i = 0;
  if (text.charCodeAt(0) === COLON) {
    if (text.charCodeAt(1) !== COLON) return null;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    const first = i;
    let group = 0;
    for (let h = hexValue(text.charCodeAt(i)); h !== -1 && i - first < 5; h = hexValue(text.charCodeAt(++i))) {
      group = group * 16 + h;
    }
    if (text.charCodeAt(i) === DOT) {
      const v4 = groups.length > 6 ? -1 : parseIpv4(text, first, end);
      if (v4 === -1) return null;
      groups.push(v4 >>> 16, v4 & 0xffff);
      break;
    }
    if (i === first || i - first > 4 || groups.length === 8) return null;
    groups.push(group);
    if (i === end) break;
    if (text.charCodeAt(i) !== COLON || ++i === end) return null;
    if (text.charCodeAt(i) === COLON) {
      if (gap !== -1) return null;
      gap = groups.length;
      i++;
    }
  }
  if (gap === -1 ? groups.length !== 8 : groups.length > 7) return null;
  if (gap !== -1) groups.splice(gap, 0, ...Array<number>(8 - groups.length).fill(0));
  const word = (k: number) => ((groups[k] as number) * 0x10000 + (groups[k + 1] as number)) >>> 0;
  return [word(0), word(2), word(4), word(6)];
}

const isV4Mapped = (w: readonly number[]) => w[0] === 0 && w[1] === 0 && w[2] === 0xffff;

/**
 * An address, or null. `::ffff:1.2.3.4` is 1.2.3.4: a dual-stack socket reports IPv4 clients
 * that way, and a rule written as IPv4 must still match them. A zone (`fe80::1%eth0`) is dropped.
 */
export function parseIp(text: string): Ip | null {
  if (text.includes(":")) {
    const zone = text.indexOf("%");
    const w = parseIpv6(text, zone === -1 ? text.length : zone);
    if (w === null) return null;
    return isV4Mapped(w) ? { v: 4, n: w[3] } : { v: 6, w };
  }
  const n = parseIpv4(text, 0, text.length);
  return n === -1 ? null : { v: 4, n };
}

function maskWord(bits: number): number {
  if (bits <= 0) return 0;
  if (bits >= 32) return 0xffffffff;
  return (0xffffffff << (32 - bits)) >>> 0;
}

/** An address or `address/prefix`, or the reason it is neither (for the schema's field error). */
export function parseCidr(text: string): Cidr | string {
  const slash = text.indexOf("/");
  const address = slash === -1 ? text : text.slice(0, slash);
  if (address.includes("%")) return `${text}: a zone (%) has no place in a rule`;
  const ip = parseIp(address);
  if (ip === null) return `${text} is not an IPv4 or IPv6 address or CIDR`;
  const mapped = ip.v === 4 && address.includes(":");
  const width = ip.v === 4 && !mapped ? 32 : 128;
  let prefix = width;
  if (slash !== -1) {
    const digits = text.slice(slash + 1);
    prefix = /^\d{1,3}$/.test(digits) ? Number(digits) : -1;
    if (prefix < 0 || prefix > width) {
      return `${text}: the prefix length of an ${width === 32 ? "IPv4" : "IPv6"} CIDR is 0 to ${width}`;
    }
  }
  if (mapped) {
    if (prefix < 96) return `${text}: write IPv4-mapped ranges as IPv4 (with a prefix of 96 or more)`;
    prefix -= 96;
  }
  const words = ip.v === 4 ? [ip.n] : [...ip.w];
  const mask = words.map((_, i) => maskWord(prefix - 32 * i));
  const net = words.map((word, i) => (word & (mask[i] as number)) >>> 0);
  // A set host bit is more often a typo (10.1.0.0/8 for /16) than meant: say so instead of guessing.
  if (net.some((word, i) => word !== words[i])) {
    return `${text} has host bits set: the network is ${formatNet(ip.v, net)}/${prefix}`;
  }
  return { v: ip.v, net, mask };
}

function formatNet(v: 4 | 6, net: readonly number[]): string {
  if (v === 4) return [24, 16, 8, 0].map((shift) => ((net[0] as number) >>> shift) & 0xff).join(".");
  const groups = net.flatMap((word) => [(word >>> 16).toString(16), (word & 0xffff).toString(16)]);
  return groups.join(":");
}

/** A fixed set of CIDRs, split by family once so a lookup compares numbers only. */
export class CidrSet {
  readonly #v4: { net: number; mask: number }[] = [];
  readonly #v6: Cidr[] = [];

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const cidr = parseCidr(entry);
      if (typeof cidr === "string") throw new Error(cidr);
      if (cidr.v === 4) this.#v4.push({ net: cidr.net[0] as number, mask: cidr.mask[0] as number });
      else this.#v6.push(cidr);
    }
  }

  get size(): number {
    return this.#v4.length + this.#v6.length;
  }

  has(ip: Ip): boolean {
    if (ip.v === 4) {
      for (const { net, mask } of this.#v4) if ((ip.n & mask) >>> 0 === net) return true;
      return false;
    }
    const { w } = ip;
    for (const { net, mask } of this.#v6) {
      let match = true;
      for (let i = 0; i < 4 && match; i++) match = ((w[i] as number) & (mask[i] as number)) >>> 0 === net[i];
      if (match) return true;
    }
    return false;
  }
}
