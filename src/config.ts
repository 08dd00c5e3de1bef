/**
 * The only reader of process.env. Every setting is parsed and validated once; all problems are
 * reported together in one ConfigError.
 */
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** Every key here must appear in .env.example (tests/unit/config.test.ts keeps them in step). */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_PRETTY: bool.optional(),
    REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
    DATABASE_URL: optionalString.pipe(z.string().url().optional()),
    DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lower-case SQL identifier').default('public'),
    DATA_DIR: z.string().min(1).default('./data'),
    TELEGRAM_SOURCE: z.enum(['web', 'mtproto', 'file']).default('web'),
    SOURCE_FILE: optionalString,
    TELEGRAM_WEB_BASE_URL: z.string().url().default('https://t.me'),
    WEB_REQUEST_GAP_MS: int(0, 600_000).default(1_000),
    TELEGRAM_API_ID: z.coerce.number().int().positive().optional(),
    TELEGRAM_API_HASH: optionalString,
    TELEGRAM_SESSION_FILE: z.string().min(1).default('./data/telegram.session'),
    CHANNELS: optionalString,
    POLL_INTERVAL_MS: int(1_000, 86_400_000).default(60_000),
    REREAD_WINDOW: int(0, 500).default(20),
    QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_{}.-]+$/, 'letters, digits, _ . - { }').default('dronewire'),
    WORKER_CONCURRENCY: int(1, 1024).default(64),
    SHUTDOWN_GRACE_MS: int(1_000, 600_000).default(25_000),
    HTTP_PORT: int(0, 65_535).default(8080),
    HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'at least 16 characters').optional()),
    WEBHOOK_URL: optionalString.pipe(z.string().url().optional()),
    WEBHOOK_SECRET: optionalString.pipe(z.string().startsWith('whsec_', 'must start with whsec_').optional()),
    WEBHOOKS_FILE: optionalString,
    WEBHOOK_TIMEOUT_MS: int(100, 120_000).default(10_000),
  });

export type Config = z.infer<typeof configSchema>;
export const CONFIG_KEYS = Object.keys(configSchema.shape) as (keyof Config)[];

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses settings from an environment (process.env by default); throws ConfigError with every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input: Record<string, string | undefined> = {};
  for (const key of CONFIG_KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = configSchema.safeParse(input);
  // Cross-field rules read the raw input, so that they are reported together with field errors.
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`)),
    ...crossFieldProblems(input),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}

function crossFieldProblems(input: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const has = (key: keyof Config) => (input[key] ?? '').trim() !== '';
  if (has('WEBHOOK_URL') && !has('WEBHOOK_SECRET')) problems.push('WEBHOOK_SECRET: required when WEBHOOK_URL is set');
  if (input.TELEGRAM_SOURCE === 'mtproto' && (!has('TELEGRAM_API_ID') || !has('TELEGRAM_API_HASH'))) {
    problems.push('TELEGRAM_API_ID: TELEGRAM_API_ID and TELEGRAM_API_HASH are required with TELEGRAM_SOURCE=mtproto');
  }
  return problems;
}

/** Values that must never reach a log line, a job payload or an error message. */
export function secretValues(config: Config): string[] {
  const secrets = [config.TELEGRAM_API_HASH, config.ADMIN_TOKEN, config.WEBHOOK_SECRET];
  if (config.DATABASE_URL) {
    try {
      const password = new URL(config.DATABASE_URL).password;
      if (password) secrets.push(decodeURIComponent(password));
    } catch {
      /* validated already */
    }
  }
  return secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/** A URL safe to print: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable url)';
  }
}
