import type { SessionView } from '../core/sessions.js';
import type { User } from '../core/users/user.js';

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export type PublicUserView = Readonly<ReturnType<typeof buildPublicUser>>;

// A cached User object is served for many requests: its view (two date formats, ~2 µs) is built once.
const views = new WeakMap<User, { publicUrl: string; view: PublicUserView }>();

/** The native API's view of a user: never the hash, never lock counters. */
export function publicUser(user: User, publicUrl: string): PublicUserView {
  const memo = views.get(user);
  if (memo && memo.publicUrl === publicUrl) return memo.view;
  const view = Object.freeze(buildPublicUser(user, publicUrl));
  views.set(user, { publicUrl, view });
  return view;
}

/** What every API shows of an account (admin views add their own fields). */
export function accountView(user: User) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    first_name: user.first_name,
    last_name: user.last_name,
    phone_number: user.phone_number,
    date_of_birth: user.date_of_birth,
    gender: user.gender,
    bio: user.bio,
    is_active: user.is_active,
    is_staff: user.is_staff,
    is_superuser: user.is_superuser,
    email_verified: user.email_verified,
    pending_email: user.pending_email,
    date_joined: iso(user.date_joined)!,
    last_login: iso(user.last_login),
    locale: user.locale,
  };
}

function buildPublicUser(user: User, publicUrl: string) {
  return { ...accountView(user), avatar_url: user.avatar_etag ? `${publicUrl}/v1/users/${user.id}/avatar` : null };
}

export const sessionView = (s: SessionView) => ({ ...s, created_at: iso(s.created_at)!, last_used_at: iso(s.last_used_at)!, expires_at: iso(s.expires_at)! });
