import { htmlLayout } from './layout.js';
import type { MailTemplate } from './template.js';

/** Variables: code, link, minutes (expiry), name. */
export const emailVerification: MailTemplate = {
  subject: 'Confirm your email address for {{product}}',
  text: `Hello{{#name}} {{name}}{{/name}},

Please confirm that {{to}} is your email address for {{product}}.
{{#code}}
Your code: {{code}}
{{/code}}{{#link}}
Or open this link: {{link}}
{{/link}}{{#minutes}}
This expires in {{minutes}} minutes.
{{/minutes}}
If you did not sign up, ignore this mail.
`,
  html: htmlLayout(`
<p>Hello{{#name}} {{name}}{{/name}},</p>
<p>Please confirm that {{to}} is your email address for {{product}}.</p>
{{#code}}<p>Your code: <strong style="font-size:20px;letter-spacing:2px">{{code}}</strong></p>{{/code}}
{{#link}}<p><a href="{{link}}" style="display:inline-block;padding:10px 16px;background:#2456d3;color:#fff;border-radius:6px;text-decoration:none">Confirm email</a></p>
<p style="font-size:13px;color:#666">Or paste this link: {{link}}</p>{{/link}}
{{#minutes}}<p>This expires in {{minutes}} minutes.</p>{{/minutes}}
<p style="font-size:13px;color:#666">If you did not sign up, ignore this mail.</p>
`),
};
