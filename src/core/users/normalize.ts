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

export function isEmail(value: string): boolean {
  return value.length <= 254 && emailShape.test(value);
}

/** Django's UnicodeUsernameValidator: letters, digits and @/./+/-/_ only. */
export function isLoginName(value: string): boolean {
  return /^[\p{L}\p{N}_.@+-]+$/u.test(value);
}

/** Free text fields refuse control characters (NUL and friends) but keep any printable Unicode. */
export function hasControlChars(value: string): boolean {
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value);
}
