import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { createApp, type Gatehouse } from '../app.js';
import { AuthError } from '../core/errors.js';
import { createOidcClient, listAllOidcClients, revokeOidcClientById, type OidcClientView } from '../core/oidc-clients.js';
import { withEnvironment } from './env-help.js';

function print(line: string): void {
  process.stdout.write(line + '\n');
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const view = (c: OidcClientView) => ({ ...c, created_at: iso(c.created_at), revoked_at: iso(c.revoked_at) });

/** Opens the app without listening, migrated; a field error becomes one line per field. */
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

export interface CreateClientOptions {
  name: string;
  redirectUri?: string[];
  postLogoutUri?: string[];
  grant: string;
  scope?: string[];
  public?: boolean;
  firstParty?: boolean;
  json?: boolean;
}

export async function createClientCommand(config: Config, o: CreateClientOptions): Promise<void> {
  await withApp(config, async (app) => {
    const { client, clientSecret } = await createOidcClient(app.core, {
      name: o.name,
      grant_types: o.grant.split(',').map((g) => g.trim()).filter(Boolean),
      ...(o.redirectUri?.length ? { redirect_uris: o.redirectUri } : {}),
      ...(o.postLogoutUri?.length ? { post_logout_redirect_uris: o.postLogoutUri } : {}),
      ...(o.scope?.length ? { api_scopes: o.scope } : {}),
      public: o.public === true,
      first_party: o.firstParty === true,
    });
    if (o.json) return print(JSON.stringify({ client: view(client), client_id: client.client_id, client_secret: clientSecret }));
    print(`client "${client.name}" registered`);
    print(`client_id: ${client.client_id}`);
    print(clientSecret ? `client_secret (shown this once): ${clientSecret}` : 'public client: no secret (PKCE only)');
  });
}

export async function listClientsCommand(config: Config, options: { json?: boolean }): Promise<void> {
  await withApp(config, async (app) => {
    const clients = await listAllOidcClients(app.core);
    if (options.json) return print(JSON.stringify(clients.map(view)));
    if (clients.length === 0) return print('no clients');
    for (const c of clients) {
      const state = c.revoked_at === null ? 'live' : `revoked ${iso(c.revoked_at)}`;
      print(`${c.client_id}\t${state}\t${c.grant_types.join(',')}${c.public ? ' (public)' : ''}${c.first_party ? ' first-party' : ''}\t${c.redirect_uris.join(' ') || '-'}\t${c.name}`);
    }
  });
}

export async function revokeClientCommand(config: Config, id: string): Promise<void> {
  await withApp(config, async (app) => {
    const c = await revokeOidcClientById(app.core, id);
    print(`client ${c.client_id} "${c.name}" revoked; its grants and tokens are deleted`);
  });
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `gatehouse clients create|list|revoke`: the OpenID Connect / OAuth clients of the provider under /oidc. */
export function clientCommands(program: Command): void {
  const clients = program.command('clients').description('OpenID Connect / OAuth clients (relying parties)');
  withEnvironment(clients.command('create'), 'clients')
    .description('register a client (its secret printed this once)')
    .requiredOption('--name <N>', 'what the client is (1 to 100 characters)')
    .option('--redirect-uri <U>', 'a redirect URL, matched exactly (repeatable)', collect)
    .option('--post-logout-uri <U>', 'a URL to return to after sign-out (repeatable)', collect)
    .requiredOption('--grant <G>', 'authorization_code[,refresh_token] or client_credentials')
    .option('--scope <S>', 'an API scope a client-credentials client may ask for (repeatable)', collect)
    .option('--public', 'a public client (SPA, native app): no secret, PKCE only')
    .option('--first-party', 'one of our own apps: no consent page')
    .option('--json', 'print {client, client_id, client_secret} as JSON')
    .action((options: CreateClientOptions) => createClientCommand(loadConfig(), options));
  withEnvironment(clients.command('list'), 'clients')
    .description('list clients, newest first (never their secrets)')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => listClientsCommand(loadConfig(), options));
  withEnvironment(clients.command('revoke'), 'clients')
    .description('revoke a client; its grants and tokens are deleted')
    .argument('<CLIENT_ID>', 'the client id (from list)')
    .action((id: string) => revokeClientCommand(loadConfig(), id));
}
