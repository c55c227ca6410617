import { str } from '../schemas.js';

/** The optional `code` of a sensitive change's body (core/mfa/step-up.ts): the app's 6 digits or a recovery code. */
export const stepUpCode = {
  ...str(64),
  description: 'for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code',
} as const;

/** The sentence each sensitive route's description ends with. */
export const stepUpRule =
  ' Step-up: an account with a second factor also needs a fresh one, either this session signed in with it within `mfa_step_up_window` seconds (600 by default) or `code` (a current authenticator-app code or an unused recovery code); otherwise 403 `step_up_required`, with `factors` naming what `code` may be. A passkey-only account signs in again with its passkey.';
