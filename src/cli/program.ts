import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.js';
import { checkCommand, createSuperuserCommand, hs256SecretCommand, migrateCommand, rotateKeysCommand, type SuperuserOptions } from './commands.js';
import { withEnvironment } from './env-help.js';
import { importDjangoCommand, importDjangoOptions, importOptions, type ImportFlags } from './import-django.js';
import { serve } from './serve.js';
import { serviceKeyCommands } from './service-keys.js';
import { clientCommands } from './clients.js';

/** The version in the package.json above this file (src/ under tsx, dist/src/ when built or installed). */
export function packageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'gatehouse' && pkg.version) return pkg.version;
  }
  return 'unknown';
}

/**
 * `--username --no-input` would take "--no-input" as the username: a value that is one of the
 * command's own flags is a missing value (checked while parsing, before any other error).
 */
function refuseFlagsAsValues(command: Command): void {
  const flags = new Set(['-h', '--help', ...command.options.flatMap((o) => [o.long, o.short]).filter((f): f is string => f !== undefined)]);
  for (const option of command.options.filter((o) => o.required || o.optional)) {
    const parse = option.parseArg;
    option.argParser((value: string, previous: unknown) => {
      if (flags.has(value.split('=')[0]!)) throw new InvalidArgumentError(`it is an option: the value is missing`);
      return parse ? parse(value, previous) : value;
    });
  }
  command.commands.forEach(refuseFlagsAsValues);
}

/** `gatehouse keys rotate` */
function commandPath(command: Command): string {
  return command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name();
}

/** Every command, its options and help; an action loads the configuration only once its arguments are valid. */
export function gatehouseProgram(): Command {
  const program = new Command('gatehouse')
    .description('Self-hosted authentication and user-management server')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError()
    .configureHelp({
      // The old hand-written help's style: `--workers N|auto`, not `--workers <N|auto>`.
      optionTerm: (option) => option.flags.replace(/[<>]/g, ''),
      subcommandTerm: (cmd) => `${commandPath(cmd)}${cmd.commands.length ? ` ${cmd.commands.map((c) => c.name()).join('|')}` : ''}`,
    })
    .addHelpText('after', '\nEvery command accepts --help.');
  program.on('command:*', ([name]: string[]) => program.error(`unknown command "${name}"`, { code: 'commander.unknownCommand' }));

  withEnvironment(program.command('serve'), 'serve')
    .description('start the server')
    .option('--workers <N|auto>', 'N processes sharing the port (GATEHOUSE_WORKERS; N > 1 needs REDIS_URL)')
    .action((options: { workers?: string }) => serve(loadConfig(), options));

  withEnvironment(program.command('migrate'), 'migrate')
    .description('create or update the database schema')
    .action(() => migrateCommand(loadConfig()));

  withEnvironment(program.command('createsuperuser'), 'createsuperuser')
    .description('create a staff superuser (asks for what is missing at a terminal)')
    .usage('[--no-input] [--username NAME --email ADDR --password PW]')
    .option('--username <NAME>', 'login name (or GATEHOUSE_SUPERUSER_USERNAME)')
    .option('--email <ADDR>', 'email address (or GATEHOUSE_SUPERUSER_EMAIL)')
    .option('--password <PW>', 'password (or GATEHOUSE_SUPERUSER_PASSWORD, which other local users cannot read in the process list)')
    .option('--no-input', 'never prompt (for scripts; also when stdin is not a terminal)')
    .action((options: SuperuserOptions) => createSuperuserCommand(loadConfig(), options));

  const keys = program.command('keys').description('signing keys');
  withEnvironment(keys.command('rotate'), 'keys rotate')
    .description('new EdDSA signing key; old keys stay published until their tokens expire')
    .action(() => rotateKeysCommand(loadConfig()));
  withEnvironment(keys.command('hs256-secret'), 'keys hs256-secret')
    .description('print the HS256 secret (GATEHOUSE_JWT_SECRET or the one derived from GATEHOUSE_SECRET_KEY) for services that verify with SimpleJWT')
    .action(() => hs256SecretCommand(loadConfig()));

  withEnvironment(program.command('check'), 'check')
    .description('validate configuration and reach the database')
    .action(() => checkCommand(loadConfig()));

  withEnvironment(importDjangoOptions(program.command('import-django')), 'import-django')
    .action((source: string | undefined, options: ImportFlags) => importDjangoCommand(loadConfig(), importOptions(source, options)));

  serviceKeyCommands(program);
  clientCommands(program);

  refuseFlagsAsValues(program);
  return program;
}

/** Runs the command line; `gatehouse` alone prints the help (exit 0), as `gatehouse help` does. */
export async function runCli(argv: string[]): Promise<void> {
  const program = gatehouseProgram();
  if (argv.length === 0) {
    program.outputHelp();
    return;
  }
  await program.parseAsync(argv, { from: 'user' });
}
