import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { profileDefaults } from '../../src/http/compat/profile-defaults.js';
import { compatProfiles } from '../../src/http/compat/registry.js';

const base = { GATEHOUSE_DATA_DIR: '/tmp/gatehouse-config-test' };

describe('profile defaults', () => {
  it.each([...compatProfiles.keys()])('the list config reads holds the defaults profile %s declares', (name) => {
    expect(profileDefaults([name]).defaults).toEqual(compatProfiles.get(name)!.defaults ?? {});
  });

  it('config applies an enabled profile\'s activation default; the variable still wins', () => {
    expect(loadConfig({ ...base, GATEHOUSE_COMPAT: 'jwt-otp' }).activation).toBe('admin');
    expect(loadConfig({ ...base, GATEHOUSE_COMPAT: 'simplejwt,jwt-otp' }).activation).toBe('admin');
    expect(loadConfig({ ...base, GATEHOUSE_COMPAT: 'jwt-otp', GATEHOUSE_ACTIVATION: 'email' }).activation).toBe('email');
    expect(loadConfig({ ...base, GATEHOUSE_COMPAT: 'simplejwt' }).activation).toBe('none');
  });

  it('two enabled profiles that default a setting differently are a conflict', () => {
    const declared = [{ name: 'a', defaults: { activation: 'admin' as const } }, { name: 'b', defaults: { activation: 'email' as const } }, { name: 'c', defaults: { activation: 'admin' as const } }];
    expect(profileDefaults(['a', 'b'], declared)).toEqual({ defaults: { activation: 'admin' }, conflicts: [{ setting: 'activation', profiles: ['a', 'b'] }] });
    expect(profileDefaults(['a', 'c'], declared)).toEqual({ defaults: { activation: 'admin' }, conflicts: [] });
  });
});
