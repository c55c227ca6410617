/** difflib.SequenceMatcher(a=a, b=b).quick_ratio(), the only measure Django's similarity check uses: linear. */
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
