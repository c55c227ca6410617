import { htmlLayout } from './layout.js';
import type { MailTemplate } from './template.js';

/** Variables: code, link, minutes (expiry), name. */
export const passwordReset: MailTemplate = {
  subject: 'Reset your {{product}} password',
  text: `Hello{{#name}} {{name}}{{/name}},

Someone asked to reset the password of your {{product}} account.
{{#code}}
Your code: {{code}}
{{/code}}{{#link}}
Or open this link: {{link}}
{{/link}}{{#minutes}}
This expires in {{minutes}} minutes.
{{/minutes}}
If you did not ask for this, ignore this mail: your password stays as it is.
`,
  html: htmlLayout(`
<p>Hello{{#name}} {{name}}{{/name}},</p>
<p>Someone asked to reset the password of your {{product}} account.</p>
{{#code}}<p>Your code: <strong style="font-size:20px;letter-spacing:2px">{{code}}</strong></p>{{/code}}
{{#link}}<p><a href="{{link}}" style="display:inline-block;padding:10px 16px;background:#2456d3;color:#fff;border-radius:6px;text-decoration:none">Reset password</a></p>
<p style="font-size:13px;color:#666">Or paste this link: {{link}}</p>{{/link}}
{{#minutes}}<p>This expires in {{minutes}} minutes.</p>{{/minutes}}
<p style="font-size:13px;color:#666">If you did not ask for this, ignore this mail: your password stays as it is.</p>
`),
};
