import { AccessTokens } from './access-tokens.js';
import { ApiTokenResolver } from './api-token-resolver.js';
import type { Ctx } from './context.js';
import { KeyRing } from './keys.js';
import type { SecondFactors } from './login/second-factors.js';
import { factorSources, secondFactorsFrom } from './mfa/factor-sources.js';
import { Revocations } from './revocations.js';
import { RuntimeSettings } from './settings.js';
import { UserCache } from './user-cache.js';

/** The product: a context plus the few stateful services every use case shares. */
export interface Core extends Ctx {
  settings: RuntimeSettings;
  keys: KeyRing;
  revocations: Revocations;
  accessTokens: AccessTokens;
  users: UserCache;
  apiTokens: ApiTokenResolver;
  /** GATEHOUSE_SECRET_KEY (or the generated one): keys HMACs of low-entropy secrets such as one-time codes. */
  secretKey: string;
  /** Which further factors an account has enrolled: the login pipeline asks once the password is right. */
  secondFactors: SecondFactors;
}

export async function createCore(ctx: Ctx, secretKey: string): Promise<Core> {
  const settings = new RuntimeSettings(ctx);
  const keys = new KeyRing(ctx, secretKey);
  const revocations = new Revocations(ctx);
  const users = new UserCache(ctx);
  await settings.init();
  await keys.init();
  await revocations.init();
  await users.init();
  const accessTokens = new AccessTokens(ctx, keys, revocations, settings);
  const base = { ...ctx, settings, keys, revocations, accessTokens, users, secretKey, secondFactors: secondFactorsFrom(factorSources) };
  const apiTokens = new ApiTokenResolver(base);
  await apiTokens.init();
  return { ...base, apiTokens };
}
