import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import type { Core } from '../../core/core.js';
import { SessionLinks } from '../backchannel-links.js';
import { BackchannelLogout } from '../backchannel-logout.js';
import { consentRoutes } from './consent-routes.js';
import { hostedErrorRenderer, type Hosted } from './hosted-context.js';
import { providerHooks } from './provider-hooks.js';
import { signInRoutes } from './sign-in-routes.js';

export { logoutPages } from '../logout-pages.js';

/** What mountInteractions started, for tests and shutdown. */
export interface MountedInteractions {
  backchannel: BackchannelLogout;
  links: SessionLinks;
}

const mounted = new WeakMap<Provider, MountedInteractions>();

/**
 * The hosted interaction routes the provider's `interactions.url` (`/oidc/interaction/:uid`) points at:
 * sign-in (the login pipeline, then the second factor), consent for clients that are not
 * first-party, a forgot-password form; plus the provider middleware that links each provider
 * session to the Gatehouse session it opened, and the back-channel logout that follows every
 * Gatehouse session's end. Call it before the provider's request handler is built.
 */
export function mountInteractions(app: FastifyInstance, provider: Provider, core: Core): void {
  const links = new SessionLinks(provider, core.config.sessionMaxSeconds);
  const h: Hosted = { core, provider, links };
  provider.use(providerHooks(core, links));
  signInRoutes(app, h);
  consentRoutes(app, h, { renderError: hostedErrorRenderer(core) });
  const backchannel = new BackchannelLogout(provider, core, links);
  backchannel.start();
  mounted.set(provider, { backchannel, links });
  app.addHook('onClose', async () => backchannel.settled());
}

/** The back-channel sender and links mountInteractions set up for `provider`. */
export function mountedInteractions(provider: Provider): MountedInteractions | undefined {
  return mounted.get(provider);
}
