// @gatehouse/verify: verify Gatehouse access tokens in a resource server, with no network call per request.
export { createVerifier, type Verifier, type VerifierStatus } from './verifier.js';
export { VerifyError, type VerifyErrorCode } from './errors.js';
export type { GatehouseClaims } from './claims.js';
export type { FetchLike, VerifierEvent, VerifierOptions } from './options.js';
export { gatehouseExpress, gatehouseFastify, type RequestLike } from './middleware.js';
