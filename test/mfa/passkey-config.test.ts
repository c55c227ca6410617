import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

/** The WebAuthn relying party from GATEHOUSE_PUBLIC_URL and GATEHOUSE_WEBAUTHN_ORIGINS (no database involved). */
describe('passkey relying-party configuration', () => {
  const load = (env: Record<string, string>) => loadConfig({ GATEHOUSE_ENV: 'test', GATEHOUSE_DATA_DIR: '/tmp', ...env }).webauthn;

  it('takes the RP ID and the first origin from the public URL', () => {
    expect(load({ GATEHOUSE_PUBLIC_URL: 'https://auth.example.com/' })).toEqual({ rpId: 'auth.example.com', origins: ['https://auth.example.com'] });
    expect(load({ GATEHOUSE_PUBLIC_URL: 'http://localhost:8123' })).toEqual({ rpId: 'localhost', origins: ['http://localhost:8123'] });
  });

  it('adds listed origins on the RP ID or below it, once each', () => {
    const party = load({ GATEHOUSE_PUBLIC_URL: 'https://example.com', GATEHOUSE_WEBAUTHN_ORIGINS: 'https://login.example.com, https://example.com,https://a.b.example.com:8443' });
    expect(party).toEqual({ rpId: 'example.com', origins: ['https://example.com', 'https://login.example.com', 'https://a.b.example.com:8443'] });
  });

  it('refuses look-alike hosts, paths, wildcards and non-origins, naming the variable', () => {
    for (const bad of ['https://evilexample.com', 'https://example.com.evil.test', 'https://login.example.com/path', 'https://*.example.com', 'example.com', 'ftp://example.com', 'https://login.example.com/']) {
      expect(() => load({ GATEHOUSE_PUBLIC_URL: 'https://example.com', GATEHOUSE_WEBAUTHN_ORIGINS: bad }), bad).toThrow(/GATEHOUSE_WEBAUTHN_ORIGINS/);
    }
  });
});
