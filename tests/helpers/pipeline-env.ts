/**
 * Shared integration-test helpers for the pipeline: a random BullMQ prefix and PostgreSQL schema (or
 * a temporary embedded store) per test, the queues, a worker connection, and cleanup of all of it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import type { IncidentRecord } from '../../src/domain/incident.js';
import { postUrl, type Post } from '../../src/domain/post.js';
import { createWorkerConnection, deleteKeysWithPrefix } from '../../src/queue/connection.js';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { openStore, type Store } from '../../src/store/index.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A short random tag: prefixes and schemas of concurrent runs never meet. */
export function randomTag(): string {
  return randomBytes(5).toString('hex');
}

export function testPrefix(tag = randomTag()): string {
  return `dwt_${tag}`;
}

export function testSchema(tag = randomTag()): string {
  return `dw_test_${tag}`;
}

export interface PipelineEnv {
  tag: string;
  prefix: string;
  schema: string;
  kind: 'postgres' | 'embedded';
  /** Settings of this environment (its prefix, schema or data dir), for startService and child processes. */
  config: Config;
  /** The same as environment variables, for child processes. */
  env: Record<string, string>;
  store: Store;
  queues: Queues;
  /** Closes the store (in embedded mode, so that a service under test can open it). */
  closeStore(): Promise<void>;
  /** Opens it again (env.store then is the new handle). */
  reopenStore(): Promise<Store>;
  /** Worker connections made with workerConnection(); closed by cleanup. */
  workerConnection(): Redis;
  logger: pino.Logger;
  cleanup(): Promise<void>;
}

/**
 * Opens a fresh store (a new schema on the real PostgreSQL, or a PGlite in a temp dir) and the
 * queues under a new prefix. `cleanup` obliterates the queues, deletes every key of the prefix,
 * and drops the schema (or the temp dir).
 */
export async function createPipelineEnv(options: { kind?: 'postgres' | 'embedded'; openStore?: boolean } = {}): Promise<PipelineEnv> {
  const kind = options.kind ?? 'postgres';
  const tag = randomTag();
  const prefix = testPrefix(tag);
  const schema = kind === 'postgres' ? testSchema(tag) : 'public';
  const dataDir = kind === 'embedded' ? mkdtempSync(join(tmpdir(), `dw-test-${tag}-`)) : join(tmpdir(), 'dw-unused');
  const env: Record<string, string> = {
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    DATABASE_SCHEMA: schema,
    DATA_DIR: dataDir,
    HTTP_PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SHUTDOWN_GRACE_MS: '2000',
    ...(kind === 'postgres' ? { DATABASE_URL } : {}),
  };
  const config = loadConfig(env);
  let store: Store | null = await openStore(config);
  const queues = await createQueues({ redisUrl: REDIS_URL, prefix });
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const connections: Redis[] = [];
  const self: PipelineEnv = {
    tag,
    prefix,
    schema,
    kind,
    config,
    env,
    store,
    queues,
    logger,
    workerConnection() {
      const c = createWorkerConnection(REDIS_URL, `dw-test-${tag}`);
      c.on('error', () => undefined);
      connections.push(c);
      return c;
    },
    async cleanup() {
      for (const q of [queues.posts, queues.alerts, queues.polls]) await q.obliterate({ force: true }).catch(() => undefined);
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
      await queues.close();
      await Promise.allSettled(connections.map((c) => c.quit()));
      if (kind === 'postgres') {
        store ??= await openStore(config);
        await store.db.query(`drop schema if exists ${schema} cascade`);
      }
      await store?.close();
      store = null;
      if (kind === 'embedded') rmSync(dataDir, { recursive: true, force: true });
    },
    async closeStore() {
      await store?.close();
      store = null;
    },
    async reopenStore() {
      store = await openStore(config);
      self.store = store;
      return store;
    },
  };
  return self;
}

let counter = 0;

/** A valid post; the text and ids can be overridden. */
export function makePost(overrides: Partial<Post> = {}): Post {
  const channel = overrides.channel ?? 'test_channel';
  const messageId = overrides.messageId ?? 1000 + ++counter;
  return {
    id: overrides.id ?? `${channel}/${messageId}`,
    channel,
    messageId,
    date: '2025-10-14T04:00:00.000Z',
    text: `Тестовый пост ${messageId}`,
    lang: 'ru',
    ...overrides,
  };
}

/** A record of the contract's shape, written by hand, so that store tests do not depend on the extractor. */
export function makeRecord(post: Post, n: number, fields: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    id: `${post.id}#${n}`,
    post: { id: post.id, channel: post.channel, messageId: post.messageId, date: post.date, url: postUrl(post) },
    region: { code: 'RU-BRY', name: 'Bryansk Oblast', nameLocal: 'Брянская область' },
    places: [],
    count: 3,
    approx: false,
    outcome: 'destroyed',
    droneType: null,
    evidence: post.text,
    lang: post.lang ?? 'ru',
    extractor: 'test-extractor@1',
    ...fields,
  };
}

/** Polls until probe returns something truthy; fails with `what` after timeoutMs. */
export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the posts queue has `n` finished jobs (completed + failed) and nothing left to do. */
export async function waitForFinished(queues: Queues, n: number, timeoutMs = 20_000): Promise<Record<string, number>> {
  return waitFor(
    async () => {
      const c = await queues.posts.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
      return (c.completed ?? 0) + (c.failed ?? 0) >= n && c.waiting === 0 && c.active === 0 && c.delayed === 0 ? c : null;
    },
    `${n} finished post jobs`,
    timeoutMs,
  );
}

/** Rows of a table of this environment's store. */
export async function count(store: Store, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await store.db.query<{ n: number | string }>(sql, params);
  return Number(row?.n ?? 0);
}
