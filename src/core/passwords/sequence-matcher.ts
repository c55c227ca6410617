/**
 * difflib.SequenceMatcher(a=a, b=b).quick_ratio(): an upper bound on ratio() from the multiset
 * of shared characters, 2·M / (len(a) + len(b)). It is the only measure Django's similarity
 * validator uses, and it is linear in the input.
 */
export function quickRatio(a: string, b: string): number {
  const available = new Map<string, number>();
  let lengthB = 0;
  for (const ch of b) {
    available.set(ch, (available.get(ch) ?? 0) + 1);
    lengthB++;
  }
  let matches = 0;
  let lengthA = 0;
  for (const ch of a) {
    lengthA++;
    const left = available.get(ch) ?? 0;
    if (left > 0) matches++;
    available.set(ch, left - 1);
  }
  const total = lengthA + lengthB;
  return total === 0 ? 1 : (2 * matches) / total;
}
