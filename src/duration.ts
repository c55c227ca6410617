const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "300" → 300, "5m" → 300, "30d" → 2592000; undefined when malformed. */
export function parseDuration(raw: string): number | undefined {
  const m = /^(\d{1,9})([smhd]?)$/.exec(raw.trim());
  if (!m) return undefined;
  return Number(m[1]) * units[m[2] || 's']!;
}
