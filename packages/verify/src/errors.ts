/** Why a token was refused. */
export type VerifyErrorCode = 'malformed' | 'bad_signature' | 'expired' | 'wrong_issuer' | 'wrong_audience' | 'revoked' | 'feed_unavailable';

/**
 * A refused token. `status` is what a resource server should answer: 401 for the token's own
 * faults, 503 when the verifier cannot vouch for any token (the feed or the keys are out of reach).
 */
export class VerifyError extends Error {
  override readonly name = 'VerifyError';

  constructor(
    readonly code: VerifyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get status(): 401 | 503 {
    return this.code === 'feed_unavailable' ? 503 : 401;
  }
}
