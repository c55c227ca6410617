import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { createApp, type Gatehouse } from '../app.js';
import { AuthError } from '../core/errors.js';
import { createServiceKey, listAllServiceKeys, revokeServiceKeyById, type ServiceKeyView } from '../core/service-keys.js';
import { withEnvironment } from './env-help.js';

function print(line: string): void {
  process.stdout.write(line + '\n');
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const view = (k: ServiceKeyView) => ({ ...k, created_at: iso(k.created_at), last_used_at: iso(k.last_used_at), revoked_at: iso(k.revoked_at) });

/** Opens the app without listening, migrated; a field error becomes a one-line message. */
async function withApp<T>(config: Config, run: (app: Gatehouse) => Promise<T>): Promise<T> {
  const app = await createApp({ ...config, logLevel: 'warn' }, { migrate: true, mailWorker: false });
  try {
    return await run(app);
  } catch (err) {
    if (err instanceof AuthError) throw new Error(err.fields ? Object.entries(err.fields).map(([f, m]) => `${f}: ${m.join(' ')}`).join('\n') : err.message);
    throw err;
  } finally {
    await app.close();
  }
}

export async function createServiceKeyCommand(config: Config, options: { name: string; json?: boolean }): Promise<void> {
  await withApp(config, async (app) => {
    const { serviceKey, key } = await createServiceKey(app.core, { name: options.name });
    if (options.json) print(JSON.stringify({ service_key: view(serviceKey), key }));
    else {
      print(`service key ${serviceKey.id} "${serviceKey.name}" created; the key is shown this once:`);
      print(key);
    }
  });
}

export async function listServiceKeysCommand(config: Config, options: { json?: boolean }): Promise<void> {
  await withApp(config, async (app) => {
    const keys = await listAllServiceKeys(app.core);
    if (options.json) return print(JSON.stringify(keys.map(view)));
    if (keys.length === 0) return print('no service keys');
    for (const k of keys) {
      const state = k.revoked_at === null ? 'live' : `revoked ${iso(k.revoked_at)}`;
      print(`${k.id}\t${k.prefix}…\t${state}\tcreated ${iso(k.created_at)}\tlast used ${iso(k.last_used_at) ?? 'never'}\t${k.name}`);
    }
  });
}

export async function revokeServiceKeyCommand(config: Config, id: string): Promise<void> {
  await withApp(config, async (app) => {
    const k = await revokeServiceKeyById(app.core, id);
    print(`service key ${k.id} "${k.name}" revoked`);
  });
}

/** `gatehouse service-keys create|list|revoke`: the credentials resource servers read the revocation feed with. */
export function serviceKeyCommands(program: Command): void {
  const keys = program.command('service-keys').description('keys resource servers read the revocation feed with');
  withEnvironment(keys.command('create'), 'service-keys')
    .description('create a service key (printed this once)')
    .requiredOption('--name <N>', 'what the key is for (1 to 100 characters)')
    .option('--json', 'print {service_key, key} as JSON')
    .action((options: { name: string; json?: boolean }) => createServiceKeyCommand(loadConfig(), options));
  withEnvironment(keys.command('list'), 'service-keys')
    .description('list service keys, newest first (never the keys themselves)')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => listServiceKeysCommand(loadConfig(), options));
  withEnvironment(keys.command('revoke'), 'service-keys')
    .description('revoke a service key; it stops working at once')
    .argument('<ID>', 'the key id (from list)')
    .action((id: string) => revokeServiceKeyCommand(loadConfig(), id));
}
