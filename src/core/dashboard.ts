import { recentAuditEventsOf } from '../store/audit-repo.js';
import type { Core } from './core.js';
import { listSessions } from './sessions.js';
import { displayName, type User } from './users/user.js';

export interface Dashboard {
  greeting: string;
  name: string;
  account_age_days: number;
  date_joined: number;
  last_login: number | null;
  active_sessions: number;
  recent_security_events: { kind: string; at: number; ip: string; user_agent: string }[];
}

/** What a signed-in person sees first: who they are, how long they have been here, what happened lately. */
export async function dashboard(core: Core, user: User): Promise<Dashboard> {
  const now = core.clock.now();
  const [sessions, events] = await Promise.all([
    listSessions(core, user.id),
    recentAuditEventsOf(core.db, user.id, 10),
  ]);
  const name = displayName(user);
  return {
    greeting: `Welcome back, ${name}!`,
    name,
    account_age_days: Math.max(0, Math.floor((now - user.date_joined) / 86_400_000)),
    date_joined: user.date_joined,
    last_login: user.last_login,
    active_sessions: sessions.length,
    recent_security_events: events,
  };
}
