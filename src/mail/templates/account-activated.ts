import { htmlLayout } from './layout.js';
import type { MailTemplate } from './template.js';

/** Variables: link (where to sign in, optional), name. */
export const accountActivated: MailTemplate = {
  subject: 'Your {{product}} account is active',
  text: `Hello{{#name}} {{name}}{{/name}},

Your {{product}} account is now active. You can sign in{{#link}} at {{link}}{{/link}}.
`,
  html: htmlLayout(`
<p>Hello{{#name}} {{name}}{{/name}},</p>
<p>Your {{product}} account is now active. You can sign in{{#link}} at <a href="{{link}}">{{link}}</a>{{/link}}.</p>
`),
};
