import { htmlLayout } from './layout.js';
import type { MailTemplate } from './template.js';

/** Sent to the old address. Variables: newEmail, name. */
export const emailChangeNotice: MailTemplate = {
  subject: 'The email address of your {{product}} account is changing',
  text: `Hello{{#name}} {{name}}{{/name}},

Someone asked to change the email address of your {{product}} account{{#newEmail}} to {{newEmail}}{{/newEmail}}.
The change takes effect once the new address is confirmed.

If you did not ask for this, change your password now and contact your administrator.
`,
  html: htmlLayout(`
<p>Hello{{#name}} {{name}}{{/name}},</p>
<p>Someone asked to change the email address of your {{product}} account{{#newEmail}} to <strong>{{newEmail}}</strong>{{/newEmail}}.
The change takes effect once the new address is confirmed.</p>
<p>If you did not ask for this, change your password now and contact your administrator.</p>
`),
};
