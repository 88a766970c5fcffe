import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook may never reach unless allowed by WEBHOOK_ALLOWED_CIDRS: this host,
 * private networks, link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254 included),
 * carrier-grade NAT, multicast and reserved ranges.
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');
}

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries. */
function unmapped(address: string): ResolvedAddress {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return { address: mapped[1], family: 4 };
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}

/** Why the address may not be reached, or null when it may. */
export function forbiddenReason(address: string, allowed: BlockList): string | null {
  const plain = unmapped(address);
  const type = plain.family === 6 ? 'ipv6' : 'ipv4';
  if (allowed.check(plain.address, type)) return null;
  if (!FORBIDDEN.check(plain.address, type)) return null;
  return `${address} is a loopback, private, link-local or reserved address`;
}
