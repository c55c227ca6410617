/** One mail's three parts, each with `{{name}}` placeholders (see render.ts). */
export interface MailTemplate {
  subject: string;
  text: string;
  html: string;
}
