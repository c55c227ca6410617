import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A software WebAuthn authenticator and client in Node: it builds real attestations ("none" format,
 * ES256 keys) and real signed assertions over what a browser would send, so API tests exercise the
 * server's verification without a browser. It is the client side of the ceremony (as Chromium's
 * virtual authenticator is in test/mfa/passkey-browser.test.ts), not a stand-in for the server.
 */

type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor> | Record<string, unknown>;

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 255]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

/** Minimal CBOR encoder: unsigned and negative integers, byte and text strings, arrays, maps. */
export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v as Cbor)])]);
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

export interface SoftCredential {
  id: Buffer;
  privateKey: KeyObject;
  rpId: string;
  userHandle: string;
  counter: number;
}

export interface SoftOptions {
  /** Report user verification (default true). */
  userVerified?: boolean;
  /** Flags the credential as backed up / multi-device (default false). */
  backedUp?: boolean;
  /** Start the counter here (default 0: an authenticator that keeps none). */
  counter?: number;
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  constructor(readonly origin: string) {}

  private flags(o: SoftOptions, attested: boolean): number {
    return 0x01 | (o.userVerified === false ? 0 : 0x04) | (o.backedUp ? 0x18 : 0) | (attested ? 0x40 : 0);
  }

  private clientData(type: string, challenge: string, origin = this.origin): string {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false })).toString('base64url');
  }

  /** navigator.credentials.create(): a new ES256 credential for the options' RP and user, as RegistrationResponseJSON. */
  create(options: { challenge: string; rp: { id?: string }; user: { id: string } }, o: SoftOptions & { origin?: string; rpId?: string; reuse?: SoftCredential } = {}) {
    const rpId = o.rpId ?? options.rp.id ?? new URL(this.origin).hostname;
    const { privateKey, publicKey } = o.reuse ? { privateKey: o.reuse.privateKey, publicKey: createPublicKey(o.reuse.privateKey) } : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
    const id = o.reuse?.id ?? randomBytes(16);
    const counter = o.counter ?? 0;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    const idLen = Buffer.from([id.length >> 8, id.length & 255]);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([this.flags(o, true)]), count, Buffer.alloc(16), idLen, id, cose]);
    const attestationObject = cbor({ fmt: 'none', attStmt: new Map(), authData });
    const credential: SoftCredential = { id, privateKey, rpId, userHandle: options.user.id, counter };
    this.credentials.push(credential);
    return {
      credential,
      response: {
        id: id.toString('base64url'),
        rawId: id.toString('base64url'),
        type: 'public-key' as const,
        clientExtensionResults: {},
        authenticatorAttachment: 'platform' as const,
        response: {
          clientDataJSON: this.clientData('webauthn.create', options.challenge, o.origin),
          attestationObject: attestationObject.toString('base64url'),
          transports: ['internal'],
        },
      },
    };
  }

  /** navigator.credentials.get(): an assertion by `credential` (default: the newest) over the options' challenge. */
  get(options: { challenge: string }, o: SoftOptions & { credential?: SoftCredential; origin?: string; signCount?: number; rpId?: string; userHandle?: string | null } = {}) {
    const credential = o.credential ?? this.credentials.at(-1);
    if (!credential) throw new Error('no credential');
    if (o.signCount === undefined) {
      if (credential.counter > 0) credential.counter += 1;
    } else credential.counter = o.signCount;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(credential.counter);
    const authData = Buffer.concat([sha256(o.rpId ?? credential.rpId), Buffer.from([this.flags(o, false)]), count]);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, o.origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(Buffer.from(clientDataJSON, 'base64url'))]), credential.privateKey);
    const userHandle = o.userHandle === undefined ? credential.userHandle : o.userHandle;
    return {
      id: credential.id.toString('base64url'),
      rawId: credential.id.toString('base64url'),
      type: 'public-key' as const,
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
      response: {
        clientDataJSON,
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        ...(userHandle === null ? {} : { userHandle }),
      },
    };
  }
}
