import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

/** Structured JSON logs; credentials and bodies are redacted wherever they might appear. */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          'headers.cookie',
          '*.password',
          '*.new_password',
          '*.old_password',
          '*.refresh_token',
          '*.refresh',
          '*.token',
          '*.otp',
          '*.password_hash',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
