import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig } from '../../src/config.js';

const base = { GATEHOUSE_DATA_DIR: '/tmp/gatehouse-config-test' };
const load = (env: Record<string, string>) => loadConfig({ ...base, ...env });

function failure(env: Record<string, string>): ConfigError {
  try {
    load(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`config accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has working defaults with no configuration at all', () => {
    const c = load({});
    expect(c).toMatchObject({
      env: 'development', host: '127.0.0.1', port: 8000, jwtAlg: 'EdDSA', accessTtlSeconds: 300, refreshTtlSeconds: 30 * 86400,
      sessionIdleSeconds: 30 * 86400, sessionMaxSeconds: 90 * 86400, refreshGraceSeconds: 10, registrationIdentity: 'either',
      activation: 'none', passwordMinLength: 8, passwordMaxLength: 1024, bodyLimitBytes: 1_048_576, publicUrl: 'http://127.0.0.1:8000',
      secretKey: undefined, redisUrl: undefined,
    });
    expect(c.databaseUrl).toBe('sqlite:/tmp/gatehouse-config-test/gatehouse.db');
  });

  it('reads durations in seconds or with a unit', () => {
    const c = load({ GATEHOUSE_ACCESS_TTL: '90', GATEHOUSE_REFRESH_TTL: '12h', GATEHOUSE_SESSION_MAX: '7d', GATEHOUSE_REFRESH_GRACE: '0' });
    expect(c).toMatchObject({ accessTtlSeconds: 90, refreshTtlSeconds: 43200, sessionMaxSeconds: 604800, refreshGraceSeconds: 0 });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT', /whole number.*"eighty"/],
    [{ PORT: '70000' }, 'PORT', /0 to 65535/],
    [{ DATABASE_URL: 'mysql://root@localhost/db' }, 'DATABASE_URL', /sqlite:<path> or postgres/],
    [{ GATEHOUSE_SECRET_KEY: 'short' }, 'GATEHOUSE_SECRET_KEY', /at least 32 characters/],
    [{ GATEHOUSE_ENV: 'production', GATEHOUSE_PUBLIC_URL: 'https://auth.example.com' }, 'GATEHOUSE_SECRET_KEY', /required in production/],
    [{ GATEHOUSE_ENV: 'production', GATEHOUSE_SECRET_KEY: 'k'.repeat(40) }, 'GATEHOUSE_PUBLIC_URL', /https/],
    [{ GATEHOUSE_ENV: 'staging' }, 'GATEHOUSE_ENV', /development, production, test/],
    // attack: /metrics open by default in production (login volumes and failure reasons for anyone).
    [{ GATEHOUSE_ENV: 'production', GATEHOUSE_SECRET_KEY: 'k'.repeat(40), GATEHOUSE_PUBLIC_URL: 'https://auth.example.com' }, 'GATEHOUSE_METRICS_TOKEN', /required in production unless GATEHOUSE_METRICS_PORT/],
    [{ GATEHOUSE_JWT_ALG: 'RS256' }, 'GATEHOUSE_JWT_ALG', /EdDSA, HS256/],
    [{ GATEHOUSE_ACCESS_TTL: '5 minutes' }, 'GATEHOUSE_ACCESS_TTL', /duration/],
    [{ GATEHOUSE_REFRESH_GRACE: 'soon' }, 'GATEHOUSE_REFRESH_GRACE', /duration/],
    [{ GATEHOUSE_REGISTRATION_IDENTITY: 'phone' }, 'GATEHOUSE_REGISTRATION_IDENTITY', /username, email, either/],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL', /redis:\/\//],
    [{ GATEHOUSE_PASSWORD_MAX_LENGTH: '8' }, 'GATEHOUSE_PASSWORD_MAX_LENGTH', /16 to 65536/],
  ])('refuses %o naming %s', (env, variable, message) => {
    const err = failure(env as Record<string, string>);
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable}: `)).toBe(true);
    expect(err.message).toMatch(message);
  });

  it.each([
    [{ GATEHOUSE_ACCESS_TTL: '30d' }, 'GATEHOUSE_ACCESS_TTL', /2592000 s is outside the range of the "access_token_ttl" setting, 10 to 86400 s/],
    [{ GATEHOUSE_ACCESS_TTL: '5' }, 'GATEHOUSE_ACCESS_TTL', /10 to 86400 s/],
    [{ GATEHOUSE_REFRESH_TTL: '30s' }, 'GATEHOUSE_REFRESH_TTL', /"refresh_token_ttl" setting, 60 to 31536000 s/],
    [{ GATEHOUSE_REFRESH_TTL: '400d' }, 'GATEHOUSE_REFRESH_TTL', /60 to 31536000 s/],
    [{ GATEHOUSE_PASSWORD_MIN_LENGTH: '200' }, 'GATEHOUSE_PASSWORD_MIN_LENGTH', /"password_min_length" setting, 1 to 128$/],
  ])('checks the initial value of a runtime setting against its range: %o', (env, variable, message) => {
    const err = failure(env as Record<string, string>);
    expect(err.variable).toBe(variable);
    expect(err.message).toMatch(message);
  });

  it('accepts initial values at the edges of their settings\' ranges', () => {
    expect(load({ GATEHOUSE_ACCESS_TTL: '1d', GATEHOUSE_REFRESH_TTL: '1m', GATEHOUSE_PASSWORD_MIN_LENGTH: '128' })).toMatchObject({ accessTtlSeconds: 86400, refreshTtlSeconds: 60, passwordMinLength: 128 });
    expect(load({ GATEHOUSE_ACCESS_TTL: '10s', GATEHOUSE_REFRESH_TTL: '365d', GATEHOUSE_PASSWORD_MIN_LENGTH: '1' })).toMatchObject({ accessTtlSeconds: 10, refreshTtlSeconds: 365 * 86400, passwordMinLength: 1 });
  });

  describe('mail in production', () => {
    const production = { GATEHOUSE_ENV: 'production', GATEHOUSE_SECRET_KEY: 'k'.repeat(40), GATEHOUSE_PUBLIC_URL: 'https://auth.example.com', GATEHOUSE_METRICS_TOKEN: 'm'.repeat(32) };

    it('refuses file-only mail unless GATEHOUSE_MAIL=file says it is meant', () => {
      const err = failure(production);
      expect(err.variable).toBe('SMTP_URL');
      expect(err.message).toMatch(/required in production.*GATEHOUSE_MAIL=file/);
      expect(load({ ...production, GATEHOUSE_MAIL: 'file' }).mail).toBe('file');
      expect(load({ ...production, SMTP_URL: 'smtp://mail.example.com:587' }).mail).toBe('smtp');
    });

    it('development writes files by default and SMTP_URL means smtp', () => {
      expect(load({}).mail).toBe('file');
      expect(load({ SMTP_URL: 'smtp://localhost:1025' }).mail).toBe('smtp');
    });

    it.each([
      [{ GATEHOUSE_MAIL: 'smtp' }, 'SMTP_URL', /required with GATEHOUSE_MAIL=smtp/],
      [{ GATEHOUSE_MAIL: 'file', SMTP_URL: 'smtp://localhost:1025' }, 'GATEHOUSE_MAIL', /SMTP_URL is set/],
      [{ GATEHOUSE_MAIL: 'pigeon' }, 'GATEHOUSE_MAIL', /smtp, file/],
    ])('refuses contradictory mail settings %o', (env, variable, message) => {
      const err = failure(env as Record<string, string>);
      expect(err.variable).toBe(variable);
      expect(err.message).toMatch(message);
    });

    it('still refuses an open /metrics in production', () => {
      const { GATEHOUSE_METRICS_TOKEN: _token, ...open } = production;
      expect(failure({ ...open, GATEHOUSE_MAIL: 'file' }).variable).toBe('GATEHOUSE_METRICS_TOKEN');
      expect(load({ ...open, GATEHOUSE_MAIL: 'file', GATEHOUSE_METRICS_PORT: '9100' }).metricsPort).toBe(9100);
    });
  });

  it('GATEHOUSE_AUTO_MIGRATE defaults to on for SQLite and off for PostgreSQL', () => {
    expect(load({}).autoMigrate).toBe(true);
    expect(load({ DATABASE_URL: 'postgres://gh@db/gh' }).autoMigrate).toBe(false);
    expect(load({ DATABASE_URL: 'postgres://gh@db/gh', GATEHOUSE_AUTO_MIGRATE: '1' }).autoMigrate).toBe(true);
    expect(load({ GATEHOUSE_AUTO_MIGRATE: '0' }).autoMigrate).toBe(false);
    expect(failure({ GATEHOUSE_AUTO_MIGRATE: 'yes' }).variable).toBe('GATEHOUSE_AUTO_MIGRATE');
  });

  it('NODE_ENV=production means production unless GATEHOUSE_ENV says otherwise', () => {
    expect(failure({ NODE_ENV: 'production' }).variable).toBe('GATEHOUSE_SECRET_KEY');
    expect(load({ NODE_ENV: 'production', GATEHOUSE_ENV: 'development' }).env).toBe('development');
  });

  it('documents every variable it reads', () => {
    const names = configVariables.map((v) => v.name);
    for (const name of ['PORT', 'DATABASE_URL', 'GATEHOUSE_SECRET_KEY', 'GATEHOUSE_JWT_ALG', 'GATEHOUSE_REFRESH_GRACE', 'GATEHOUSE_SESSION_IDLE', 'GATEHOUSE_SESSION_MAX']) {
      expect(names).toContain(name);
    }
    expect(new Set(names).size).toBe(names.length);
  });
});
