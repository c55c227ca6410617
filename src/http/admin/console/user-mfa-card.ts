import type { Core } from '../../../core/core.js';
import { userFactors } from '../../../core/admin/user-mfa.js';
import type { User } from '../../../core/users/user.js';
import { html, time, type Html } from './html.js';
import { csrfField, type PageContext } from './layout.js';

/** The user page's second-factor card: what is enrolled (no secrets) and the reset button. */
export async function mfaCard(core: Core, ctx: PageContext, user: User, allowed: boolean): Promise<Html> {
  const f = await userFactors(core, user.id);
  const any = f.totp.enrolled || f.passkeys.length > 0 || f.recoveryCodesLeft > 0;
  const passkeys = f.passkeys.map((p) => html`<li><strong>${p.name}</strong> <span class="muted small">added ${time(p.createdAt)} · last used ${time(p.lastUsedAt, 'never')}</span></li>`);
  const reset = allowed && any
    ? html`<form method="post" action="/admin/users/${user.id}/mfa-reset" data-confirm="Remove every second factor of ${user.username || user.email}? Their sessions end and they are told by mail.">${csrfField(ctx.session)}<button type="submit" class="btn btn-secondary btn-block">Reset second factors</button></form>`
    : '';
  return html`<section class="card" aria-labelledby="mfa-h">
  <h2 id="mfa-h">Second factors</h2>
  ${f.required ? html`<div class="badges"><span class="badge badge-muted">Required by settings</span></div>` : ''}
  <dl class="facts">
    <dt>Authenticator app</dt><dd>${f.totp.enrolled ? html`enrolled ${time(f.totp.enrolledAt)}` : 'none'}</dd>
    <dt>Recovery codes left</dt><dd>${f.recoveryCodesLeft}</dd>
    <dt>Passkeys</dt><dd>${f.passkeys.length ? html`<ul class="plain">${passkeys}</ul>` : 'none'}</dd>
  </dl>
  ${reset}
</section>`;
}
