import type { User } from '../../../core/users/user.js';
import { drfDateTime } from '../views.js';

/** Seed 000's UserSerializer, without the password hash its README shows. */
export function userView(user: User) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    first_name: user.first_name,
    last_name: user.last_name,
    is_active: user.is_active,
    date_joined: drfDateTime(user.date_joined),
  };
}

export const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    email: { type: 'string' },
    first_name: { type: 'string' },
    last_name: { type: 'string' },
    is_active: { type: 'boolean' },
    date_joined: { type: 'string' },
  },
} as const;

export const tokenAndUserSchema = {
  type: 'object',
  properties: { token: { type: ['string', 'null'] }, user: userSchema, detail: { type: 'string' } },
} as const;

export function profileView(user: User) {
  return { profile: { username: user.username, email: user.email, first_name: user.first_name, last_name: user.last_name } };
}

export const profileSchema = {
  type: 'object',
  properties: {
    profile: {
      type: 'object',
      properties: { username: { type: 'string' }, email: { type: 'string' }, first_name: { type: 'string' }, last_name: { type: 'string' } },
    },
  },
} as const;

export const detailSchema = { type: 'object', properties: { detail: { type: 'string' } } } as const;
export const messageSchema = { type: 'object', properties: { message: { type: 'string' } } } as const;
