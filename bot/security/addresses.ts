/**
 * Which network addresses kefu may connect to when it fetches a file a stranger pointed at:
 * public unicast only. Loopback, private, link-local (cloud metadata lives at 169.254.169.254),
 * carrier-grade NAT, multicast, reserved and documentation ranges are refused, in IPv4, IPv6
 * and IPv4 written inside IPv6 (`::ffff:10.0.0.1`, NAT64 `64:ff9b::a00:1`).
 */
import { isIP } from 'node:net';

const V4_BLOCKED: [number, number][] = [
  [0x00000000, 8], // "this" network
  [0x0a000000, 8], // private
  [0x64400000, 10], // carrier-grade NAT
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local, cloud metadata
  [0xac100000, 12], // private
  [0xc0000000, 24], // IETF protocol assignments
  [0xc0000200, 24], // documentation
  [0xc0a80000, 16], // private
  [0xc6120000, 15], // benchmarking
  [0xc6336400, 24], // documentation
  [0xcb007100, 24], // documentation
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved, broadcast
];

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function v4Public(ip: string): boolean {
  const n = v4ToInt(ip);
  return !V4_BLOCKED.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

/** The 8 groups of an IPv6 address as numbers (handles `::` and a dotted IPv4 tail). */
function v6Groups(ip: string): number[] {
  let text = ip.toLowerCase().split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4ToInt(dotted[1]!);
    text = text.slice(0, -dotted[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

function v6Public(ip: string): boolean {
  const g = v6Groups(ip);
  const embedded = (hi: number, lo: number) => `${hi >>> 8}.${hi & 0xff}.${lo >>> 8}.${lo & 0xff}`;
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) {
    // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible); :: and ::1 fall in 0.0.0.0/8 here.
    return v4Public(embedded(g[6]!, g[7]!));
  }
  if (g[0] === 0x64 && g[1] === 0xff9b) return v4Public(embedded(g[6]!, g[7]!)); // NAT64
  if (g[0] === 0x2002) return v4Public(embedded(g[1]!, g[2]!)); // 6to4
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return false; // unique local
  if ((first & 0xffc0) === 0xfe80 || (first & 0xffc0) === 0xfec0) return false; // link-local, site-local
  if ((first & 0xff00) === 0xff00) return false; // multicast
  if (first === 0x2001 && (g[1] === 0x0db8 || g[1]! < 0x0200)) return false; // documentation, Teredo and IETF
  if (first === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return false; // discard-only
  return (first & 0xe000) === 0x2000; // global unicast lives in 2000::/3
}

/** Whether `ip` (a literal address) is a public unicast address. Not an address: false. */
export function isPublicAddress(ip: string): boolean {
  const version = isIP(ip);
  if (version === 4) return v4Public(ip);
  if (version === 6) return v6Public(ip);
  return false;
}

export function isLoopback(ip: string): boolean {
  return (isIP(ip) === 4 && ip.startsWith('127.')) || ip === '::1' || /^::ffff:127\./i.test(ip);
}
