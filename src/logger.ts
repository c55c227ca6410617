import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.js';

/** Query parameters whose values are credentials (verification links, OAuth-style callbacks). */
const secretParams = /^(token|code|key|password|secret|otp|uid|signature|refresh|access_token|refresh_token)$/i;

/** The URL with credential-looking query values replaced, so a link clicked into the server never lands in a log. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name);
      } catch {
        // An undecodable name is logged as sent.
      }
      return secretParams.test(name) ? `${pair.slice(0, eq)}=[redacted]` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remoteAddress?: string };
}

/** What a request log line says about the request: never headers (cookies, Authorization), never the body. */
function requestSerializer(req: LoggedRequest): Record<string, unknown> {
  const ua = req.headers?.['user-agent'];
  return {
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url) : undefined,
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
    userAgent: typeof ua === 'string' ? ua.slice(0, 200) : undefined,
  };
}

/** Readable lines for a developer's terminal; synchronous like pino's own stdout, so no line is lost at exit. */
function prettyStdout(): pino.DestinationStream {
  return pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l' });
}

/**
 * Structured JSON logs (or the same records pretty-printed, GATEHOUSE_LOG_FORMAT=pretty);
 * credentials and bodies are redacted wherever they might appear.
 */
export function createLogger(config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'logFormat'>>, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { req: requestSerializer },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          'headers.cookie',
          'headers["set-cookie"]',
          '*.password',
          '*.new_password',
          '*.new_password1',
          '*.new_password2',
          '*.re_new_password',
          '*.current_password',
          '*.old_password',
          '*.refresh_token',
          '*.access_token',
          '*.access',
          '*.refresh',
          '*.token',
          '*.otp',
          '*.password_hash',
          '*.secretKey',
          '*.metricsToken',
          '*.databaseUrl',
          '*.redisUrl',
          '*.smtpUrl',
          'password',
          'token',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? (config.logFormat === 'pretty' ? prettyStdout() : undefined),
  );
}
