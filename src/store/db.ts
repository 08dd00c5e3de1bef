/**
 * One SQL surface over two engines: PostgreSQL (pg) when DATABASE_URL is set, PGlite (embedded
 * PostgreSQL in WASM) in DATA_DIR when not. The same SQL and the same migrations run on both.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface Sql {
  /**
   * `name` makes it a prepared statement on PostgreSQL (parsed and planned once per connection);
   * use it for hot statements only. Ignored by the embedded engine.
   */
  query<T = Record<string, unknown>>(text: string, params?: unknown[], name?: string): Promise<T[]>;
}

export interface Db extends Sql {
  readonly kind: 'postgres' | 'embedded';
  readonly schema: string;
  /** Runs fn in one transaction; rolls back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid schema name: ${name}`);
  return `"${name}"`;
}

export async function openPostgres(url: string, schema = 'public', poolSize = 10): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    options: `-c search_path=${quoteIdent(schema)},public`,
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  if (schema !== 'public') await pool.query(`create schema if not exists ${quoteIdent(schema)}`);
  return {
    kind: 'postgres',
    schema,
    async query<T>(text: string, params?: unknown[], name?: string) {
      const res = name ? await pool.query({ name, text, values: params as unknown[] }) : await pool.query(text, params as unknown[]);
      return res.rows as T[];
    },
    async transaction<T>(fn: (tx: Sql) => Promise<T>) {
      const client = await pool.connect();
      // A checked-out client has no error listener (the pool listens only while it is idle): a
      // connection reset while the transaction waits between statements (the listener queues jobs
      // to Redis inside it) would be an uncaught 'error' event and end the process. Keep the error
      // instead; the next statement fails, and the broken client is destroyed on release.
      let broken: Error | undefined;
      const onError = (err: Error) => {
        broken = err;
      };
      client.on('error', onError);
      try {
        await client.query('begin');
        const tx: Sql = {
          async query<R>(text: string, params?: unknown[], name?: string) {
            const res = name ? await client.query({ name, text, values: params as unknown[] }) : await client.query(text, params as unknown[]);
            return res.rows as R[];
          },
        };
        const out = await fn(tx);
        await client.query('commit');
        return out;
      } catch (err) {
        if (!broken) await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * The embedded engine's buffer cache. PGlite's default (128 MB, PostgreSQL's) lives in the service
 * process's own memory, on top of the service: the extract worker on the embedded store peaked at
 * 416 MB. Its files are ordinary files, cached by the operating system as well, so a small
 * cache costs little speed (README "Performance").
 */
export const EMBEDDED_SHARED_BUFFERS = '16MB';

export async function openEmbedded(dataDir: string, schema = 'public'): Promise<Db> {
  mkdirSync(dataDir, { recursive: true });
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(`${dataDir.replace(/\/$/, '')}/pglite`, { postgresqlconf: [`shared_buffers = '${EMBEDDED_SHARED_BUFFERS}'`] });
  } catch (err) {
    throw new StoreUnavailableError(`cannot open the embedded store in ${dataDir} (is another dronewire process using it?)`, { cause: err });
  }
  if (schema !== 'public') await pglite.exec(`create schema if not exists ${quoteIdent(schema)}`);
  await pglite.exec(`set search_path to ${quoteIdent(schema)}, public`);
  return {
    kind: 'embedded',
    schema,
    async query<T>(text: string, params?: unknown[]) {
      const res = await pglite.query<T>(text, params as unknown[]);
      return res.rows;
    },
    async transaction<T>(fn: (tx: Sql) => Promise<T>) {
      return pglite.transaction(async (t) =>
        fn({
          async query<R>(text: string, params?: unknown[]) {
            const res = await t.query<R>(text, params as unknown[]);
            return res.rows;
          },
        }),
      );
    },
    async close() {
      await pglite.close();
    },
  };
}

export async function openDb(options: { databaseUrl?: string; dataDir: string; schema?: string }): Promise<Db> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.schema) : openEmbedded(options.dataDir, options.schema);
}
