export { currentArgon2Params, hashPassword, type Argon2Params } from './argon2.js';
export { commonPasswords as loadCommonPasswords } from './common-passwords.js';
export { burnDummyVerify } from './dummy-verify.js';
export { describeUnsupportedHash } from './identify-hash.js';
export type { PasswordValidator, UserAttributes } from './password-validator.js';
export { defaultPolicy, passwordHelpTexts, validatePassword, type PolicyOptions } from './policy.js';
export { verifyPassword, type VerifyResult } from './verify.js';
