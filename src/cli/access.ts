/**
 * How an operator command reaches the data. PostgreSQL admits many processes: open it directly.
 * The embedded store admits one: when the service holds it, ask the service over HTTP; when nothing
 * holds it, claim it for the length of the command.
 */
import { ConfigError, loadConfig, secretValues, type Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import {
  claimEmbeddedStore,
  openStore,
  readServiceInfo,
  releaseEmbeddedStore,
  type ServiceInfo,
  type Store,
} from '../store/index.js';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Config and a logger for a command; a configuration problem becomes a CliError (exit 2). Operator
 * commands log only warnings unless LOG_LEVEL is set (their stdout is data, stderr is for people);
 * the service (`quiet: false`) logs at the configured level.
 */
export function commandContext(options: { quiet?: boolean } = {}): { config: Config; logger: Logger } {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, 2);
    throw err;
  }
  const level = options.quiet !== false && !process.env.LOG_LEVEL ? 'warn' : config.LOG_LEVEL;
  return { config, logger: createLogger({ ...config, LOG_LEVEL: level }, secretValues(config)) };
}

export type Access<T> =
  | { via: 'store'; run: (store: Store) => Promise<T> }
  | { via: 'service'; baseUrl: string; info: ServiceInfo };

/** The base URL of the service holding the embedded store, or a CliError saying why there is none. */
function serviceUrl(info: ServiceInfo, dataDir: string): string {
  if (info.httpPort === null || info.httpPort === 0) {
    const what = info.roles.includes('cli') ? 'another dronewire command' : `the dronewire service (roles: ${info.roles.join(', ')})`;
    throw new CliError(
      `the embedded store in ${dataDir} is held by ${what}, pid ${info.pid}, which serves no HTTP API to ask; ` +
        'wait for it to finish, start the service with the http role, or set DATABASE_URL',
    );
  }
  const host = !info.httpHost || info.httpHost === '0.0.0.0' || info.httpHost === '::' ? '127.0.0.1' : info.httpHost;
  return `http://${host.includes(':') ? `[${host}]` : host}:${info.httpPort}`;
}

/**
 * Runs `direct` against the store when this process may open it; otherwise calls `remote` with the
 * running service's base URL.
 */
export async function withData<T>(
  config: Config,
  direct: (store: Store) => Promise<T>,
  remote: (baseUrl: string, info: ServiceInfo) => Promise<T>,
): Promise<T> {
  if (!config.DATABASE_URL) {
    const holder = readServiceInfo(config.DATA_DIR);
    if (holder) return remote(serviceUrl(holder, config.DATA_DIR), holder);
    claimEmbeddedStore(config.DATA_DIR, { httpPort: null, roles: ['cli'] });
  }
  try {
    const store = await openStore(config);
    try {
      return await direct(store);
    } finally {
      await store.close();
    }
  } finally {
    if (!config.DATABASE_URL) releaseEmbeddedStore(config.DATA_DIR);
  }
}

/** GET a JSON document from the running service, with a clear message when it does not answer. */
export async function getJson<T>(baseUrl: string, path: string, info: ServiceInfo): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new CliError(
      `the dronewire service (pid ${info.pid}) holds the embedded store but did not answer at ${baseUrl}: ` +
        `${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (!res.ok) {
    const body = await res.text().catch(() => '');
    throw new CliError(`the dronewire service answered ${res.status} for ${path}: ${body.slice(0, 500)}`);
  }
  return (await res.json()) as T;
}
