import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateProfile } from '../../src/core/account.js';
import { listUsers } from '../../src/core/admin/users-query.js';
import { getAvatar, setAvatar } from '../../src/core/avatar.js';
import { AuthError } from '../../src/core/errors.js';
import { register, type RegisterOptions } from '../../src/core/register.js';
import { takenField } from '../../src/core/users/taken.js';
import { findUserByEmail, insertUser } from '../../src/store/users-repo.js';
import { backends } from '../support/backends.js';
import { testCore, type TestCore } from '../support/core.js';
import { tinyPng } from '../support/png.js';

const password = 'a sturdy passphrase 42';
const meta = { ip: '192.0.2.1', userAgent: 'unit test' };
const native: RegisterOptions = { identity: 'either', usernameIsLogin: true, issueTokens: true };

/** The field errors a rejected call carried. */
async function fieldErrors(call: Promise<unknown>): Promise<Record<string, string[]>> {
  const err = await call.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AuthError);
  return (err as AuthError).fields ?? {};
}

describe.each(backends)('users use cases on %s', (backend) => {
  let t: TestCore;
  beforeAll(async () => {
    t = await testCore(backend);
  });
  afterAll(() => t.close());

  describe('register', () => {
    it('creates the account with its folded login keys and opens a session', async () => {
      const { user, tokens } = await register(t.core, { username: 'Wren_Harbor', email: 'Wren@Example.COM', password }, native, meta);
      expect(user).toMatchObject({ username: 'Wren_Harbor', email: 'Wren@example.com', username_is_login: true, is_active: true });
      expect(tokens?.access_token).toEqual(expect.any(String));
      expect(user.last_login).toBe(t.clock.now());
      // The email key folds case: the account is found by any spelling of the address.
      expect((await findUserByEmail(t.core.db, 'WREN@EXAMPLE.com'))?.id).toBe(user.id);
    });

    it('refuses a taken email and a look-alike username as field errors', async () => {
      await register(t.core, { username: 'admin_kite', email: 'kite@example.com', password }, native, meta);
      expect(await fieldErrors(register(t.core, { username: 'other_kite', email: 'KITE@example.com', password }, native, meta))).toEqual({ email: ['user with this email already exists.'] });
      // Cyrillic "а" in place of the Latin "a": the same confusable skeleton.
      expect(await fieldErrors(register(t.core, { username: '\u0430dmin_kite', email: 'kite2@example.com', password }, native, meta))).toEqual({ username: ['A user with that username already exists.'] });
    });

    it('concurrent sign-ups with one email: one account, the others a field error', async () => {
      const attempts = await Promise.allSettled([1, 2, 3].map((n) => register(t.core, { username: `racer_${n}`, email: 'race@example.com', password }, native, meta)));
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      for (const a of attempts) if (a.status === 'rejected') expect((a.reason as AuthError).fields).toEqual({ email: ['user with this email already exists.'] });
    });

    it('rolls the account back when work `within` its transaction fails', async () => {
      const within = async () => {
        throw new Error('extra work failed');
      };
      await expect(register(t.core, { email: 'within@example.com', password }, { ...native, within }, meta)).rejects.toThrow('extra work failed');
      expect(await findUserByEmail(t.core.db, 'within@example.com')).toBeUndefined();
    });

    it('stores an avatar in the account\'s transaction', async () => {
      let etag: string | undefined;
      const within: RegisterOptions['within'] = async (trx, created) => {
        etag = (await setAvatar(t.core, created.id, tinyPng(), trx)).etag;
      };
      const { user } = await register(t.core, { email: 'pictured@example.com', password }, { ...native, within }, meta);
      expect(etag).toEqual(expect.any(String));
      expect((await getAvatar(t.core, user.id))?.etag).toBe(etag);
      expect((await findUserByEmail(t.core.db, 'pictured@example.com'))?.avatar_etag).toBe(etag);
    });

    it('an image core refuses inside `within` leaves no account', async () => {
      const within: RegisterOptions['within'] = async (trx, created) => {
        await setAvatar(t.core, created.id, Buffer.from('not an image'), trx);
      };
      expect(Object.keys(await fieldErrors(register(t.core, { email: 'refused@example.com', password }, { ...native, within }, meta)))).toEqual(['avatar']);
      expect(await findUserByEmail(t.core.db, 'refused@example.com')).toBeUndefined();
    });
  });

  it('tells a taken email from a taken username by the unique index a write broke', async () => {
    await register(t.core, { username: 'index_owner', email: 'index@example.com', password }, native, meta);
    const row = (over: Record<string, string | null>) => ({
      username: 'x', username_key: null, username_skeleton: null, email: 'x', email_key: null, password_hash: '!', first_name: '', last_name: '',
      phone_number: '', date_of_birth: null, gender: '', bio: '', is_active: 1, is_staff: 0, is_superuser: 0, email_verified: 0, approved: 1,
      date_joined: 0, last_login: null, password_changed_at: 0, updated_at: 0, failed_logins: 0, locked_until: null, pending_email: null, avatar_etag: null, ...over,
    });
    const failure = (over: Record<string, string | null>) => insertUser(t.core.db, row(over)).then(() => undefined, (e: unknown) => e);
    expect(takenField(t.core.db, await failure({ email_key: 'index@example.com' }))).toBe('email');
    expect(takenField(t.core.db, await failure({ username_key: 'index_owner' }))).toBe('username');
    expect(takenField(t.core.db, new Error('something else'))).toBeUndefined();
  });

  describe('updateProfile', () => {
    it('changes profile fields and the email directly; refuses a username another account has', async () => {
      const { user } = await register(t.core, { username: 'heron_gale', email: 'heron@example.com', password }, native, meta);
      await register(t.core, { username: 'taken_name', email: 'taken@example.com', password }, native, meta);
      t.clock.advance(60);
      const updated = await updateProfile(t.core, user.id, { first_name: 'Heron', bio: 'birds', email: 'Heron.New@Example.com' }, { emailChange: 'direct' }, meta);
      expect(updated).toMatchObject({ first_name: 'Heron', bio: 'birds', email: 'Heron.New@example.com', email_verified: false, updated_at: t.clock.now() });
      expect((await findUserByEmail(t.core.db, 'heron.new@example.com'))?.id).toBe(user.id);
      expect(await fieldErrors(updateProfile(t.core, user.id, { username: 'TAKEN_name' }, { emailChange: 'direct' }, meta))).toEqual({ username: ['A user with that username already exists.'] });
      expect(await fieldErrors(updateProfile(t.core, user.id, { email: 'taken@example.com' }, { emailChange: 'direct' }, meta))).toEqual({ email: ['user with this email already exists.'] });
    });
  });

  describe('listUsers', () => {
    it('finds users by a substring, a short prefix and a flag, and pages with a cursor', async () => {
      const made: number[] = [];
      for (const name of ['sandpiper_one', 'sandpiper_two', 'sandpiper_three']) {
        made.push((await register(t.core, { username: name, email: `${name}@shore.example`, password }, native, meta)).user.id);
      }
      const all = await listUsers(t.core, { q: 'ndpipe', sort: 'id', order: 'asc' });
      expect(all.items.map((u) => u.id)).toEqual(made);
      expect(all).toMatchObject({ total: 3, total_capped: false, next_cursor: null });
      // A word under three characters: the start of the username or email.
      expect((await listUsers(t.core, { q: 'sa shore' })).items.map((u) => u.id).sort((a, b) => a - b)).toEqual(made);
      expect((await listUsers(t.core, { q: 'ndpipe', staff: true })).total).toBe(0);
      const first = await listUsers(t.core, { q: 'sandpiper', sort: 'username', order: 'asc', limit: 2 });
      expect(first.items.map((u) => u.username)).toEqual(['sandpiper_one', 'sandpiper_three']);
      const second = await listUsers(t.core, { q: 'sandpiper', sort: 'username', order: 'asc', limit: 2, cursor: first.next_cursor! });
      expect(second.items.map((u) => u.username)).toEqual(['sandpiper_two']);
      expect(second.next_cursor).toBeNull();
    });
  });
});
