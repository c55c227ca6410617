#!/usr/bin/env node
import { ConfigError } from './config.js';
import { runCli } from './cli/program.js';

runCli(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`configuration error: ${err.message}\n`);
  else process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
