/** Lower-cased key that makes emails unique case-insensitively. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** Django's normalize_email: the domain part is lower-cased, the local part kept. */
export function normalizeEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return trimmed;
  return trimmed.slice(0, at) + '@' + trimmed.slice(at + 1).toLowerCase();
}

export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

// Linear-time: no nested quantifiers.
const emailShape = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;

// Control, format (bidi overrides, zero-width), surrogate, private-use and unassigned code points.
const invisible = /\p{C}/u;

export function isEmail(value: string): boolean {
  return value.length <= 254 && emailShape.test(value) && !invisible.test(value);
}

/** Django's UnicodeUsernameValidator: letters, digits and @/./+/-/_ only. */
export function isLoginName(value: string): boolean {
  return /^[\p{L}\p{N}_.@+-]+$/u.test(value);
}

/** Text that can be stored and compared as written: well-formed UTF-16 (no lone surrogates), no NUL or other C0 controls. */
export function isStorableText(value: string): boolean {
  return !hasLoneSurrogate(value) && !hasControlChars(value);
}

// Linear: each alternative looks one code unit ahead or behind.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the text is not well-formed UTF-16 (String.prototype.isWellFormed, which our ES2022 lib lacks). */
export function hasLoneSurrogate(value: string): boolean {
  return loneSurrogate.test(value);
}

/** Free text fields refuse control characters (NUL and friends) but keep any printable Unicode. */
export function hasControlChars(value: string): boolean {
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value);
}
