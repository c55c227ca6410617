import type { FastifyInstance } from 'fastify';
import { ConfigError } from '../../config.js';
import type { Core } from '../../core/core.js';
import { drfAuthtokenProfile } from './drf-authtoken/routes.js';
import { drfTokenProfile } from './drf-token/routes.js';
import { jwtOtpProfile } from './jwt-otp/routes.js';
import { jwtUuidRefreshProfile } from './jwt-uuid-refresh/routes.js';
import { mountCompatProfiles } from './mount.js';
import { urlsOf, withoutTrailingSlash, type CompatProfile } from './profile.js';
import { simpleJwtProfile } from './simplejwt/routes.js';

/** Every compatibility profile, by its GATEHOUSE_COMPAT name. */
export const compatProfiles: ReadonlyMap<string, CompatProfile> = new Map(
  [drfTokenProfile, simpleJwtProfile, jwtOtpProfile, drfAuthtokenProfile, jwtUuidRefreshProfile].map((p) => [p.name, p]),
);

/**
 * The profiles GATEHOUSE_COMPAT names, checked before anything listens: an unknown name,
 * or two profiles claiming the same method and path, stops the start with a message naming them.
 */
export function resolveCompatProfiles(names: readonly string[], known: ReadonlyMap<string, CompatProfile> = compatProfiles): CompatProfile[] {
  const profiles: CompatProfile[] = [];
  for (const name of new Set(names)) {
    const profile = known.get(name);
    if (!profile) throw new ConfigError('GATEHOUSE_COMPAT', `unknown profile "${name}"; valid profiles: ${[...known.keys()].join(', ')}`);
    profiles.push(profile);
  }
  const claimed = new Map<string, string>();
  for (const profile of profiles) {
    for (const route of profile.routes) {
      const key = `${route.method} ${withoutTrailingSlash(route.path)}`;
      const owner = claimed.get(key);
      if (owner && owner !== profile.name) {
        throw new ConfigError('GATEHOUSE_COMPAT', `profiles "${owner}" and "${profile.name}" both serve ${route.method} ${route.path}; enable only one of them`);
      }
      claimed.set(key, profile.name);
    }
  }
  return profiles;
}

/** The route module serving the enabled profiles; resolving them first makes a bad list fail at start. */
export function compatRoutes(names: readonly string[]): (app: FastifyInstance, core: Core) => void {
  const profiles = resolveCompatProfiles(names);
  return (app, core) => mountCompatProfiles(app, core, profiles);
}

/** The paths (both spellings) of the enabled profiles whose seeds allowed every origin. */
export function anyOriginPaths(names: readonly string[]): ReadonlySet<string> {
  const paths = resolveCompatProfiles(names).filter((p) => p.anyOrigin).flatMap((p) => p.routes.flatMap((r) => urlsOf(r.path)));
  return new Set(paths);
}
