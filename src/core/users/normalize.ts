// The keys the unique indexes are built on are the store's (store/user-keys.ts).
export { emailKey, usernameKey } from '../../store/user-keys.js';

/** Django's normalize_email: the domain part is lower-cased, the local part kept. */
export function normalizeEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return trimmed;
  return trimmed.slice(0, at) + '@' + trimmed.slice(at + 1).toLowerCase();
}

// RFC 5322 atext: what a dot-atom local part is made of (no quotes, spaces, `<>()[],;:@\\`).
const atext = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
// An LDH label: letters, digits, hyphens; the ends are checked apart, so no quantifier backtracks.
const ldh = /^[A-Za-z0-9-]{1,63}$/;

function isLabel(label: string): boolean {
  return ldh.test(label) && !label.startsWith('-') && !label.endsWith('-');
}

/**
 * The one email rule: a single ASCII addr-spec, `dot-atom@domain`, at most 254 characters and
 * a 64-character local part. No display name, comment, group, list, quoted local part, domain
 * literal or whitespace, so every mail library reads it as the same one mailbox (what is
 * stored is what is mailed). The domain is two or more LDH labels with a non-numeric last one;
 * an internationalised domain is entered in its `xn--` form.
 */
export function isEmail(value: string): boolean {
  if (typeof value !== 'string' || value.length > 254) return false;
  const at = value.indexOf('@');
  if (at < 1 || at !== value.lastIndexOf('@') || at > 64) return false;
  const local = value.slice(0, at).split('.');
  const domain = value.slice(at + 1).split('.');
  if (!local.every((part) => atext.test(part))) return false;
  if (domain.length < 2 || !domain.every(isLabel)) return false;
  return !/^[0-9]+$/.test(domain[domain.length - 1]!);
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
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value); // eslint-disable-line no-control-regex -- finding them is the point
}
