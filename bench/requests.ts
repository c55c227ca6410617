/** The request sequences autocannon sends for each scenario, per connection. */
import type { Request } from 'autocannon';
import type { Session } from './client.js';
import { benchPassword, loginName } from './database.js';

const json = { 'content-type': 'application/json' };

export function meWithBearer(sessions: Session[]) {
  return (connection: number): Request[] => [
    { method: 'GET', path: '/v1/me', headers: { authorization: `Bearer ${sessions[connection % sessions.length]!.access}` } },
  ];
}

export function meWithApiKey(keys: string[]) {
  return (connection: number): Request[] => [{ method: 'GET', path: '/v1/me', headers: { authorization: `Token ${keys[connection % keys.length]}` } }];
}

export function bareMe() {
  return (): Request[] => [{ method: 'GET', path: '/v1/me' }];
}

/** Logins cycling over `users` (shared counter, so consecutive logins name different accounts). */
export function loginCycle(users: number[]) {
  let n = 0;
  return (): Request[] => [
    {
      method: 'POST',
      path: '/v1/auth/login',
      headers: json,
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ login: loginName(users[n++ % users.length]!), password: benchPassword }) }),
    },
  ];
}

/**
 * Each connection rotates its own session's refresh token, always presenting the one it was just
 * given. The chain's end is kept across loads (warm-up, then the measured run): starting a load over
 * from the first token would present a token the chain has moved past, which is reuse.
 */
export function refreshChain(sessions: Session[]) {
  const ends = new Map<number, { token: string }>();
  return (connection: number): Request[] => {
    const state = ends.get(connection) ?? { token: sessions[connection % sessions.length]!.refresh };
    ends.set(connection, state);
    return [
      {
        method: 'POST',
        path: '/v1/auth/refresh',
        headers: json,
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ refresh_token: state.token }) }),
        onResponse: (status, body) => {
          if (status === 200) state.token = (JSON.parse(body) as { refresh_token: string }).refresh_token;
        },
      },
    ];
  };
}

/** New accounts with unique names; the password passes the default policy. */
export function registration(runId: string) {
  let n = 0;
  return (): Request[] => [
    {
      method: 'POST',
      path: '/v1/auth/register',
      headers: json,
      setupRequest: (req) => {
        const name = `reg_${runId}_${n++}`;
        return { ...req, body: JSON.stringify({ username: name, email: `${name}@bench.example`, password: 'Quiet-Harbor-Lantern-42' }) };
      },
    },
  ];
}
