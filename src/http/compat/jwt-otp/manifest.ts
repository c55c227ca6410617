import type { ProfileManifest } from '../profile-manifest.js';

/** Seed 002 activates accounts by hand: with its profile enabled, admin activation is the default. */
export const jwtOtpManifest = { name: 'jwt-otp', defaults: { activation: 'admin' } } as const satisfies ProfileManifest;
