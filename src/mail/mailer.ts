import type { Config } from '../config.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Db, MailKind, Mailer, MailRequest } from '../core/context.js';
import { isEmail } from '../core/users/normalize.js';
import { insertOutboxMail } from '../store/outbox-repo.js';
import type { TemplateVars } from './render.js';
import { localeOf } from '../core/locales.js';
import { loadTemplates, renderMail, type LocalizedTemplates, type RenderedMail } from './templates.js';

export interface MailerOptions {
  clock?: Clock;
  /** Defaults to the built-ins with `config.mailTemplatesDir` overrides. */
  templates?: LocalizedTemplates;
  /**
   * Called after each enqueue (the app wires `worker.notify`). The caller's transaction has
   * not committed yet, so the worker's notify waits a moment; its poll is the backstop.
   */
  onEnqueue?: () => void;
}

/** Link templates the mailer fills from `data.token` when the core passes a token and no link. */
const linkTemplates: Partial<Record<MailKind, (config: Config) => string>> = {
  password_reset: (config) => config.resetUrlTemplate,
  // An invitation's link is a reset link: the page sets the account's first password.
  invitation: (config) => config.resetUrlTemplate,
  email_verification: (config) => config.verifyUrlTemplate,
};

/**
 * Renders mail and writes it to the outbox through the caller's `db` (usually its transaction):
 * a rolled-back request leaves no mail, a committed one leaves a row the worker will deliver.
 *
 * Variables every template gets: `product`, `publicUrl`, `to`, plus the request's `data`
 * (`name`, `code`, `link` or `token`, `minutes`, `newEmail`, …).
 */
export function createMailer(config: Config, options: MailerOptions = {}): Mailer & { render(mail: MailRequest): RenderedMail } {
  const clock = options.clock ?? systemClock;
  const templates = options.templates ?? loadTemplates(config.mailTemplatesDir);

  const render = (mail: MailRequest): RenderedMail => {
    const template = templates[localeOf(mail.locale) ?? config.defaultLocale][mail.kind];
    if (template === undefined) throw new Error(`unknown mail kind "${mail.kind}"`);
    const vars: Record<string, string | undefined> = { product: config.productName, publicUrl: config.publicUrl, to: mail.to, ...mail.data };
    const linkTemplate = linkTemplates[mail.kind];
    if (!vars.link && vars.token && linkTemplate) vars.link = linkTemplate(config).replaceAll('{token}', encodeURIComponent(vars.token));
    return renderMail(template, vars as TemplateVars);
  };

  return {
    render,
    async enqueue(db: Db, mail: MailRequest): Promise<void> {
      const to = mail.to.trim();
      // A recipient is one address: an empty one or a header break is a caller bug, not a mail.
      if (to === '' || /[\r\n]/.test(to)) throw new Error('mail recipient must be one non-empty address');
      // Every address we accept passes the one email rule; only an imported one kept as unusable does not, and it is never mailed.
      if (!isEmail(to)) return;
      await insertOutboxMail(db, { kind: mail.kind, to, ...render({ ...mail, to }) }, clock.now());
      options.onEnqueue?.();
    },
  };
}
