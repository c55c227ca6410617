import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../../core/core.js';
import { assertAdminLevel } from '../../../core/admin/permissions.js';
import { createOidcClient, listAllOidcClients, oidcClientIdPattern, revokeOidcClientById, type OidcClientInput, type OidcGrantType } from '../../../core/oidc-clients.js';
import { translateMessage } from '../../../i18n/index.js';
import { consoleActor, consoleErrorRenderer, consoleGuard, fieldMessages, pageContext, redirectWith, sendPage, consoleSpeech } from './console-kit.js';
import { html, type Html, time, translateHtml } from './html.js';
import { consolePage, csrfField, type Notice } from './layout.js';

const idParams = { type: 'object', properties: { id: { type: 'string', pattern: oidcClientIdPattern } }, required: ['id'] } as const;
// This page's own notices, the text an English msgid.
export const oidcClientNotices: Readonly<Record<string, Notice>> = { revoked: { kind: 'ok', text: 'Client revoked. Its grants and tokens are deleted.' } };
/** What the form's "kind" choice registers. */
const kinds: Record<string, OidcGrantType[]> = {
  signin: ['authorization_code', 'refresh_token'],
  'signin-no-refresh': ['authorization_code'],
  machine: ['client_credentials'],
};

interface FormValues {
  name: string;
  kind: string;
  redirect_uris: string;
  api_scopes: string;
  public: boolean;
  first_party: boolean;
}

interface PageState {
  created?: { name: string; clientId: string; secret: string | null };
  errors?: Record<string, string>;
  values?: FormValues;
  status?: number;
}

const lines = (s: string) => s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

function fromForm(raw: Record<string, unknown>): { values: FormValues; input: OidcClientInput } {
  const text = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : '');
  const values: FormValues = { name: text('name'), kind: text('kind'), redirect_uris: text('redirect_uris'), api_scopes: text('api_scopes'), public: raw.public === 'on', first_party: raw.first_party === 'on' };
  const grants = kinds[values.kind] ?? [];
  const machine = grants.includes('client_credentials');
  return {
    values,
    input: {
      name: values.name,
      grant_types: grants,
      ...(machine ? {} : { redirect_uris: lines(values.redirect_uris) }),
      ...(machine ? { api_scopes: values.api_scopes.split(/\s+/).filter(Boolean) } : {}),
      public: values.public,
      first_party: values.first_party,
    },
  };
}

async function render(core: Core, request: FastifyRequest, reply: FastifyReply, state: PageState = {}) {
  const ctx = pageContext(core, request);
  const { t } = ctx;
  const clients = await listAllOidcClients(core);
  const canChange = ctx.session.user.is_superuser;
  const done = (request.query as { done?: unknown }).done;
  const entry = typeof done === 'string' && Object.hasOwn(oidcClientNotices, done) ? oidcClientNotices[done] : undefined;
  const notice = entry && { kind: entry.kind, text: t(entry.text) };
  const v = state.values ?? { name: '', kind: 'signin', redirect_uris: '', api_scopes: '', public: false, first_party: false };
  const err = (field: string) => (state.errors?.[field] ? translateMessage(ctx.locale, state.errors[field]) : undefined);
  const fieldError = (field: string, id: string) => (err(field) ? html`<p class="field-error" id="${id}-error">${err(field)!}</p>` : '');
  const created: Html = state.created
    ? html`<section class="card" aria-labelledby="new-client-h"><h2 id="new-client-h">${t('Client “{{name}}” registered', { name: state.created.name })}</h2>
  <p>${translateHtml(t, 'Client ID: {{id}}', { id: html`<code>${state.created.clientId}</code>` })}</p>
  ${state.created.secret ? html`<p>${t('Copy the secret now: it is shown this once and stored only as a digest.')}</p><pre class="mail-body"><code>${state.created.secret}</code></pre>` : html`<p>${t('A public client has no secret: it uses PKCE alone.')}</p>`}</section>`
    : html``;
  const rows = clients.map((c) => html`<tr>
    <td>${c.name}${c.first_party ? html` <span class="badge badge-ok">${t('first-party')}</span>` : ''}</td>
    <td><code>${c.client_id}</code></td>
    <td>${c.grant_types.join(', ')}${c.public ? ` ${t('(public)')}` : ''}</td>
    <td>${c.redirect_uris.map((u) => html`<div><code>${u}</code></div>`)}</td>
    <td class="nowrap">${time(c.created_at)}</td>
    <td>${c.revoked_at !== null ? html`<span class="badge badge-muted">${translateHtml(t, 'revoked {{time}}', { time: time(c.revoked_at) })}</span>` : html`<span class="badge badge-ok">${t('live')}</span>`}</td>
    <td>${canChange && c.revoked_at === null ? html`<form method="post" action="/admin/oidc-clients/${c.client_id}/revoke" data-confirm="${t('Revoke {{name}}? Its users are signed out of it and its tokens stop working.', { name: c.name })}">${csrfField(ctx.session)}<button type="submit" class="btn btn-danger btn-small">${t('Revoke')}</button></form>` : ''}</td>
  </tr>`);
  const option = (value: string, label: string) => html`<option value="${value}"${v.kind === value ? ' selected' : ''}>${label}</option>`;
  const form = canChange
    ? html`<form method="post" action="/admin/oidc-clients" class="card stack" novalidate>
  ${csrfField(ctx.session)}
  ${err('non_field_errors') ? html`<div class="notice notice-error" role="alert">${err('non_field_errors')!}</div>` : ''}
  <div class="field${err('name') ? ' has-error' : ''}"><label for="c-name">${t('Name')}</label><input id="c-name" name="name" maxlength="100" required value="${v.name}">${fieldError('name', 'c-name')}</div>
  <div class="field${err('grant_types') ? ' has-error' : ''}"><label for="c-kind">${t('Kind')}</label><select id="c-kind" name="kind">${option('signin', t('Sign-in (authorization code + refresh tokens)'))}${option('signin-no-refresh', t('Sign-in without refresh tokens'))}${option('machine', t('Machine-to-machine (client credentials)'))}</select>${fieldError('grant_types', 'c-kind')}</div>
  <div class="field${err('redirect_uris') ? ' has-error' : ''}"><label for="c-redirects">${t('Redirect URLs (sign-in; one per line, matched exactly)')}</label><textarea id="c-redirects" name="redirect_uris" rows="3">${v.redirect_uris}</textarea>${fieldError('redirect_uris', 'c-redirects')}</div>
  <div class="field${err('api_scopes') ? ' has-error' : ''}"><label for="c-scopes">${t('API scopes (machine; space-separated)')}</label><input id="c-scopes" name="api_scopes" value="${v.api_scopes}">${fieldError('api_scopes', 'c-scopes')}</div>
  <div class="field"><label><input type="checkbox" name="public"${v.public ? ' checked' : ''}> ${t('Public client (single-page or native app: no secret, PKCE only)')}</label>${fieldError('public', 'c-public')}</div>
  <div class="field"><label><input type="checkbox" name="first_party"${v.first_party ? ' checked' : ''}> ${t('First-party (our own app: no consent page)')}</label></div>
  <div class="form-buttons"><button type="submit" class="btn btn-primary">${t('Register client')}</button></div>
</form>`
    : html`<div class="notice notice-info" role="status">${t('Only a superuser may register or revoke clients.')}</div>`;
  const body = html`<p class="muted">${translateHtml(t, 'Applications that sign users in with OpenID Connect ({{path}}) or get machine tokens with client credentials.', { path: html`<code>/.well-known/openid-configuration</code>` })}</p>
${created}
${form}
${clients.length ? html`<div class="card table-card"><div class="table-wrap"><table class="data compact">
  <thead><tr><th scope="col">${t('Name')}</th><th scope="col">${t('Client ID')}</th><th scope="col">${t('Grants')}</th><th scope="col">${t('Redirect URLs')}</th><th scope="col">${t('Created')}</th><th scope="col">${t('State')}</th><th scope="col"><span class="sr-only">${t('Actions')}</span></th></tr></thead>
  <tbody>${rows}</tbody></table></div></div>` : html`<div class="card empty">${t('No clients yet.')}</div>`}`;
  return sendPage(reply, consolePage(ctx, { title: t('OpenID clients'), section: 'oidc-clients', notice, body }), state.status ?? 200);
}

export function oidcClientsPage(app: FastifyInstance, core: Core): void {
  const config = { renderError: consoleErrorRenderer(core) };
  const guard = consoleGuard(core);

  app.get('/admin/oidc-clients', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => render(core, request, reply));

  app.post('/admin/oidc-clients', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => {
    const actor = consoleActor(request);
    assertAdminLevel(actor.user, 'superuser');
    const { values, input } = fromForm((request.body ?? {}) as Record<string, unknown>);
    try {
      const { client, clientSecret } = await createOidcClient(core, input, actor);
      return await render(core, request, reply, { created: { name: client.name, clientId: client.client_id, secret: clientSecret }, status: 201 });
    } catch (err) {
      const errors = fieldMessages(err, consoleSpeech(core, request).locale);
      if (!errors) throw err;
      return render(core, request, reply, { errors, values, status: 400 });
    }
  });

  app.post('/admin/oidc-clients/:id/revoke', { schema: { hide: true, params: idParams }, config, preHandler: guard }, async (request, reply) => {
    const actor = consoleActor(request);
    assertAdminLevel(actor.user, 'superuser');
    await revokeOidcClientById(core, (request.params as { id: string }).id, actor);
    return redirectWith(reply, '/admin/oidc-clients?done=revoked');
  });
}
