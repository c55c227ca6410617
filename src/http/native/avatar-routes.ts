import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { deleteAvatar, getAvatar, setAvatar } from '../../core/avatar.js';
import { AuthError } from '../../core/errors.js';
import { principal, requireSession } from '../auth.js';
import { problems } from '../schemas.js';
import { publicUser } from '../views.js';
import { ref } from '../schemas.js';
import { embeddableAnywhere } from '../security-headers.js';

/** The types an avatar is served as: those `sniffImageType` (core/avatar.ts) recognises. */
const avatarTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** The uploaded file of a multipart body: the `avatar` field, or the only file sent. */
function uploadedFile(body: unknown): Buffer {
  if (!body || typeof body !== 'object') throw new AuthError('validation_failed', undefined, { avatar: ['No file was submitted.'] });
  const values = body as Record<string, unknown>;
  const file = values.avatar ?? Object.values(values).find((v) => Buffer.isBuffer(v));
  if (!Buffer.isBuffer(file)) throw new AuthError('validation_failed', undefined, { avatar: ['No file was submitted. Send multipart/form-data with an `avatar` file.'] });
  return file;
}

/** If-None-Match as RFC 9110 reads it: `*`, or a list of tags compared weakly (a `W/` prefix does not matter). */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

export function nativeAvatarRoutes(app: FastifyInstance, core: Core): void {
  const session = requireSession(core);

  app.put('/v1/me/avatar', {
    schema: {
      tags: ['me'],
      summary: 'Upload your avatar',
      description: 'multipart/form-data with an `avatar` file (PNG, JPEG, GIF or WebP; the type is read from the bytes).',
      consumes: ['multipart/form-data'],
      security: [{ bearer: [] }],
      response: { 200: ref('PublicUser'), ...problems(400, 401, 403, 413, 415) },
    },
    bodyLimit: core.config.avatarMaxBytes + 64 * 1024,
    preHandler: session,
  }, async (request) => {
    if (!request.isMultipart()) throw new AuthError('unsupported_media_type', 'Send the image as multipart/form-data.');
    const p = principal(request);
    const avatar = await setAvatar(core, p.user.id, uploadedFile(request.body));
    return publicUser({ ...p.user, avatar_etag: avatar.etag }, core.config.publicUrl);
  });

  app.delete('/v1/me/avatar', {
    schema: { tags: ['me'], summary: 'Remove your avatar', security: [{ bearer: [] }], response: { 204: { type: 'null' }, ...problems(401, 403, 404) } },
    preHandler: session,
  }, async (request, reply) => {
    if (!(await deleteAvatar(core, principal(request).user.id))) throw new AuthError('not_found', 'You have no avatar.');
    return reply.code(204).send();
  });

  app.get('/v1/users/:id/avatar', {
    schema: {
      tags: ['me'],
      summary: "A user's avatar image",
      description: 'Public, cacheable, with an ETag (answers 304 to a matching If-None-Match).',
      params: { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$' } }, required: ['id'] },
      response: {
        200: {
          description: 'The image, in the type read from its bytes when it was uploaded',
          headers: { etag: { type: 'string' }, 'cache-control': { type: 'string' } },
          content: Object.fromEntries(avatarTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
        },
        304: { description: 'Not modified: `If-None-Match` names the current ETag', type: 'null' },
        ...problems(400, 404),
      },
    },
  }, async (request, reply) => {
    const avatar = await getAvatar(core, Number((request.params as { id: string }).id));
    if (!avatar) throw new AuthError('not_found', 'No avatar.');
    // Shown by other sites' <img> tags: not held to the server-wide same-origin resource policy.
    embeddableAnywhere(reply).header('etag', avatar.etag).header('cache-control', 'public, max-age=60, must-revalidate');
    if (etagMatches(request.headers['if-none-match'], avatar.etag)) return reply.code(304).send();
    return reply.type(avatar.contentType).send(Buffer.from(avatar.data));
  });
}
