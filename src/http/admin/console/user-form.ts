import type { AdminUserInput } from '../../../core/admin/user-admin.js';
import { profileFields } from '../../../core/users/profile.js';
import type { Translate } from '../../../i18n/index.js';
import { html, type Html } from './html.js';

/** Values a user form shows: the account's, or what was just submitted. */
export type FormValues = Record<string, string | boolean | null | undefined>;
export type FormErrors = Record<string, string> | undefined;

/** Each profile field: its label (an English msgid, rendered through `t`), input type and autocomplete. */
export const profileLabels: Readonly<Record<string, [label: string, type: string, autocomplete: string]>> = {
  username: ['Username', 'text', 'username'],
  email: ['Email', 'email', 'email'],
  first_name: ['First name', 'text', 'given-name'],
  last_name: ['Last name', 'text', 'family-name'],
  phone_number: ['Phone number', 'tel', 'tel'],
  date_of_birth: ['Date of birth', 'date', 'bday'],
  gender: ['Gender', 'text', 'off'],
};

function errorFor(errors: FormErrors, name: string): Html {
  const message = errors?.[name];
  return message ? html`<p class="field-error" id="${name}-error">${message}</p>` : html``;
}

function described(errors: FormErrors, name: string, help?: string): Html {
  const ids = [help ? `${name}-help` : '', errors?.[name] ? `${name}-error` : ''].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"${errors?.[name] ? html` aria-invalid="true"` : ''}` : html``;
}

export function textField(name: string, label: string, value: unknown, errors: FormErrors, opts: { type?: string; autocomplete?: string; required?: boolean; help?: string; maxlength?: number } = {}): Html {
  return html`<div class="field${errors?.[name] ? ' has-error' : ''}">
  <label for="u-${name}">${label}${opts.required ? html` <span class="req" aria-hidden="true">*</span>` : ''}</label>
  <input id="u-${name}" name="${name}" type="${opts.type ?? 'text'}" value="${typeof value === 'string' ? value : ''}" autocomplete="${opts.autocomplete ?? 'off'}"${opts.required ? html` required` : ''}${opts.maxlength ? html` maxlength="${opts.maxlength}"` : ''}${described(errors, name, opts.help)}>
  ${opts.help ? html`<p class="help" id="${name}-help">${opts.help}</p>` : ''}${errorFor(errors, name)}
</div>`;
}

export function checkbox(name: string, label: string, checked: boolean, errors: FormErrors, opts: { disabled?: boolean; help?: string } = {}): Html {
  return html`<div class="check-field${errors?.[name] ? ' has-error' : ''}">
  <input id="u-${name}" name="${name}" type="checkbox" value="on"${checked ? html` checked` : ''}${opts.disabled ? html` disabled` : ''}${described(errors, name, opts.help)}>
  <label for="u-${name}">${label}</label>
  ${opts.help ? html`<p class="help" id="${name}-help">${opts.help}</p>` : ''}${errorFor(errors, name)}
</div>`;
}

/** The profile inputs shared by the create and edit forms. */
export function profileInputs(t: Translate, values: FormValues, errors: FormErrors): Html {
  const fields = Object.entries(profileLabels).map(([name, [label, type, autocomplete]]) =>
    textField(name, t(label), values[name], errors, { type, autocomplete, maxlength: name === 'email' ? 254 : name === 'date_of_birth' ? 10 : 150 }),
  );
  return html`<div class="grid-2">${fields}</div>
<div class="field${errors?.bio ? ' has-error' : ''}">
  <label for="u-bio">${t('Bio')}</label>
  <textarea id="u-bio" name="bio" rows="3" maxlength="2000"${described(errors, 'bio')}>${typeof values.bio === 'string' ? values.bio : ''}</textarea>${errorFor(errors, 'bio')}
</div>`;
}

/** The flag checkboxes; staff flags only for a superuser. */
export function flagInputs(t: Translate, values: FormValues, errors: FormErrors, canGrant: boolean): Html {
  return html`<fieldset class="flags"><legend>${t('Flags')}</legend>
  ${checkbox('is_active', t('Active'), values.is_active === true, errors, { help: t('Unchecking deactivates: sessions and tokens stop working at once.') })}
  ${checkbox('email_verified', t('Email verified'), values.email_verified === true, errors)}
  ${checkbox('is_staff', t('Staff (may use this console)'), values.is_staff === true, errors, { disabled: !canGrant })}
  ${checkbox('is_superuser', t('Superuser (may change settings and staff)'), values.is_superuser === true, errors, { disabled: !canGrant, help: canGrant ? undefined : t('Only a superuser may change these two flags.') })}
</fieldset>`;
}

/**
 * Reads a submitted user form. Text fields come as strings; a checkbox is present only when
 * ticked, so flags are read as booleans (staff flags only when the form offered them).
 */
export function userInputFromForm(form: Record<string, unknown>, canGrant: boolean): AdminUserInput {
  const input: Record<string, unknown> = {};
  for (const field of profileFields) {
    const value = form[field];
    if (typeof value === 'string') input[field] = field === 'date_of_birth' && value === '' ? null : value;
  }
  const flags = canGrant ? ['is_active', 'email_verified', 'is_staff', 'is_superuser'] : ['is_active', 'email_verified'];
  for (const flag of flags) input[flag] = form[flag] === 'on';
  return input as AdminUserInput;
}

/** Submitted values back into a form after a validation error. */
export function valuesFromForm(form: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries(form)) if (typeof v === 'string' && k !== '_csrf' && k !== 'password') out[k] = k.startsWith('is_') || k === 'email_verified' ? v === 'on' : v;
  return out;
}
