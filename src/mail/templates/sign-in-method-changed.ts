import { htmlLayout } from './layout.js';
import type { MailTemplate } from './template.js';

/**
 * A way to sign in was added to or removed from the account. Variables are facts, not English
 * phrases, so every language words them itself: name; which method — `passkey` (its name) or `totp`
 * (an authenticator app), with `added` or `removed`; or `all` alone (every second factor removed
 * by an administrator); or `recovery_codes` (a new set issued) or `recovery_code_used` with `left`
 * (how many remain). Flags are "1" when they apply. Sections do not nest, so each sentence is flat.
 */
const sentence = '{{#passkey}}A passkey named “{{passkey}}” was just {{/passkey}}{{#totp}}An authenticator app was just {{/totp}}{{#added}}added to{{/added}}{{#removed}}removed from{{/removed}}{{#all}}Every second factor (authenticator app, recovery codes and passkeys) was just removed from{{/all}}{{#recovery_codes}}A new set of recovery codes was just issued for{{/recovery_codes}}{{#recovery_code_used}}A recovery code was just used to sign in to{{/recovery_code_used}} your {{product}} account{{#all}} by an administrator{{/all}}{{#recovery_code_used}} ({{left}} left){{/recovery_code_used}}.';

export const signInMethodChanged: MailTemplate = {
  subject: 'A sign-in method of your {{product}} account changed',
  text: `Hello{{#name}} {{name}}{{/name}},

${sentence}

If you did not do this, change your password now, review your account's sign-in methods and contact your administrator.
`,
  html: htmlLayout(`
<p>Hello{{#name}} {{name}}{{/name}},</p>
<p>${sentence}</p>
<p>If you did not do this, change your password now, review your account's sign-in methods and contact your administrator.</p>
`),
};
