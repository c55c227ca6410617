import { htmlLayout } from './layout.js';
import type { MailTemplate } from './template.js';

/** Variables: link (set-password page), days (expiry), name, inviter (who sent it, always set). */
export const invitation: MailTemplate = {
  subject: 'You are invited to {{product}}',
  text: `Hello{{#name}} {{name}}{{/name}},

{{inviter}} created a {{product}} account for {{to}}.
Choose your password here: {{link}}
{{#days}}
This link works for {{days}} days.
{{/days}}
If you did not expect this, ignore this mail: nobody can sign in to the account until a password is chosen.
`,
  html: htmlLayout(`
<p>Hello{{#name}} {{name}}{{/name}},</p>
<p>{{inviter}} created a {{product}} account for {{to}}.</p>
<p><a href="{{link}}" style="display:inline-block;padding:10px 16px;background:#2456d3;color:#fff;border-radius:6px;text-decoration:none">Choose your password</a></p>
<p style="font-size:13px;color:#666">Or paste this link: {{link}}</p>
{{#days}}<p>This link works for {{days}} days.</p>{{/days}}
<p style="font-size:13px;color:#666">If you did not expect this, ignore this mail: nobody can sign in to the account until a password is chosen.</p>
`),
};
