import { AccessTokens } from './access-tokens.js';
import { ApiTokenResolver } from './api-token-resolver.js';
import type { Ctx } from './context.js';
import { KeyRing } from './keys.js';
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
  const base = { ...ctx, settings, keys, revocations, accessTokens, users, secretKey };
  const apiTokens = new ApiTokenResolver(base);
  await apiTokens.init();
  return { ...base, apiTokens };
}
