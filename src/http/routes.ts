import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Core } from '../core/core.js';
import { nativeAuthRoutes } from './native/auth-routes.js';
import { nativeAvatarRoutes } from './native/avatar-routes.js';
import { nativeMeRoutes } from './native/me-routes.js';
import { nativePasskeyRoutes } from './native/passkey-routes.js';
import { nativeMfaRoutes } from './native/mfa-routes.js';
import { nativeMfaPasskeyRoutes } from './native/mfa-passkey-routes.js';
import { nativeMfaEnrolmentRoutes } from './native/mfa-enrolment-routes.js';
import { nativeRecoveryRoutes } from './native/recovery-routes.js';
import { nativeSessionRoutes } from './native/session-routes.js';
import { revocationFeedRoutes } from './native/revocation-routes.js';
import { systemRoutes } from './system-routes.js';
import { adminRoutes } from './admin/admin-routes.js';
import { accountRoutes } from './account/account-routes.js';
import { compatRoutes } from './compat/registry.js';
import { mountOidc } from '../oidc/provider.js';

type RouteModule = (app: FastifyInstance, core: Core) => Promise<void> | void;

/** The OpenID provider (src/oidc): `/oidc/*` and the discovery documents. */
const oidcRoutes: RouteModule = async (app, core) => {
  await mountOidc(app, core);
};

/** Every route module the server mounts, in order; GATEHOUSE_COMPAT's profiles last (a bad list stops the start here). */
export function httpRouteModules(config: Config): RouteModule[] {
  const compat = config.compat.length ? [compatRoutes(config.compat)] : [];
  return [systemRoutes, nativeAuthRoutes, nativeMfaRoutes, nativeMfaPasskeyRoutes, nativeMeRoutes, nativeSessionRoutes, nativeAvatarRoutes, nativeRecoveryRoutes, nativePasskeyRoutes, nativeMfaEnrolmentRoutes, revocationFeedRoutes, adminRoutes, accountRoutes, oidcRoutes, ...compat];
}
