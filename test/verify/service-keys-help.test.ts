import { describe, expect, it } from 'vitest';
import { environmentHelp } from '../../src/cli/env-help.js';

describe('gatehouse service-keys --help', () => {
  it('lists the variables the service-key commands read (the database, the secret key, Redis for revocation broadcasts)', () => {
    const help = environmentHelp('service-keys');
    for (const name of ['DATABASE_URL', 'DATABASE_SCHEMA', 'GATEHOUSE_SECRET_KEY', 'REDIS_URL', 'REDIS_PREFIX']) expect(help).toContain(name);
    expect(help).not.toContain('GATEHOUSE_SUPERUSER_PASSWORD');
  });
});
