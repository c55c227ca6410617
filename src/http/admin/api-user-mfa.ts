import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { resetUserMfa, userFactors, type UserFactors } from '../../core/admin/user-mfa.js';
import { problems } from '../schemas.js';
import { iso } from '../views.js';
import { actorOf, adminApiGuard, adminSecurity, requires } from './admin-auth.js';
import { idParams } from './api-schemas.js';

const tags = ['admin: users'];
const userId = (params: unknown) => Number((params as { id: string }).id);
const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;

const factorsSchema = {
  type: 'object',
  properties: {
    totp: { type: 'object', properties: { enrolled: { type: 'boolean' }, enrolled_at: nullableTime } },
    recovery_codes_left: { type: 'integer' },
    passkeys: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, created_at: { type: 'string', format: 'date-time' }, last_used_at: nullableTime } },
    },
    mfa_required: { type: 'boolean', description: 'a "require MFA" setting applies to the account' },
  },
} as const;

function factorsView(f: UserFactors) {
  return {
    totp: { enrolled: f.totp.enrolled, enrolled_at: iso(f.totp.enrolledAt) ?? null },
    recovery_codes_left: f.recoveryCodesLeft,
    passkeys: f.passkeys.map((p) => ({ id: p.id, name: p.name, created_at: iso(p.createdAt)!, last_used_at: iso(p.lastUsedAt) ?? null })),
    mfa_required: f.required,
  };
}

/** An account's second factors (GET) and their reset (POST), for operators. */
export function adminUserMfaRoutes(app: FastifyInstance, core: Core): void {
  const staff = adminApiGuard(core, 'staff');

  app.get('/v1/admin/users/:id/mfa', {
    schema: { tags, summary: "A user's second factors", description: `No secrets: whether TOTP is enrolled and since when, unused recovery codes, passkey names and last use. ${requires('staff')}`, security: adminSecurity, params: idParams, response: { 200: factorsSchema, ...problems(400, 401, 403, 404) } },
    preHandler: staff,
  }, async (request) => factorsView(await userFactors(core, userId(request.params))));

  app.post('/v1/admin/users/:id/mfa/reset', {
    schema: {
      tags,
      summary: "Remove every second factor of a user",
      description: `For a user who lost their authenticator: TOTP, recovery codes and passkeys are deleted and every session, token and console session of the account ends, in one transaction; audited (admin.mfa_reset) and the user is told by mail. Only a superuser may reset a staff or superuser account. ${requires('staff')}`,
      security: adminSecurity,
      params: idParams,
      response: {
        200: { type: 'object', properties: { totp_removed: { type: 'boolean' }, recovery_codes_removed: { type: 'integer' }, passkeys_removed: { type: 'integer' } } },
        ...problems(400, 401, 403, 404),
      },
    },
    preHandler: staff,
  }, async (request) => {
    const removed = await resetUserMfa(core, actorOf(request), userId(request.params));
    return { totp_removed: removed.totpRemoved, recovery_codes_removed: removed.recoveryCodesRemoved, passkeys_removed: removed.passkeysRemoved };
  });
}
