import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may be sent (SSRF): http(s) only, no credentials in the URL, and — unless
 * GATEHOUSE_WEBHOOK_ALLOW_PRIVATE=1 — no loopback, private, link-local (cloud metadata), CGNAT,
 * multicast or reserved address. The URL is checked when an endpoint is saved, and every address
 * its host resolves to is checked again at connection time (jobs/webhook-send.ts), so a DNS name
 * pointed at 127.0.0.1 later is refused too.
 */
const blocked = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
// Not `::ffff:0:0/96`: BlockList matches every IPv4 address against that rule (so all of IPv4 would be
// refused); IPv4-mapped addresses are judged by their IPv4 part below instead.
for (const [net, prefix] of [['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** True for an address a webhook must not reach by default (IPv4-mapped IPv6 judged by its IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return blocked.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
  }
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why `raw` cannot be a webhook URL, or undefined when it can. */
export function webhookUrlProblem(raw: string, allowPrivate: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Enter an absolute http:// or https:// URL.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Only http:// and https:// URLs are allowed.';
  if (url.username || url.password) return 'Credentials in the URL are not allowed; the signature authenticates the sender.';
  if (url.hash) return 'A URL fragment is never sent; remove it.';
  if (allowPrivate) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 ? isPrivateAddress(host) : /(^|\.)(localhost|localdomain|internal|local)$/i.test(host) || !host.includes('.')) {
    return 'Loopback, private and link-local addresses are refused (GATEHOUSE_WEBHOOK_ALLOW_PRIVATE=1 allows them).';
  }
  return undefined;
}
