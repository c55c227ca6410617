import type { Core } from '../../../core/core.js';
import { userFactors } from '../../../core/admin/user-mfa.js';
import type { User } from '../../../core/users/user.js';
import { html, type Html, time, translateHtml } from './html.js';
import { csrfField, type PageContext } from './layout.js';

/** The user page's second-factor card: what is enrolled (no secrets) and the reset button. */
export async function mfaCard(core: Core, ctx: PageContext, user: User, allowed: boolean): Promise<Html> {
  const { t } = ctx;
  const f = await userFactors(core, user.id);
  const any = f.totp.enrolled || f.passkeys.length > 0 || f.recoveryCodesLeft > 0;
  const passkeys = f.passkeys.map((p) => html`<li><strong>${p.name}</strong> <span class="muted small">${translateHtml(t, 'added {{added}} · last used {{used}}', { added: time(p.createdAt), used: time(p.lastUsedAt, t('never')) })}</span></li>`);
  const reset = allowed && any
    ? html`<form method="post" action="/admin/users/${user.id}/mfa-reset" data-confirm="${t('Remove every second factor of {{name}}? Their sessions end and they are told by mail.', { name: user.username || user.email })}">${csrfField(ctx.session)}<button type="submit" class="btn btn-secondary btn-block">${t('Reset second factors')}</button></form>`
    : '';
  return html`<section class="card" aria-labelledby="mfa-h">
  <h2 id="mfa-h">${t('Second factors')}</h2>
  ${f.required ? html`<div class="badges"><span class="badge badge-muted">${t('Required by settings')}</span></div>` : ''}
  <dl class="facts">
    <dt>${t('Authenticator app')}</dt><dd>${f.totp.enrolled ? translateHtml(t, 'enrolled {{time}}', { time: time(f.totp.enrolledAt) }) : t('none')}</dd>
    <dt>${t('Recovery codes left')}</dt><dd>${f.recoveryCodesLeft}</dd>
    <dt>${t('Passkeys')}</dt><dd>${f.passkeys.length ? html`<ul class="plain">${passkeys}</ul>` : t('none')}</dd>
  </dl>
  ${reset}
</section>`;
}
