// The Python `str` behaviours Django's validators rely on, so the same input earns the same messages.

/** `len(s)`: code points. */
export function codePointLength(s: string): number {
  let length = 0;
  for (const _ of s) length++;
  return length;
}

// Decimal digits plus Unicode 14's Numeric_Type=Digit characters (superscripts, circled digits, …).
const PYTHON_DIGITS =
  /^[\p{Nd}\u00B2\u00B3\u00B9\u1369-\u1371\u19DA\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247C\u2488-\u2490\u24EA\u24F5-\u24FD\u24FF\u2776-\u277E\u2780-\u2788\u278A-\u2792\u{10A40}-\u{10A43}\u{10E60}-\u{10E68}\u{11052}-\u{1105A}\u{1F100}-\u{1F10A}]+$/u;

/** `s.isdigit()`. */
export function isDigits(s: string): boolean {
  return PYTHON_DIGITS.test(s);
}

const PYTHON_WHITESPACE = new Set(
  '\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000',
);

/** `s.strip()`, by scanning rather than a regex so it stays linear. */
export function strip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && PYTHON_WHITESPACE.has(s[start])) start++;
  while (end > start && PYTHON_WHITESPACE.has(s[end - 1])) end--;
  return s.slice(start, end);
}

/** `re.split(r'\W+', s)`: Python's \w is exactly letters, numbers and the underscore. */
export function splitOnNonWord(s: string): string[] {
  return s.split(/[^\p{L}\p{N}_]+/u);
}
