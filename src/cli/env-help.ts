import { Help, type Command } from 'commander';
import { configVariables } from '../config.js';

type Variable = (typeof configVariables)[number];

/** Variables only `createsuperuser` reads (not configuration, so not in config.ts). */
export const superuserVariables: readonly Variable[] = [
  { name: 'GATEHOUSE_SUPERUSER_USERNAME', default: '', help: 'username when --username is not given' },
  { name: 'GATEHOUSE_SUPERUSER_EMAIL', default: '', help: 'email address when --email is not given' },
  { name: 'GATEHOUSE_SUPERUSER_PASSWORD', default: '', help: 'password when --password is not given (keeps it out of the process list)' },
];

const database = ['DATABASE_URL', 'DATABASE_SCHEMA', 'DATABASE_POOL_SIZE', 'GATEHOUSE_DATA_DIR', 'GATEHOUSE_ENV'];

/** What each command reads, beyond the validation of the whole configuration every command does. */
export const commandVariables: Record<string, readonly string[] | 'all'> = {
  serve: 'all',
  check: 'all',
  migrate: database,
  createsuperuser: [...superuserVariables.map((v) => v.name), ...database, 'GATEHOUSE_SECRET_KEY', 'GATEHOUSE_PASSWORD_MIN_LENGTH', 'GATEHOUSE_PASSWORD_MAX_LENGTH', 'GATEHOUSE_PASSWORD_CHECKS'],
  'keys rotate': [...database, 'GATEHOUSE_SECRET_KEY', 'GATEHOUSE_JWT_ALG', 'GATEHOUSE_ACCESS_TTL'],
  'keys hs256-secret': ['GATEHOUSE_SECRET_KEY', 'GATEHOUSE_JWT_SECRET', 'GATEHOUSE_DATA_DIR', 'GATEHOUSE_ENV'],
  'import-django': [...database, 'GATEHOUSE_SECRET_KEY'],
  // Revoking a key ends its open feed streams on every instance: over Redis when there is one.
  'service-keys': [...database, 'GATEHOUSE_SECRET_KEY', 'REDIS_URL', 'REDIS_PREFIX'],
};

function lookup(names: readonly string[] | 'all'): Variable[] {
  if (names === 'all') return [...configVariables];
  const known = [...superuserVariables, ...configVariables];
  return names.map((name) => known.find((v) => v.name === name)).filter((v): v is Variable => v !== undefined);
}

/** The "Environment variables" section of one command's --help, from config.ts's list. */
export function environmentHelp(command: string): string {
  const names = commandVariables[command] ?? [];
  const variables = lookup(names);
  const help = new Help();
  help.prepareContext({ helpWidth: process.stdout.columns || 80 });
  const width = Math.max(...variables.map((v) => v.name.length));
  const items = variables.map((v) => {
    const text = v.help.replaceAll('`', '') + (v.default ? ` (default: ${v.default.replaceAll('`', '')})` : '');
    return help.formatItem(v.name, width, text, help);
  });
  const note = names === 'all'
    ? 'Read from the environment, or a .env file in the working directory (the environment wins).'
    : 'Read from the environment, or a .env file in the working directory (the environment wins); every other variable listed by "gatehouse serve --help" is validated too.';
  return `\nEnvironment variables:\n${items.join('\n')}\n\n${help.boxWrap(note, help.helpWidth ?? 80)}`;
}

/** Adds the section to `--help` (not to the usage printed after an error). */
export function withEnvironment(command: Command, name: string): Command {
  return command.addHelpText('after', ({ error }) => (error ? '' : environmentHelp(name)));
}
