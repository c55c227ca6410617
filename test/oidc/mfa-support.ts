import { Secret, TOTP } from 'otpauth';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../src/core/mfa/totp-enrolment.js';
import type { TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';

const meta = { ip: '127.0.0.1', userAgent: 'test' };

/** The client side: a real TOTP computation, as an authenticator app does it (ms on the app's clock). */
export const codeAt = (secret: string, ms: number) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: ms });

/** A new account with a confirmed authenticator app; the clock is moved past the confirming code's step. */
export async function totpAccount(app: TestApp, fields: Record<string, unknown> = {}) {
  const { user } = await app.signUp(fields);
  const { secret } = await startTotpEnrolment(app.core, user.id, { current_password: testPassword }, meta);
  const { recoveryCodes } = await confirmTotpEnrolment(app.core, user.id, { code: codeAt(secret, app.clock.now()) }, meta);
  app.clock.advance(90);
  return { user: user as { id: number; username: string; email: string }, secret, recoveryCodes, code: () => codeAt(secret, app.clock.now()) };
}

/** The sealed mfa_token of a second-factor page: its form field, or the passkey button's attribute (a passkey-only account). */
export function mfaFieldOf(page: string): string {
  const found = /(?:name="mfa_token" value|data-mfa-token)="([^"]+)"/.exec(page);
  if (!found) throw new Error(`no mfa_token field in page: ${page.slice(0, 400)}`);
  return found[1]!;
}
