import { htmlLayout } from './layout.js';
import type { MailTemplate } from './template.js';

/** Variables: name. */
export const passwordChanged: MailTemplate = {
  subject: 'Your {{product}} password was changed',
  text: `Hello{{#name}} {{name}}{{/name}},

The password of your {{product}} account was just changed, and your other sessions were signed out.

If you did not do this, reset your password now and contact your administrator.
`,
  html: htmlLayout(`
<p>Hello{{#name}} {{name}}{{/name}},</p>
<p>The password of your {{product}} account was just changed, and your other sessions were signed out.</p>
<p>If you did not do this, reset your password now and contact your administrator.</p>
`),
};
