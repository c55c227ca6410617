import { cpus } from 'node:os';
import type { Config } from '../config.js';
import { createApp, type Gatehouse } from '../app.js';
import { recordAudit } from '../core/audit.js';
import { AuthError } from '../core/errors.js';
import { createSuperuser } from '../core/superuser.js';
import { resolveSecretKey } from '../core/secret-key.js';
import { hs256Secret } from '../core/secrets.js';
import { openStore } from '../store/db.js';
import { migrateToLatest } from '../store/migrate.js';
import { requireSchemaLevel } from '../store/schema-level.js';
import { ask, canPrompt } from './prompt.js';

function print(line: string): void {
  process.stdout.write(line + '\n');
}

export async function migrateCommand(config: Config): Promise<void> {
  const store = openStore(config.databaseUrl, { schema: config.databaseSchema });
  try {
    const applied = await migrateToLatest(store);
    print(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await store.close();
  }
}

/** Opens the app without listening (for one-off commands), migrated. */
async function withApp<T>(config: Config, run: (app: Gatehouse) => Promise<T>): Promise<T> {
  const app = await createApp({ ...config, logLevel: 'warn' }, { migrate: true, mailWorker: false });
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

export interface SuperuserOptions {
  username?: string;
  email?: string;
  password?: string;
  /** false with `--no-input` */
  input?: boolean;
}

export async function createSuperuserCommand(config: Config, options: SuperuserOptions): Promise<void> {
  const interactive = canPrompt(options.input === false);
  let username = options.username ?? process.env.GATEHOUSE_SUPERUSER_USERNAME;
  let email = options.email ?? process.env.GATEHOUSE_SUPERUSER_EMAIL;
  let password = options.password ?? process.env.GATEHOUSE_SUPERUSER_PASSWORD;
  if (interactive) {
    username ??= await ask('Username: ');
    email ??= await ask('Email address: ');
    if (password === undefined) {
      password = await ask('Password: ', true);
      if ((await ask('Password (again): ', true)) !== password) throw new Error('Error: Your passwords didn\'t match.');
    }
  }
  if (!password) {
    const why = interactive ? '' : options.input === false ? ' (--no-input: nothing is asked)' : ' (stdin is not a terminal: nothing is asked)';
    throw new Error(`a password is required: pass --password or set GATEHOUSE_SUPERUSER_PASSWORD${why}`);
  }
  await withApp(config, async (app) => {
    try {
      const user = await createSuperuser(app.core, { username: username || undefined, email: email || undefined, password: password! });
      print(`Superuser created: id ${user.id} ${user.username || user.email}`);
    } catch (err) {
      if (err instanceof AuthError && err.fields) {
        throw new Error(Object.entries(err.fields).map(([f, m]) => `${f}: ${m.join(' ')}`).join('\n'));
      }
      throw err;
    }
  });
}

export async function rotateKeysCommand(config: Config): Promise<void> {
  if (config.jwtAlg !== 'EdDSA') throw new Error('keys rotate applies to EdDSA keys; HS256 uses GATEHOUSE_JWT_SECRET (see "gatehouse keys hs256-secret")');
  await withApp(config, async (app) => {
    const kid = await app.core.keys.rotate(Math.max(app.core.settings.get('access_token_ttl'), 86_400));
    await recordAudit(app.core.db, { kind: 'keys.rotated', at: app.core.clock.now(), ip: 'cli', detail: { kid } });
    print(`new signing key ${kid}; older keys stay published until the tokens they signed expire`);
  });
}

/** Prints the HS256 secret services share to verify access tokens (SimpleJWT's SIGNING_KEY); never the master secret. */
export async function hs256SecretCommand(config: Config): Promise<void> {
  print(hs256Secret(config.jwtSecret, resolveSecretKey(config).key));
}

export async function checkCommand(config: Config): Promise<void> {
  const store = openStore(config.databaseUrl, { schema: config.databaseSchema });
  try {
    await store.ping();
    await requireSchemaLevel(store, config);
    print(`configuration ok (${config.env}); database reachable (${store.dialect}) and at this build's migration level`);
  } finally {
    await store.close();
  }
}

export function workerCount(config: Config): number {
  return config.workers === 'auto' ? cpus().length : config.workers;
}
