import { generateKeyPair, generateKeyPairSync, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { exportJWK, importJWK, type JWK } from 'jose';
import type { JwtAlg } from '../config.js';
import { insertSigningKey, loadSigningKeys, retireSigningKeysExcept } from '../store/signing-keys-repo.js';
import type { Ctx } from './context.js';
import { hmacKey, hs256Secret, seal, unseal } from './secrets.js';

type JoseKey = Awaited<ReturnType<typeof importJWK>>;

/** RS256 signs OpenID Connect ID tokens only (many relying parties accept nothing else); access tokens keep `GATEHOUSE_JWT_ALG`. */
export const idTokenAlg = 'RS256';
type KeyAlg = JwtAlg | typeof idTokenAlg;

export interface SigningKey {
  kid: string;
  alg: KeyAlg;
  signing: JoseKey;
  verifying: JoseKey;
  publicJwk?: JWK;
  retiredAt: number | null;
  expiresAt: number | null;
}

/** What the key ring needs: the keys' table, the configured algorithm, the time, a log for background reloads that fail. */
export type KeyRingCtx = Pick<Ctx, 'db' | 'config' | 'clock' | 'log'>;

const sealPurpose = 'signing-key';
const generateRsa = promisify(generateKeyPair);
const reloadEveryMs = 60_000;

/**
 * Signing keys live in the database (private parts sealed with the secret key), so
 * every instance sharing the database and secret signs and verifies alike.
 */
export class KeyRing {
  private keys = new Map<string, SigningKey>();
  private current: SigningKey | undefined;
  /** The RS256 key ID tokens are signed with, once the OpenID provider asked for one (ensureIdTokenKey). */
  private currentIdKey: SigningKey | undefined;
  private loadedAt = 0;
  private reloading: Promise<void> | undefined;

  constructor(
    private readonly ctx: KeyRingCtx,
    private readonly secret: string,
  ) {}

  get alg(): JwtAlg {
    return this.ctx.config.jwtAlg;
  }

  /** Loads keys, creating the first EdDSA key when there is none. */
  async init(): Promise<void> {
    if (this.alg === 'HS256') {
      const key = hmacKey(hs256Secret(this.ctx.config.jwtSecret, this.secret));
      this.current = { kid: 'hs256', alg: 'HS256', signing: key, verifying: key, retiredAt: null, expiresAt: null };
      this.keys.set('hs256', this.current);
      return;
    }
    await this.load();
    if (!this.current) {
      await this.createKey();
      await this.load();
    }
  }

  signingKey(): SigningKey {
    if (!this.current) throw new Error('key ring not initialised');
    if (this.alg === 'EdDSA' && this.ctx.clock.now() - this.loadedAt > reloadEveryMs) {
      // Nobody awaits this reload: a failure is logged (unhandled, it would end the process) and the keys in hand keep signing.
      this.reload().catch((err: unknown) => this.ctx.log.error({ err }, 'signing keys: background reload failed; signing with the keys loaded before'));
    }
    return this.current;
  }

  /**
   * Makes sure an RS256 key exists (the OpenID provider's ID tokens): created on first use, so a
   * deployment without OpenID clients publishes none. It rotates with the access-token key.
   */
  async ensureIdTokenKey(): Promise<void> {
    await this.load();
    if (this.currentIdKey) return;
    await this.createKey(idTokenAlg);
    await this.load();
  }

  /** The RS256 key that signs ID tokens now (reloaded in the background like signingKey). */
  idTokenKey(): SigningKey {
    if (!this.currentIdKey) throw new Error('no ID token key: call ensureIdTokenKey first');
    if (this.ctx.clock.now() - this.loadedAt > reloadEveryMs) {
      this.reload().catch((err: unknown) => this.ctx.log.error({ err }, 'signing keys: background reload failed; signing with the keys loaded before'));
    }
    return this.currentIdKey;
  }

  /** The key for a token's `kid`; reloads once from the database for a kid signed by a newer instance. */
  async verifyingKey(kid: string | undefined): Promise<SigningKey | undefined> {
    if (kid === undefined) return undefined;
    const ofAlg = (k: SigningKey | undefined) => (k?.alg === this.alg ? k : undefined);
    const known = ofAlg(this.keys.get(kid));
    if (known || this.alg === 'HS256') return known;
    if (this.ctx.clock.now() - this.loadedAt < 1000) return undefined;
    await this.reload();
    return ofAlg(this.keys.get(kid));
  }

  knownKey(kid: string | undefined): SigningKey | undefined {
    return kid === undefined ? undefined : this.keys.get(kid);
  }

  /** Public keys still published: current and retired ones whose tokens may still be alive. */
  jwks(): { keys: JWK[] } {
    const now = this.ctx.clock.now();
    const keys = [...this.keys.values()]
      .filter((k) => k.publicJwk && (k.expiresAt === null || k.expiresAt > now))
      .map((k) => ({ ...k.publicJwk!, kid: k.kid, alg: k.alg, use: 'sig' }));
    return { keys };
  }

  /** New key signs from now on; the old one verifies until every token it signed has expired. */
  async rotate(maxAccessTtlSeconds: number): Promise<string> {
    const now = this.ctx.clock.now();
    const kid = await this.createKey('EdDSA');
    // The ID-token key rotates with it, when there is one; an ID token lives no longer than an access token.
    const kids = this.currentIdKey ? [kid, await this.createKey(idTokenAlg)] : [kid];
    await retireSigningKeysExcept(this.ctx.db, kids, now, now + (maxAccessTtlSeconds + 60) * 1000);
    await this.load();
    return kid;
  }

  private reload(): Promise<void> {
    this.reloading ??= this.load().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async createKey(alg: 'EdDSA' | typeof idTokenAlg = 'EdDSA'): Promise<string> {
    const { privateKey, publicKey } = alg === 'EdDSA' ? generateKeyPairSync('ed25519') : await generateRsa('rsa', { modulusLength: 2048 });
    const kid = `${new Date(this.ctx.clock.now()).toISOString().slice(0, 10)}-${randomBytes(6).toString('hex')}`;
    const publicJwk = await exportJWK(publicKey);
    const privateJwk = await exportJWK(privateKey);
    await insertSigningKey(this.ctx.db, {
      kid,
      alg,
      public_jwk: JSON.stringify(publicJwk),
      private_enc: seal(this.secret, sealPurpose, JSON.stringify(privateJwk)),
      created_at: this.ctx.clock.now(),
      retired_at: null,
      expires_at: null,
    });
    return kid;
  }

  private async load(): Promise<void> {
    const hs = this.alg === 'HS256';
    const rows = [...(hs ? [] : await loadSigningKeys(this.ctx.db, 'EdDSA')), ...await loadSigningKeys(this.ctx.db, idTokenAlg)];
    const now = this.ctx.clock.now();
    // HS256 mode keeps its one symmetric key; asymmetric keys come from the table.
    const next = new Map<string, SigningKey>(hs ? [...this.keys].filter(([, k]) => k.alg === 'HS256') : []);
    let current: SigningKey | undefined = hs ? this.current : undefined;
    let currentIdKey: SigningKey | undefined;
    for (const row of rows) {
      if (row.expires_at !== null && row.expires_at <= now) continue;
      const publicJwk = JSON.parse(row.public_jwk) as JWK;
      let privateJwk: JWK;
      try {
        privateJwk = JSON.parse(unseal(this.secret, sealPurpose, row.private_enc)) as JWK;
      } catch {
        throw new Error(`signing key ${row.kid} cannot be decrypted: GATEHOUSE_SECRET_KEY differs from the one that created it`);
      }
      const alg = row.alg as 'EdDSA' | typeof idTokenAlg;
      const key: SigningKey = {
        kid: row.kid,
        alg,
        signing: await importJWK(privateJwk, alg),
        verifying: await importJWK(publicJwk, alg),
        publicJwk,
        retiredAt: row.retired_at,
        expiresAt: row.expires_at,
      };
      next.set(row.kid, key);
      if (row.retired_at === null && alg === 'EdDSA') current = key;
      if (row.retired_at === null && alg === idTokenAlg) currentIdKey = key;
    }
    this.keys = next;
    this.current = current;
    this.currentIdKey = currentIdKey;
    this.loadedAt = now;
  }
}
