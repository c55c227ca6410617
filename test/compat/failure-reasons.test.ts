import { describe, expect, it } from 'vitest';
import { credentialError, errorCatalog, failureReasons } from '../../src/core/errors.js';
import { loginFailureReasons, loginRefusal } from '../../src/core/login.js';
import { customJwtWords } from '../../src/http/compat/authentication.js';
import { loginErrors as jwtOtpLoginErrors } from '../../src/http/compat/jwt-otp/errors.js';
import { bearerFailureBody, obtainErrors, tokenErrorMessages } from '../../src/http/compat/simplejwt/errors.js';

// Renderers word failures by their typed reason; a reason one of them forgets would fall through to
// another's words. Each list below is the whole union, so a new reason must be mapped everywhere.
describe('failure reasons', () => {
  it.each(failureReasons)('every renderer words the credential reason %s', (reason) => {
    const err = credentialError('invalid_token', reason);
    expect(tokenErrorMessages[reason]).toMatch(/^Token /);
    expect(customJwtWords[reason]).toMatch(/\w/);
    const body = bearerFailureBody(err) as { detail: string; code: string };
    expect(body.detail).toMatch(/\w/);
    expect(body.code).toMatch(/^(token_not_valid|user_not_found|user_inactive)$/);
  });

  it('SimpleJWT tells a deleted or disabled account and a wrong-type token from the rest', () => {
    expect(bearerFailureBody(credentialError('session_revoked', 'user_not_found'))).toEqual({ detail: 'User not found', code: 'user_not_found' });
    expect(bearerFailureBody(credentialError('invalid_token', 'user_inactive'))).toEqual({ detail: 'User is inactive', code: 'user_inactive' });
    expect(tokenErrorMessages.wrong_type).toBe('Token has wrong type');
    expect(tokenErrorMessages.expired).toBe('Token is invalid or expired');
  });

  it.each(loginFailureReasons)('every login route renders the login failure %s with its seed words', (reason) => {
    const err = loginRefusal(reason);
    expect(errorCatalog[err.code]).toBeDefined();
    expect(obtainErrors.overrides?.[err.code], 'simplejwt obtain').toBeDefined();
    expect(jwtOtpLoginErrors.overrides?.[err.code], 'jwt-otp login').toBeDefined();
  });

  it('the credential failures of a login share one answer, whatever the reason', () => {
    const codes = new Set((['unknown_account', 'password_too_long', 'locked', 'wrong_password'] as const).map((r) => loginRefusal(r).code));
    expect([...codes]).toEqual(['invalid_credentials']);
    expect(loginRefusal('account_not_approved').code).toBe('account_not_approved');
  });
});
