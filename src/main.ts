#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { checkCommand, createSuperuserCommand, hs256SecretCommand, migrateCommand, rotateKeysCommand, type Flags } from './cli/commands.js';
import { serve } from './cli/serve.js';
import { importDjangoCommand, importDjangoHelp } from './cli/import-django.js';

const help: Record<string, string> = {
  serve:
    'gatehouse serve              start the server (HOST, PORT, DATABASE_URL, …; see README)\n' +
    '  --workers N|auto                              N processes sharing the port (GATEHOUSE_WORKERS; N > 1 needs REDIS_URL)',
  migrate: 'gatehouse migrate            create or update the database schema',
  createsuperuser:
    'gatehouse createsuperuser    create a staff superuser\n' +
    '  --username NAME --email ADDR --password PW   (or GATEHOUSE_SUPERUSER_USERNAME/_EMAIL/_PASSWORD)\n' +
    '  --no-input                                    never prompt (for scripts)',
  keys:
    'gatehouse keys rotate        new EdDSA signing key; old keys stay published until their tokens expire\n' +
    '  keys hs256-secret                             print the HS256 secret (GATEHOUSE_JWT_SECRET or the one derived from GATEHOUSE_SECRET_KEY) for services that verify with SimpleJWT',
  check: 'gatehouse check              validate configuration and reach the database',
  'import-django': importDjangoHelp,
};

function usage(command?: string): string {
  if (command && help[command]) return help[command]!;
  return `usage: gatehouse <command> [options]\n\ncommands:\n${Object.values(help).map((h) => '  ' + h.split('\n')[0]).join('\n')}\n\nEvery command accepts --help.`;
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    // Valued flags must be declared: undeclared, `--username alice` parses as a boolean and a stray positional.
    options: {
      help: { type: 'boolean', short: 'h' },
      workers: { type: 'string' },
      username: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      'no-input': { type: 'boolean' },
    },
  });
  const [command, sub] = positionals;
  const flags = values as Flags;
  if (!command || command === 'help') {
    process.stdout.write(usage() + '\n');
    return;
  }
  if (flags.help) {
    process.stdout.write(usage(command) + '\n');
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serve(config, flags);
    case 'migrate':
      return migrateCommand(config);
    case 'createsuperuser':
      return createSuperuserCommand(config, flags);
    case 'keys':
      if (sub === 'hs256-secret') return hs256SecretCommand(config);
      if (sub !== 'rotate') throw new Error(usage('keys'));
      return rotateKeysCommand(config);
    case 'check':
      return checkCommand(config);
    case 'import-django':
      return importDjangoCommand(config, argv.slice(argv.indexOf(command) + 1));
    default:
      throw new Error(`unknown command "${command}"\n\n${usage()}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`configuration error: ${err.message}\n`);
  else process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
