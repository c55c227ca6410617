import type { MailRequest } from '../context.js';
import { fieldError } from '../errors.js';
import { isStorableText } from '../users/normalize.js';
import { displayName, type User } from '../users/user.js';
import type { StoredPasskey } from '../../store/passkeys-repo.js';

/** A passkey as its owner sees it: no key material, no counter. */
export interface PasskeyView {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  /** 'multiDevice': a synced passkey (backed up by a platform account); 'singleDevice': bound to one authenticator. */
  device_type: string;
  backed_up: boolean;
  transports: string[];
  aaguid: string;
}

export function passkeyView(p: StoredPasskey): PasskeyView {
  return {
    id: p.id,
    name: p.name,
    created_at: new Date(p.createdAt).toISOString(),
    last_used_at: p.lastUsedAt === null ? null : new Date(p.lastUsedAt).toISOString(),
    device_type: p.deviceType,
    backed_up: p.backedUp,
    transports: p.transports,
    aaguid: p.aaguid,
  };
}

export const passkeyNameMax = 64;

/** A passkey's name: trimmed, 1–64 characters, printable; `fallback` when absent. */
export function checkPasskeyName(value: unknown, fallback?: string): string {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string') throw fieldError({ name: ['Must be a string.'] });
  const name = value.normalize('NFC').trim();
  if (!name) throw fieldError({ name: ['This field may not be blank.'] });
  if (name.length > passkeyNameMax) throw fieldError({ name: [`At most ${passkeyNameMax} characters.`] });
  if (!isStorableText(name)) throw fieldError({ name: ['Contains characters that are not allowed.'] });
  return name;
}

/** The notice mailed when a passkey is added or removed (the shared sign-in-method template). */
export function passkeyMail(user: User, change: 'added' | 'removed', name: string): MailRequest {
  return {
    kind: 'sign_in_method_changed',
    to: user.email,
    data: { name: displayName(user), passkey: name, [change]: '1' },
    locale: user.locale,
  };
}
