import { jwtOtpManifest } from './jwt-otp/manifest.js';
import type { ProfileDefaults, ProfileManifest } from './profile-manifest.js';

export type { ProfileDefaults, ProfileManifest } from './profile-manifest.js';

// config.ts reads this file, so it imports nothing but the profiles' manifests (no cycle through the routes).

/** Every profile that declares defaults (registry.test.ts checks these are the profiles' own). */
const manifests: readonly ProfileManifest[] = [jwtOtpManifest];

export interface EnabledDefaults {
  defaults: ProfileDefaults;
  /** Settings two enabled profiles default differently, with the profiles. */
  conflicts: { setting: keyof ProfileDefaults; profiles: string[] }[];
}

/** The defaults the enabled profiles declare, merged; a setting they disagree on is a conflict. */
export function profileDefaults(enabled: readonly string[], declared: readonly ProfileManifest[] = manifests): EnabledDefaults {
  const defaults: ProfileDefaults = {};
  const owners = new Map<keyof ProfileDefaults, string[]>();
  const conflicts: EnabledDefaults['conflicts'] = [];
  for (const manifest of declared.filter((m) => enabled.includes(m.name))) {
    for (const [setting, value] of Object.entries(manifest.defaults ?? {}) as [keyof ProfileDefaults, ProfileDefaults[keyof ProfileDefaults]][]) {
      const by = owners.get(setting) ?? [];
      if (by.length && defaults[setting] !== value) conflicts.push({ setting, profiles: [...by, manifest.name] });
      defaults[setting] ??= value;
      owners.set(setting, [...by, manifest.name]);
    }
  }
  return { defaults, conflicts };
}
