import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../../core/core.js';
import { assertAdminLevel } from '../../../core/admin/permissions.js';
import { changeSettings, listSettings, type SettingView } from '../../../core/admin/settings-view.js';
import { coerceSetting, isSettingKey, settingDefs, type SettingKey } from '../../../core/settings.js';
import { translateMessage } from '../../../i18n/index.js';
import { durationExamples, durationLabel, durationRange, isDurationSetting, readDuration, showDuration } from './duration-fields.js';
import { consoleActor, consoleErrorRenderer, consoleGuard, consoleSpeech, fieldMessages, noticeFrom, pageContext, redirectWith, sendPage } from './console-kit.js';
import { html, type Html, time, translateHtml } from './html.js';
import { consolePage, csrfField, type Notice, type Speech } from './layout.js';

type Submitted = Record<string, unknown>;

/** The label a setting's field shows (a duration's without its unit): an English msgid, rendered through `t`. */
const shownLabel = (key: SettingKey) => (isDurationSetting(key) ? durationLabel(settingDefs[key].label) : settingDefs[key].label);

/** What a choice of an enum setting reads as (English msgids through `t`); the option's value stays the code configuration takes. */
export const choiceLabels: Readonly<Record<string, string>> = { none: 'none', email: 'email', admin: 'admin', 'email+admin': 'email+admin' };
const choiceLabel = (value: string, { t }: Speech) => (Object.hasOwn(choiceLabels, value) ? t(choiceLabels[value]!) : value);

/** Every text of the settings table (core/settings.ts) the page renders through `t`: groups, labels as shown, help, choices. */
export function settingTexts(): string[] {
  const texts = (Object.keys(settingDefs) as SettingKey[]).flatMap((key) => [settingDefs[key].group, shownLabel(key), settingDefs[key].help]);
  return [...new Set([...texts, ...Object.values(choiceLabels)])];
}

/**
 * Reads the submitted form as typed changes: every value arrives as text and a checkbox is absent
 * when off. Durations may be typed as "15 min" or "30d" and are range-checked here, in the same
 * words as the field; other text that is not a number stays text so validation names the field.
 * Only settings whose value differs are returned.
 */
export function settingsFromForm(core: Core, form: Submitted, speech: Speech): { changes: Record<string, unknown>; errors: Record<string, string> } {
  const changes: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const current = core.settings.all();
  for (const key of Object.keys(settingDefs) as SettingKey[]) {
    const def = settingDefs[key];
    const raw = form[key];
    let value: unknown;
    if (def.type === 'bool') value = raw === 'on';
    else if (typeof raw !== 'string') continue;
    else if (def.type === 'int' && isDurationSetting(key)) {
      const read = readDuration(key, raw, def.min, def.max, speech);
      if ('error' in read) {
        errors[key] = read.error;
        continue;
      }
      value = read.value;
    } else if (def.type === 'int') value = /^\s*-?[0-9]{1,15}\s*$/.test(raw) ? Number(raw) : raw;
    else value = raw;
    if (value !== current[key]) changes[key] = value;
  }
  for (const key of Object.keys(form)) if (!isSettingKey(key) && key !== '_csrf') changes[key] = form[key];
  return { changes, errors };
}

/** The messages core would give, without applying anything: shown beside the console's own duration messages. */
function otherErrors(changes: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (!isSettingKey(key)) continue;
    const { error } = coerceSetting(key, value);
    if (error) out[key] = error;
  }
  return out;
}

/** Core's messages (English) in the page's language. */
const translated = (errors: Record<string, string>, { locale }: Speech) => Object.fromEntries(Object.entries(errors).map(([k, m]) => [k, translateMessage(locale, m)]));

function input(s: SettingView, submitted: Submitted | undefined, error: string | undefined, disabled: boolean, speech: Speech): Html {
  const id = `s-${s.key}`;
  const describedBy = html` aria-describedby="${id}-help${error ? ` ${id}-error` : ''}"${error ? html` aria-invalid="true"` : ''}${disabled ? html` disabled` : ''}`;
  const value = submitted && s.key in submitted ? submitted[s.key] : s.value;
  if (s.type === 'bool') {
    const checked = submitted ? submitted[s.key] === 'on' : s.value === true;
    return html`<input id="${id}" name="${s.key}" type="checkbox" value="on"${checked ? html` checked` : ''}${describedBy}>`;
  }
  if (s.type === 'enum') {
    return html`<select id="${id}" name="${s.key}"${describedBy}>${(s.values ?? []).map((v) => html`<option value="${v}"${v === value ? html` selected` : ''}>${choiceLabel(v, speech)}</option>`)}</select>`;
  }
  if (isDurationSetting(s.key)) {
    const shown = submitted && s.key in submitted ? String(value ?? '') : showDuration(s.key, Number(s.value), speech);
    return html`<input id="${id}" name="${s.key}" type="text" autocomplete="off" spellcheck="false" maxlength="60" value="${shown}" required${describedBy}>`;
  }
  return html`<input id="${id}" name="${s.key}" type="number" inputmode="numeric" step="1" min="${s.min}" max="${s.max}" value="${String(value ?? '')}" required${describedBy}>`;
}

function settingRow(s: SettingView, submitted: Submitted | undefined, error: string | undefined, disabled: boolean, speech: Speech): Html {
  const { t } = speech;
  const id = `s-${s.key}`;
  const duration = s.type === 'int' && isDurationSetting(s.key);
  const range = duration ? ` ${t('From {{range}}; type e.g. {{examples}}.', { range: durationRange(s.key, s.min!, s.max!, speech), examples: durationExamples(s.key, speech) })}` : s.type === 'int' ? ` ${s.min}–${s.max}.` : '';
  const defaultText = duration ? showDuration(s.key, Number(s.default), speech) : s.type === 'enum' ? choiceLabel(String(s.default), speech) : s.type === 'bool' ? (s.default ? t('true') : t('false')) : String(s.default);
  const changed = s.updated_at !== null ? html` ${translateHtml(t, 'Last changed {{time}}.', { time: time(s.updated_at) })}` : '';
  return html`<div class="setting${s.type === 'bool' ? ' setting-bool' : ''}${error ? ' has-error' : ''}">
  <label for="${id}">${t(shownLabel(s.key))}</label>
  <div class="setting-input">${input(s, submitted, error, disabled, speech)}</div>
  <p class="help" id="${id}-help">${t(s.help)}${range} ${translateHtml(t, 'Default: {{value}}.', { value: html`<code>${defaultText}</code>` })}${changed}</p>
  ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ''}
</div>`;
}

async function renderSettings(core: Core, request: FastifyRequest, reply: FastifyReply, state: { submitted?: Submitted; errors?: Record<string, string>; notice?: Notice; status?: number } = {}) {
  const ctx = pageContext(core, request);
  const { t } = ctx;
  const settings = await listSettings(core);
  const canChange = ctx.session.user.is_superuser;
  const groups = [...new Set(settings.map((s) => s.group))];
  const fieldsets = groups.map((group) => html`<fieldset class="card setting-group"><legend>${t(group)}</legend>${settings
    .filter((s) => s.group === group)
    .map((s) => settingRow(s, state.submitted, state.errors?.[s.key], !canChange, ctx))}</fieldset>`);
  const unknown = Object.entries(state.errors ?? {}).filter(([k]) => !isSettingKey(k));
  const body = html`${canChange ? '' : html`<div class="notice notice-info" role="status">${t('Only a superuser may change settings.')}</div>`}
${unknown.length ? html`<div class="notice notice-error" role="alert">${unknown.map(([k, m]) => `${k}: ${m}`).join(' ')}</div>` : ''}
<form method="post" action="/admin/settings" class="settings-form" novalidate>
  ${csrfField(ctx.session)}
  <div class="settings-grid">${fieldsets}</div>
  ${canChange ? html`<div class="form-buttons sticky-buttons"><button type="submit" class="btn btn-primary">${t('Save settings')}</button><span class="muted small">${t('Changes apply at once on every instance and are audited.')}</span></div>` : ''}
</form>`;
  return sendPage(reply, consolePage(ctx, { title: t('Settings'), section: 'settings', notice: state.notice ?? noticeFrom(request.query, t), body }), state.status ?? 200);
}

export function settingsPage(app: FastifyInstance, core: Core): void {
  const config = { renderError: consoleErrorRenderer(core) };
  const guard = consoleGuard(core);

  app.get('/admin/settings', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => renderSettings(core, request, reply));

  app.post('/admin/settings', { schema: { hide: true }, config, preHandler: guard }, async (request, reply) => {
    const actor = consoleActor(request);
    assertAdminLevel(actor.user, 'superuser');
    const speech = consoleSpeech(core, request);
    const form = (request.body ?? {}) as Submitted;
    const { changes, errors: durationErrors } = settingsFromForm(core, form, speech);
    const invalid = (errors: Record<string, string>) =>
      renderSettings(core, request, reply, { submitted: form, errors, notice: { kind: 'error', text: speech.t('Nothing was saved: please correct the highlighted settings.') }, status: 400 });
    if (Object.keys(durationErrors).length) return invalid({ ...translated(otherErrors(changes), speech), ...durationErrors });
    if (Object.keys(changes).length === 0) return redirectWith(reply, '/admin/settings', 'settings_unchanged');
    try {
      await changeSettings(core, actor, changes);
    } catch (err) {
      const errors = fieldMessages(err);
      if (!errors) throw err;
      return invalid(translated(errors, speech));
    }
    return redirectWith(reply, '/admin/settings', 'settings_saved');
  });
}
