import type * as OidcProviderModule from 'oidc-provider';
import type { Core } from '../core/core.js';

export type OidcModule = typeof OidcProviderModule;

let loaded: Promise<OidcModule> | undefined;

/**
 * Imports oidc-provider once. At import it warns on stderr on any Node release before 22 (it runs
 * on 20, where Gatehouse is tested); that line goes to the log instead, so the CLI's stderr stays
 * Gatehouse's own. Every other warning passes through.
 */
export function loadOidcProvider(log: Core['log']): Promise<OidcModule> {
  loaded ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      const text = args.map(String).join(' ');
      if (text.includes('oidc-provider WARNING: Unsupported runtime')) log.info({ node: process.version }, 'oidc-provider prefers Node.js 22 or later');
      else warn(...args);
    };
    try {
      return await import('oidc-provider');
    } finally {
      console.warn = warn;
    }
  })();
  return loaded;
}
