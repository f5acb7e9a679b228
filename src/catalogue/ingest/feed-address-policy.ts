import net from 'node:net';

/**
 * Which addresses the server may fetch partners' feeds from. A partner's data (a feed URL, a redirect, a data
 * package's resource) must not make the server read its own machine or network and republish what comes back, so
 * loopback, private (RFC 1918), carrier-grade NAT, link-local (cloud metadata at 169.254.169.254 among them),
 * unique-local, multicast and reserved addresses are refused, checked on the addresses a name resolves to.
 * `FEED_ALLOW_PRIVATE_HOSTS` lists host names or CIDR ranges that may be fetched all the same (an intranet feed).
 */
const BLOCKED = new net.BlockList();
for (const [range, bits] of [
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
  BLOCKED.addSubnet(range, bits, 'ipv4');
}
for (const [range, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fe80::', 10],
  ['fc00::', 7],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
] as const) {
  BLOCKED.addSubnet(range, bits, 'ipv6');
}

/** An IPv4 address inside an IPv6 one (`::ffff:127.0.0.1`, NAT64 `64:ff9b::7f00:1`), else undefined. */
function embeddedIpv4(address: string): string | undefined {
  const dotted = /^(?:::ffff:|64:ff9b::)(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
  if (dotted) return dotted;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  const hi = Number.parseInt(hex[1]!, 16);
  const lo = Number.parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export type FeedAllowList = { hosts: ReadonlySet<string>; ranges: net.BlockList };

export const NO_EXCEPTIONS: FeedAllowList = { hosts: new Set(), ranges: new net.BlockList() };

/** `intranet.camden.gov.uk, 10.20.0.0/16, 192.168.1.5` → the allow list; throws on an entry that is neither. */
export function parseFeedAllowList(text: string | undefined): FeedAllowList {
  const hosts = new Set<string>();
  const ranges = new net.BlockList();
  for (const item of (text ?? '').split(/[\s,;]+/).filter(Boolean)) {
    const [address, bits] = item.split('/');
    const type = net.isIP(address ?? '');
    if (type) {
      const family = type === 4 ? 'ipv4' : 'ipv6';
      const prefix = bits === undefined ? (type === 4 ? 32 : 128) : Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (type === 4 ? 32 : 128))
        throw new Error(`"${item}" is not a CIDR range`);
      ranges.addSubnet(address!, prefix, family);
    } else if (bits === undefined && /^[a-z0-9.-]+$/i.test(item)) {
      hosts.add(item.toLowerCase().replace(/\.$/, ''));
    } else {
      throw new Error(`"${item}" is neither a host name nor a CIDR range`);
    }
  }
  return { hosts, ranges };
}

/** Why an address may not be fetched from (`host` is the name it was reached by), or undefined when it may. */
export function refusedAddress(host: string, address: string, allow: FeedAllowList): string | undefined {
  const name = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (allow.hosts.has(name)) return undefined;
  const v4 = net.isIPv4(address) ? address : embeddedIpv4(address);
  const family = v4 ? 'ipv4' : 'ipv6';
  const checked = v4 ?? address;
  if (!net.isIP(checked)) return `${host} did not resolve to an address`;
  if (!BLOCKED.check(checked, family)) return undefined;
  if (allow.ranges.check(checked, family) || (v4 && allow.ranges.check(address, 'ipv6'))) return undefined;
  return `${host} is a loopback, private, link-local or reserved address (${address}); set FEED_ALLOW_PRIVATE_HOSTS to allow an intranet feed`;
}
