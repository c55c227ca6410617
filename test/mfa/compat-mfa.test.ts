import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secondFactorRefusalMessage } from '../../src/core/mfa/single-step-login.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { addPasskey, origin, passkeyEnv, SoftAuthenticator, testPassword } from './passkey-support.js';

/**
 * The compatibility profiles' seed clients send a password and nothing more. An account with a
 * second factor (here a real passkey, registered through the API with a software authenticator)
 * gets each profile's own refusal shape, unless the profile's setting lets it in on its password.
 */
interface ProfileCase {
  profile: string;
  setting: string;
  url: string;
  body: (u: { username: string; email: string }, password: string) => Record<string, string>;
  refusal: { status: number; body: (message: string) => unknown; challenge?: string };
  /** The usual answer to a wrong password, to show an MFA account's wrong password answers the same. */
  wrongPassword: { status: number; body: unknown };
  succeeded: (json: any) => boolean;
}

const cases: ProfileCase[] = [
  {
    profile: 'drf-token', setting: 'profile_drf_token_allow_password_only_mfa', url: '/login/',
    body: (u, password) => ({ username: u.username, password }),
    refusal: { status: 400, body: (m) => ({ non_field_errors: [m] }) },
    wrongPassword: { status: 400, body: { non_field_errors: ['Unable to log in with provided credentials.'] } },
    succeeded: (j) => /^[0-9a-f]{40}$/.test(j.token),
  },
  {
    profile: 'simplejwt', setting: 'profile_simplejwt_allow_password_only_mfa', url: '/api/token/',
    body: (u, password) => ({ email: u.email, password }),
    refusal: { status: 401, body: (m) => ({ detail: m }), challenge: 'Bearer realm="api"' },
    wrongPassword: { status: 401, body: { detail: 'No active account found with the given credentials' } },
    succeeded: (j) => typeof j.access === 'string' && typeof j.refresh === 'string',
  },
  {
    profile: 'jwt-otp', setting: 'profile_jwt_otp_allow_password_only_mfa', url: '/auth/login/',
    body: (u, password) => ({ email: u.email, password }),
    refusal: { status: 400, body: (m) => ({ detail: [m] }) },
    wrongPassword: { status: 400, body: { detail: ['The email or password is not valid .'] } },
    succeeded: (j) => j.detail === 'Logged in Successfully' && typeof j.token.access === 'string',
  },
  {
    profile: 'drf-authtoken', setting: 'profile_drf_authtoken_allow_password_only_mfa', url: '/api/token/',
    body: (u, password) => ({ username: u.username, password }),
    refusal: { status: 400, body: (m) => ({ non_field_errors: [m] }) },
    wrongPassword: { status: 400, body: { non_field_errors: ['Unable to log in with provided credentials.'] } },
    succeeded: (j) => /^[0-9a-f]{40}$/.test(j.token),
  },
  {
    profile: 'jwt-uuid-refresh', setting: 'profile_jwt_uuid_refresh_allow_password_only_mfa', url: '/api/login/',
    body: (u, password) => ({ email: u.email, password }),
    refusal: { status: 400, body: (m) => ({ non_field_errors: [m] }) },
    wrongPassword: { status: 400, body: { non_field_errors: ['Invalid email or password'] } },
    succeeded: (j) => typeof j.access_token === 'string' && /^[0-9a-f-]{36}$/.test(j.refresh_token),
  },
];

describe.each(backends)('compatibility profiles and accounts with a second factor on %s', (backend) => {
  describe.each(cases)('$profile', (c) => {
    let app: TestApp;
    let mfaUser: { id: number; username: string; email: string };
    let plainUser: { id: number; username: string; email: string };

    beforeAll(async () => {
      app = await testApp(backend, { ...passkeyEnv, GATEHOUSE_COMPAT: c.profile, GATEHOUSE_ACTIVATION: 'none' });
      await relaxRateLimits(app);
      const signed = await app.signUp();
      mfaUser = signed.user;
      await addPasskey(app, signed.access_token, new SoftAuthenticator(origin), 'Key');
      plainUser = (await app.signUp()).user;
    });
    afterAll(async () => {
      await app?.close();
    });

    const post = (payload: Record<string, string>) => app.request({ method: 'POST', url: c.url, payload });
    /** The account's newest login or MFA audit row. */
    const lastAudit = async (userId: number) =>
      app.store.db.selectFrom('audit_events').select(['kind', 'detail']).where('user_id', '=', userId).where('kind', 'in', ['login.succeeded', 'login.failed', 'mfa.password_only_refused'])
        .orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();

    it('refuses an account with a second factor in the seed\'s own error shape, telling the user what to do, and audits it', async () => {
      const res = await post(c.body(mfaUser, testPassword));
      expect(res.statusCode).toBe(c.refusal.status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual(c.refusal.body(secondFactorRefusalMessage));
      expect(secondFactorRefusalMessage).toMatch(/app that supports multi-factor authentication, or use an API token/);
      if (c.refusal.challenge) expect(res.headers['www-authenticate']).toBe(c.refusal.challenge);
      const audit = await lastAudit(mfaUser.id);
      expect(audit.kind).toBe('mfa.password_only_refused');
      expect(JSON.parse(audit.detail as unknown as string)).toMatchObject({ profile: c.profile, factors: ['passkey'] });
      // No session, no key: nothing was issued.
      const sessions = await app.store.db.selectFrom('sessions').select('id').where('user_id', '=', mfaUser.id).where('revoked_at', 'is', null).execute();
      expect(sessions).toHaveLength(1); // the registration's own
    });

    it('enumeration: a wrong password answers an MFA account exactly as it answers any account', async () => {
      const mfa = await post(c.body(mfaUser, 'not the password 1'));
      const plain = await post(c.body(plainUser, 'not the password 1'));
      expect(mfa.statusCode).toBe(c.wrongPassword.status);
      expect(mfa.json()).toEqual(c.wrongPassword.body);
      expect(plain.statusCode).toBe(mfa.statusCode);
      expect(plain.body).toBe(mfa.body);
    });

    it('an account without a factor logs in as before', async () => {
      const res = await post(c.body(plainUser, testPassword));
      expect(res.statusCode).toBe(200);
      expect(c.succeeded(res.json())).toBe(true);
    });

    it('with the profile\'s setting on, lets the account in on its password alone, audited as amr pwd', async () => {
      await app.core.settings.update({ [c.setting]: true }, null);
      try {
        const res = await post(c.body(mfaUser, testPassword));
        expect(res.statusCode, res.body).toBe(200);
        expect(c.succeeded(res.json())).toBe(true);
        const audit = await lastAudit(mfaUser.id);
        expect(audit.kind).toBe('login.succeeded');
        expect(JSON.parse(audit.detail as unknown as string)).toMatchObject({ amr: ['pwd'], password_only_mfa: c.profile });
      } finally {
        await app.core.settings.update({ [c.setting]: false }, null);
      }
      // Off again: refused again.
      expect((await post(c.body(mfaUser, testPassword))).statusCode).toBe(c.refusal.status);
    });

    it('another profile\'s setting does not open this one', async () => {
      const other = cases.find((o) => o.profile !== c.profile)!;
      await app.core.settings.update({ [other.setting]: true }, null);
      try {
        expect((await post(c.body(mfaUser, testPassword))).statusCode).toBe(c.refusal.status);
      } finally {
        await app.core.settings.update({ [other.setting]: false }, null);
      }
    });
  });
});
