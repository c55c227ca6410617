import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Core } from '../../core/core.js';
import { recordAudit } from '../../core/audit.js';
import { revokeSessions } from '../../core/sessions.js';
import type { SessionLinks } from '../backchannel-links.js';

type Next = () => Promise<void>;

function oidcOf(ctx: KoaContextWithOIDC): KoaContextWithOIDC['oidc'] | undefined {
  try {
    return ctx.oidc;
  } catch {
    return undefined;
  }
}

/**
 * Two things the provider does that Gatehouse must hear of, as provider middleware (it runs
 * around the provider's own routes, after their response is ready and before it is sent):
 *
 * - resume after a hosted sign-in: the provider session now exists; link it to the Gatehouse
 *   session the sign-in opened (carried in the interaction result as `gatehouse.sessionId`).
 * - RP-initiated logout confirmed with "sign out": the provider session is gone; end the
 *   Gatehouse session that signed it in, which ends its grants everywhere (backchannel-logout.ts).
 */
export function providerHooks(core: Core, links: SessionLinks): (ctx: KoaContextWithOIDC, next: Next) => Promise<void> {
  return async (ctx, next) => {
    await next();
    const oidc = oidcOf(ctx);
    if (!oidc) return;
    if (oidc.route === 'resume') await linkAfterResume(oidc, links);
    else if (oidc.route === 'end_session_confirm') await endAfterLogout(core, oidc, links, ctx);
  };
}

async function linkAfterResume(oidc: KoaContextWithOIDC['oidc'], links: SessionLinks): Promise<void> {
  const result = oidc.result as { login?: { accountId?: unknown }; gatehouse?: { sessionId?: unknown } } | undefined;
  const sessionId = result?.gatehouse?.sessionId;
  const session = oidc.session;
  if (typeof sessionId !== 'string' || !session?.accountId || session.accountId !== result?.login?.accountId) return;
  await links.link(sessionId, { sessionUid: session.uid, accountId: session.accountId });
}

async function endAfterLogout(core: Core, oidc: KoaContextWithOIDC['oidc'], links: SessionLinks, ctx: KoaContextWithOIDC): Promise<void> {
  const session = oidc.session as (NonNullable<typeof oidc.session> & { destroyed?: boolean }) | undefined;
  if (!session?.destroyed || ctx.status !== 303) return;
  const sessionId = await links.gatehouseSessionOf(session.uid);
  if (!sessionId) return;
  const ended = await revokeSessions(core, { sessionIds: [sessionId] }, 'logout');
  const userId = Number(session.accountId);
  if (ended.length && Number.isSafeInteger(userId)) {
    await recordAudit(core.db, { kind: 'logout', at: core.clock.now(), userId, ip: ctx.ip, userAgent: String(ctx.get('user-agent')).slice(0, 512), detail: { session: sessionId, by: 'oidc_end_session' } });
  }
}

