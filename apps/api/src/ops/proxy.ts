/**
 * The client's address behind trusted proxies. A proxy appends the address
 * it received the request from to X-Forwarded-For (or adds a `for=` element
 * to Forwarded, RFC 7239), so the chain read right to left is: the peer that
 * connected to us, then what each proxy says it saw. Only the hops we trust
 * may be believed; anything further left was written by the client itself.
 *
 * - `null` (the default): the socket's peer address, headers ignored.
 * - `{ hops: n }`: the n nearest proxies are trusted (e.g. 1 behind one load balancer).
 * - `{ addresses: [...] }`: proxies at these addresses (exact, or IPv4 CIDR like 10.0.0.0/8) are trusted.
 */
export type TrustedProxies = { hops: number } | { addresses: string[] } | null;

/** Parses the --trust-proxy / TRUST_PROXY value: a hop count, or a comma-separated list of addresses and IPv4 CIDR ranges. */
export function parseTrustProxy(value: string | undefined): TrustedProxies {
  if (value === undefined) return null;
  const v = value.trim();
  if (v === "" || v === "0" || v.toLowerCase() === "false" || v.toLowerCase() === "off") return null;
  if (/^\d+$/.test(v)) return { hops: Number(v) };
  const addresses = v.split(",").map((a) => a.trim()).filter((a) => a !== "");
  for (const a of addresses) {
    if (!isAddressOrRange(a)) {
      throw new Error(`--trust-proxy: "${a}" is not an IP address, an IPv4 CIDR range or a hop count / no es una dirección IP, un rango CIDR IPv4 ni un número de saltos`);
    }
  }
  return { addresses };
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4ToInt(a: string): number | null {
  const m = IPV4.exec(a);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function isAddressOrRange(a: string): boolean {
  const [ip = "", bits, extra] = a.split("/");
  if (extra !== undefined) return false;
  if (bits !== undefined) return ipv4ToInt(ip) !== null && /^\d{1,2}$/.test(bits) && Number(bits) <= 32;
  return ipv4ToInt(ip) !== null || (ip.includes(":") && /^[0-9a-fA-F:.]+$/.test(ip));
}

/** An address as compared: IPv4-mapped IPv6 (::ffff:1.2.3.4) as IPv4, IPv6 in lower case, brackets and ports dropped. */
export function normalizeAddress(raw: string): string {
  let a = raw.trim();
  if (a.startsWith('"') && a.endsWith('"')) a = a.slice(1, -1);
  if (a.startsWith("[")) {
    const end = a.indexOf("]");
    a = end > 0 ? a.slice(1, end) : a.slice(1);
  } else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) {
    a = a.slice(0, a.lastIndexOf(":"));
  }
  a = a.toLowerCase();
  if (a.startsWith("::ffff:") && IPV4.test(a.slice(7))) a = a.slice(7);
  return a;
}

function trusted(address: string, list: readonly string[]): boolean {
  const ip = ipv4ToInt(address);
  for (const entry of list) {
    const [base = "", bits] = entry.split("/");
    if (bits === undefined) {
      if (normalizeAddress(base) === address) return true;
    } else if (ip !== null) {
      const b = ipv4ToInt(base);
      const n = Number(bits);
      const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
      if (b !== null && ((ip & mask) >>> 0) === ((b & mask) >>> 0)) return true;
    }
  }
  return false;
}

/** The `for=` addresses of a Forwarded header, in order (obfuscated and unknown identifiers kept as they are). */
export function parseForwarded(header: string): string[] {
  const out: string[] = [];
  for (const element of header.split(",")) {
    for (const pair of element.split(";")) {
      const eq = pair.indexOf("=");
      if (eq < 0) continue;
      if (pair.slice(0, eq).trim().toLowerCase() === "for") out.push(normalizeAddress(pair.slice(eq + 1)));
    }
  }
  return out;
}

/** The addresses proxies reported, nearest last: Forwarded when present, else X-Forwarded-For. */
function forwardedChain(headers: { get(name: string): string | null | undefined }): string[] {
  const forwarded = headers.get("forwarded");
  if (forwarded) return parseForwarded(forwarded);
  const xff = headers.get("x-forwarded-for");
  if (xff) return xff.split(",").map(normalizeAddress).filter((a) => a !== "");
  return [];
}

/**
 * The address a client is known by (its rate-limit key): the peer itself
 * unless it is a trusted proxy, then what it reports, as far left as the
 * trust goes.
 */
export function clientAddress(peer: string, headers: { get(name: string): string | null | undefined }, trust: TrustedProxies): string {
  const remote = normalizeAddress(peer);
  if (trust === null) return remote;
  const chain = [...forwardedChain(headers), remote];
  if ("hops" in trust) {
    // the peer is hop 1; with n trusted hops the client is n places left of it
    const i = chain.length - 1 - trust.hops;
    return chain[Math.max(0, i)]!;
  }
  let i = chain.length - 1;
  while (i > 0 && trusted(chain[i]!, trust.addresses)) i--;
  return chain[i]!;
}
