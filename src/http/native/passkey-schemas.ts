/** JSON schemas of the passkey routes: the WebAuthn JSON the browser library sends, the options and the listed passkeys. */

const b64url = (maxLength: number) => ({ type: 'string', pattern: '^[A-Za-z0-9_-]*$', maxLength }) as const;

/** Extension outputs are the authenticator's own (credProps, prf, …): an object, kept small. */
const extensionResults = { type: 'object', maxProperties: 16, additionalProperties: true } as const;

const credentialCommon = {
  id: b64url(1024),
  rawId: b64url(1024),
  type: { type: 'string', enum: ['public-key'] },
  authenticatorAttachment: { type: 'string', enum: ['platform', 'cross-platform'] },
  clientExtensionResults: extensionResults,
} as const;

/** A RegistrationResponseJSON (WebAuthn Level 3 `PublicKeyCredential.toJSON()` of a create()). */
export const registrationResponseSchema = {
  type: 'object',
  description: 'The attestation as `@simplewebauthn/browser` `startRegistration()` (or `PublicKeyCredential.toJSON()`) returns it',
  properties: {
    ...credentialCommon,
    response: {
      type: 'object',
      properties: {
        clientDataJSON: b64url(16_384),
        attestationObject: b64url(65_536),
        authenticatorData: b64url(65_536),
        transports: { type: 'array', maxItems: 8, items: { type: 'string', maxLength: 32 } },
        publicKeyAlgorithm: { type: 'integer' },
        publicKey: b64url(16_384),
      },
      required: ['clientDataJSON', 'attestationObject'],
      additionalProperties: false,
    },
  },
  required: ['id', 'rawId', 'type', 'response', 'clientExtensionResults'],
  additionalProperties: false,
} as const;

/** An AuthenticationResponseJSON (`PublicKeyCredential.toJSON()` of a get()). */
export const authenticationResponseSchema = {
  type: 'object',
  description: 'The assertion as `@simplewebauthn/browser` `startAuthentication()` (or `PublicKeyCredential.toJSON()`) returns it',
  properties: {
    ...credentialCommon,
    response: {
      type: 'object',
      properties: {
        clientDataJSON: b64url(16_384),
        authenticatorData: b64url(65_536),
        signature: b64url(16_384),
        userHandle: b64url(1024),
      },
      required: ['clientDataJSON', 'authenticatorData', 'signature'],
      additionalProperties: false,
    },
  },
  required: ['id', 'rawId', 'type', 'response', 'clientExtensionResults'],
  additionalProperties: false,
} as const;

const descriptor = { type: 'object', properties: { id: { type: 'string' }, type: { type: 'string' }, transports: { type: 'array', items: { type: 'string' } } } } as const;

/** PublicKeyCredentialCreationOptionsJSON: hand it to `startRegistration({ optionsJSON })`. */
export const creationOptionsSchema = {
  type: 'object',
  description: 'PublicKeyCredentialCreationOptionsJSON (WebAuthn Level 3): pass it to `startRegistration({ optionsJSON })` or `PublicKeyCredential.parseCreationOptionsFromJSON`',
  properties: {
    rp: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
    user: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, displayName: { type: 'string' } } },
    challenge: { type: 'string' },
    pubKeyCredParams: { type: 'array', items: { type: 'object', properties: { type: { type: 'string' }, alg: { type: 'integer' } } } },
    timeout: { type: 'integer' },
    excludeCredentials: { type: 'array', items: descriptor },
    authenticatorSelection: {
      type: 'object',
      properties: { authenticatorAttachment: { type: 'string' }, residentKey: { type: 'string' }, requireResidentKey: { type: 'boolean' }, userVerification: { type: 'string' } },
    },
    hints: { type: 'array', items: { type: 'string' } },
    attestation: { type: 'string' },
    extensions: { type: 'object', additionalProperties: true },
  },
} as const;

/** PublicKeyCredentialRequestOptionsJSON: hand it to `startAuthentication({ optionsJSON })`. */
export const requestOptionsSchema = {
  type: 'object',
  description: 'PublicKeyCredentialRequestOptionsJSON (WebAuthn Level 3): pass it to `startAuthentication({ optionsJSON })` or `PublicKeyCredential.parseRequestOptionsFromJSON`',
  properties: {
    challenge: { type: 'string' },
    timeout: { type: 'integer' },
    rpId: { type: 'string' },
    allowCredentials: { type: 'array', items: descriptor },
    userVerification: { type: 'string' },
    hints: { type: 'array', items: { type: 'string' } },
    extensions: { type: 'object', additionalProperties: true },
  },
} as const;

export const passkeySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    last_used_at: { type: ['string', 'null'], format: 'date-time' },
    device_type: { type: 'string', enum: ['singleDevice', 'multiDevice'], description: '`multiDevice`: a synced passkey; `singleDevice`: bound to one authenticator' },
    backed_up: { type: 'boolean' },
    transports: { type: 'array', items: { type: 'string' } },
    aaguid: { type: 'string', description: 'the authenticator model (all zeros when the authenticator does not say)' },
  },
} as const;
