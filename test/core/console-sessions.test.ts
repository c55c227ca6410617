import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleIdleSeconds, consoleMaxSeconds, resolveConsoleSession, signOutConsole } from '../../src/core/admin/console-sessions.js';
import { randomToken, tokenDigest } from '../../src/core/secrets.js';
import { findConsoleSession, openConsoleSession } from '../../src/store/console-sessions-repo.js';
import { updateUser } from '../../src/store/users-repo.js';
import { backends } from '../support/backends.js';
import { testCore, type TestCore } from '../support/core.js';
import { account, meta } from './support.js';

/** Console sessions as use cases (the sign-in's password check is login's, tested over HTTP); both backends. */
describe.each(backends)('console sessions (core) on %s', (backend) => {
  let t: TestCore;
  beforeAll(async () => {
    t = await testCore(backend);
  });
  afterAll(() => t.close());

  async function consoleSession(userId: number) {
    const token = randomToken(32);
    const now = t.clock.now();
    await openConsoleSession(t.core.db, { id_hash: tokenDigest(token), user_id: userId, csrf_token: 'csrf', created_at: now, last_used_at: now, expires_at: now + consoleMaxSeconds * 1000, ip: meta.ip, user_agent: meta.userAgent });
    return token;
  }

  it('resolves a live session, keeps it alive with use, and ends it when idle', async () => {
    const staff = await account(t, { is_staff: 1 });
    const token = await consoleSession(staff.id);
    expect(await resolveConsoleSession(t.core, token)).toMatchObject({ csrfToken: 'csrf', user: { id: staff.id } });
    t.clock.advance(consoleIdleSeconds - 60);
    expect(await resolveConsoleSession(t.core, token)).toBeDefined();
    t.clock.advance(consoleIdleSeconds - 60);
    expect(await resolveConsoleSession(t.core, token)).toBeDefined();
    t.clock.advance(consoleIdleSeconds + 1);
    expect(await resolveConsoleSession(t.core, token)).toBeUndefined();
    expect(await findConsoleSession(t.core.db, tokenDigest(token))).toBeUndefined();
  });

  it('ends a session whose user is no longer staff, and one signed out', async () => {
    const staff = await account(t, { is_staff: 1 });
    const demoted = await consoleSession(staff.id);
    await updateUser(t.core.db, staff.id, { is_staff: 0 });
    await t.core.users.invalidate(staff.id);
    expect(await resolveConsoleSession(t.core, demoted)).toBeUndefined();

    const other = await account(t, { is_staff: 1 });
    const token = await consoleSession(other.id);
    const session = (await resolveConsoleSession(t.core, token))!;
    await signOutConsole(t.core, session, meta);
    expect(await resolveConsoleSession(t.core, token)).toBeUndefined();
  });

  it('a new session sweeps expired ones', async () => {
    const staff = await account(t, { is_staff: 1 });
    const old = await consoleSession(staff.id);
    t.clock.advance(consoleMaxSeconds + 1);
    await consoleSession(staff.id);
    expect(await findConsoleSession(t.core.db, tokenDigest(old))).toBeUndefined();
  });
});
