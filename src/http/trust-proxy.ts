/** Fastify's trustProxy from GATEHOUSE_TRUST_PROXY: a hop count, or addresses/CIDRs; nothing trusted by default. */
export function trustProxySetting(raw: string | undefined): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (!raw) return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    return (_address, hop) => hop < hops;
  }
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}
