import type { MailKind } from '../../core/context.js';
import { accountActivated } from './account-activated.js';
import { emailChangeNotice } from './email-change-notice.js';
import { emailVerification } from './email-verification.js';
import { invitation } from './invitation.js';
import { passwordChanged } from './password-changed.js';
import { passwordReset } from './password-reset.js';
import { signInMethodChanged } from './sign-in-method-changed.js';
import type { MailTemplate } from './template.js';

/** Built-ins live in TS modules so `tsc` ships them in dist/ with no copy step. */
export const builtInTemplates: Readonly<Record<MailKind, MailTemplate>> = {
  password_reset: passwordReset,
  password_changed: passwordChanged,
  email_verification: emailVerification,
  email_change_notice: emailChangeNotice,
  account_activated: accountActivated,
  sign_in_method_changed: signInMethodChanged,
  invitation,
};

export const mailKinds = Object.keys(builtInTemplates) as MailKind[];
