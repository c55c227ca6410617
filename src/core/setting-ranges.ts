const day = 86400;

/**
 * Ranges of the runtime settings whose initial value comes from an environment variable. A leaf
 * module (it imports nothing): config.ts checks those variables against the same ranges the
 * console enforces (core/settings.ts) without importing the core.
 */
export const variableSettingRanges = {
  access_token_ttl: { min: 10, max: day },
  refresh_token_ttl: { min: 60, max: 365 * day },
  password_min_length: { min: 1, max: 128 },
} as const;
