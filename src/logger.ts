/** One pino root; child loggers per role, channel and job; secrets redacted. */
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

const REDACT_PATHS = [
  'session', '*.session', 'sessionString', '*.sessionString', 'apiHash', '*.apiHash',
  'secret', '*.secret', 'webhookSecret', '*.webhookSecret', 'token', '*.token', 'adminToken',
  'password', '*.password', 'authorization', '*.authorization', 'req.headers.authorization',
  'req.headers.cookie', 'headers.authorization', 'TELEGRAM_API_HASH', 'WEBHOOK_SECRET', 'ADMIN_TOKEN',
  'DATABASE_URL', 'config.DATABASE_URL', 'config.TELEGRAM_API_HASH', 'config.WEBHOOK_SECRET', 'config.ADMIN_TOKEN',
];

/**
 * Creates the root logger. `secrets` are literal values scrubbed from every line as a last line of
 * defence (a secret inside an error message from a library, say).
 */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV' | 'LOG_PRETTY'>,
  secrets: string[] = [],
  destination?: pino.DestinationStream,
): Logger {
  const pretty = config.LOG_PRETTY ?? false;
  const scrub = secrets.filter((s) => s.length >= 6);
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { service: 'dronewire' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: pino.stdSerializers.err },
  };
  if (scrub.length > 0) {
    options.hooks = {
      streamWrite(line: string): string {
        let out = line;
        for (const s of scrub) if (out.includes(s)) out = out.split(s).join('[redacted]');
        return out;
      },
    };
  }
  if (destination) return pino(options, destination);
  if (pretty) return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: 2 } } });
  // Logs go to stderr so that CLI commands keep stdout for their data (extract, incidents --json).
  return pino(options, pino.destination({ fd: 2, sync: false }));
}
