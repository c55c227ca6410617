import { emailTakenMessage } from '../../../core/register.js';
import type { DrfErrorOptions, DrfOverride } from '../drf-errors.js';
import { simpleJwtChallenge } from '../simplejwt/errors.js';
import { seedFieldNames } from './views.js';

/**
 * Seed 002's error bodies, as its code answers them (seed-behaviour.md). Its serializers raise
 * `ValidationError({'detail': msg})` inside validate(), which DRF renders as `{"detail": [msg]}`
 * (a list); its check_otp view answers `{"detail": msg}` (a string).
 */
export const errors: DrfErrorOptions = { challenge: simpleJwtChallenge, fieldNames: seedFieldNames };

const detailList = (message: string): DrfOverride => () => ({ status: 400, body: { detail: [message] } });

/** Wrong password, unknown or disabled account, and a locked one: one answer, so none tells which. */
const notValid = detailList('The email or password is not valid .');
const notActivated = detailList('the user is not activated');

/** LoginSerializer.validate(): 400s, never the 401 that would set off a client's refresh-or-logout interceptor. */
export const loginErrors: DrfErrorOptions = {
  ...errors,
  overrides: {
    invalid_credentials: notValid,
    account_inactive: notValid,
    account_locked: notValid,
    account_not_approved: notActivated,
    email_not_verified: notActivated,
    // validate()'s shape, with our words: the seed's client shows the message.
    second_factor_required: (err) => ({ status: 400, body: { detail: [err.message] } }),
    mfa_enrolment_required: (err) => ({ status: 400, body: { detail: [err.message] } }),
  },
};

/**
 * Register and profile updates: a taken email is validate()'s `{"detail": [...]}`. The seed
 * reaches validate() only once every field is valid, so with other field errors those alone answer.
 */
const emailTaken: DrfOverride = (err) => {
  const fields = err.fields ?? {};
  if (!fields.email?.includes(emailTakenMessage)) return undefined;
  const email = fields.email.filter((m) => m !== emailTakenMessage);
  const rest = Object.fromEntries(Object.entries({ ...fields, email }).filter(([, messages]) => messages.length));
  if (Object.keys(rest).length === 0) return { status: 400, body: { detail: ['The user email had been used, try another email'] } };
  return { status: 400, body: Object.fromEntries(Object.entries(rest).map(([field, messages]) => [seedFieldNames[field] ?? field, messages])) };
};

export const accountErrors: DrfErrorOptions = { ...errors, overrides: { validation_failed: emailTaken } };

/** email_request: a malformed address is validate()'s "the email is not valid"; a missing one stays a field error. */
export const emailRequestErrors: DrfErrorOptions = {
  ...errors,
  overrides: {
    validation_failed: (err) => {
      const messages = err.fields?.email;
      if (!messages || messages.includes('This field is required.') || messages.includes('This field may not be blank.')) return undefined;
      return { status: 400, body: { detail: ['the email is not valid'] } };
    },
  },
};

const otpNotValid: DrfOverride = () => ({ status: 400, body: { detail: 'The OTP is not valid' } });

/** The check_otp view's own answers: `{"detail": "…"}` strings. */
export const checkOtpErrors: DrfErrorOptions = {
  ...errors,
  overrides: {
    validation_failed: (err) => {
      const fields = Object.entries(err.fields ?? {});
      if (!fields.length || !fields.every(([f]) => f === 'token' || f === 'otp')) return undefined;
      const missing = fields.some(([, messages]) => messages.some((m) => m === 'This field is required.' || m === 'This field may not be blank.'));
      // The view compares as strings: an OTP sent as a number is simply not valid.
      return { status: 400, body: { detail: missing ? 'The otp and reset password token is required' : 'The OTP is not valid' } };
    },
    // The view's lookup of an unchecked request (an unknown or already checked token) fails first.
    otp_invalid: (err, request) => (err.facts.requestNotFound === true ? { status: 400, body: { detail: 'The OTP is not found' } } : otpNotValid(err, request)),
    otp_expired: otpNotValid,
    // Deliberate: the seed has no attempt limit; past it even the right code reads as not valid.
    otp_attempts_exceeded: otpNotValid,
  },
};

/** reset_password: an unknown, unchecked, used or expired token is validate()'s "The token is not valid". */
export const resetErrors: DrfErrorOptions = {
  ...errors,
  overrides: { reset_token_invalid: detailList('The token is not valid') },
};
