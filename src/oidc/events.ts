import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { AuditKind } from '../core/audit.js';
import { AuditBuffer, type AuditBufferOptions } from '../core/audit-buffer.js';
import type { Core } from '../core/core.js';

function oidcOf(ctx: KoaContextWithOIDC): KoaContextWithOIDC['oidc'] | undefined {
  try {
    return ctx.oidc;
  } catch {
    return undefined;
  }
}

/** What an audit row says of a provider request: the client, the grant type, the account when known. */
function facts(ctx: KoaContextWithOIDC) {
  const oidc = oidcOf(ctx);
  const params = (oidc?.params ?? {}) as Record<string, unknown>;
  const accountId = Number(oidc?.entities.AccessToken?.accountId ?? oidc?.session?.accountId ?? oidc?.entities.Grant?.accountId);
  const clientId = oidc?.client?.clientId ?? (typeof params.client_id === 'string' ? params.client_id.slice(0, 100) : undefined);
  return {
    userId: Number.isSafeInteger(accountId) && accountId > 0 ? accountId : null,
    ip: ctx.ip,
    userAgent: String(ctx.get('user-agent') ?? ''),
    detail: {
      ...(clientId ? { client_id: clientId } : {}),
      ...(typeof params.grant_type === 'string' ? { grant_type: params.grant_type.slice(0, 100) } : {}),
      ...(oidc?.route ? { route: oidc.route } : {}),
    },
  };
}

/**
 * Every grant the provider issues or refuses becomes an audit row: `grant.success` (each token
 * response), `grant.error`, `authorization.error`, a rotated refresh token used again (the grant is
 * revoked: `grant.revoked` on the token route) and `server_error` (logged too; the client sees only
 * the provider's generic answer). The provider does not wait for its listeners: rows are written
 * in batches (core/audit-buffer.ts; within 100 ms, and all of them on close), a write that fails
 * is logged, never the request's failure. The caller closes the returned buffer on shutdown.
 */
export function auditProviderEvents(provider: Provider, core: Pick<Core, 'db' | 'clock' | 'log'>, options?: AuditBufferOptions): AuditBuffer {
  const buffer = new AuditBuffer(core, options);
  const write = (ctx: KoaContextWithOIDC, kind: AuditKind, extra: Record<string, unknown> = {}) => {
    const f = facts(ctx);
    buffer.record({ kind, at: core.clock.now(), userId: f.userId, ip: f.ip, userAgent: f.userAgent, detail: { ...f.detail, ...extra } });
  };
  const reason = (err: { error?: string; error_description?: string }) => ({ reason: err.error ?? 'error', ...(err.error_description ? { description: String(err.error_description).slice(0, 200) } : {}) });
  provider.on('grant.success', (ctx) => write(ctx, 'oidc.grant'));
  provider.on('grant.error', (ctx, err) => write(ctx, 'oidc.grant_failed', reason(err)));
  provider.on('authorization.error', (ctx, err) => write(ctx, 'oidc.authorization_failed', reason(err)));
  provider.on('grant.revoked', (ctx, grantId) => {
    if (oidcOf(ctx)?.route === 'token') write(ctx, 'oidc.refresh_reuse', { grant: grantId });
  });
  provider.on('server_error', (ctx, err) => {
    core.log.error({ err }, 'oidc provider error');
    write(ctx, 'oidc.server_error');
  });
  return buffer;
}
