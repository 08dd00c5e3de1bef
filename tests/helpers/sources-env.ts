/**
 * Integration environment for the sources tests: a fresh PostgreSQL schema (migrated), a random
 * BullMQ prefix on the real Redis, the queues, a logger whose lines the test can read, and cleanup.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import type { PostJobData } from '../../src/queue/names.js';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { openPostgres } from '../../src/store/db.js';
import { storeOf, type Store } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrate.js';

import { DATABASE_URL, REDIS_URL } from './pipeline-env.js';

export { DATABASE_URL, REDIS_URL };

export interface SourcesEnv {
  prefix: string;
  schema: string;
  store: Store;
  queues: Queues;
  redis: Redis;
  logger: pino.Logger;
  /** Every log line written so far, parsed. */
  logs: Array<Record<string, unknown>>;
  config(extra?: Record<string, string>): Config;
  /** Jobs on the posts queue (any state), oldest first. */
  postJobs(): Promise<Array<{ id: string; data: PostJobData }>>;
  cleanup(): Promise<void>;
}

export async function createSourcesEnv(): Promise<SourcesEnv> {
  const tag = randomBytes(5).toString('hex');
  const prefix = `dwt_${tag}`;
  const schema = `dw_test_${tag}`;
  const db = await openPostgres(DATABASE_URL, schema, 5);
  await migrate(db);
  const store = storeOf(db);
  const queues = await createQueues({ redisUrl: REDIS_URL, prefix });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        logs.push(JSON.parse(line) as Record<string, unknown>);
        if (process.env.TEST_LOG_LEVEL) process.stderr.write(line);
      },
    },
  );
  return {
    prefix,
    schema,
    store,
    queues,
    redis,
    logger,
    logs,
    config(extra = {}) {
      return loadConfig({
        NODE_ENV: 'test',
        REDIS_URL,
        DATABASE_URL,
        DATABASE_SCHEMA: schema,
        QUEUE_PREFIX: prefix,
        TELEGRAM_SOURCE: 'web',
        POLL_INTERVAL_MS: '1000',
        REREAD_WINDOW: '20',
        SHUTDOWN_GRACE_MS: '5000',
        ...extra,
      });
    },
    async postJobs() {
      const jobs = await queues.posts.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'], 0, -1, true);
      return jobs
        .filter((j): j is NonNullable<typeof j> => Boolean(j))
        .map((j) => ({ id: String(j.id), data: j.data }))
        .sort((a, b) => a.id.localeCompare(b.id));
    },
    async cleanup() {
      for (const q of [queues.posts, queues.alerts, queues.polls]) await q.obliterate({ force: true }).catch(() => undefined);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await queues.close();
      redis.disconnect();
      await db.query(`drop schema if exists ${schema} cascade`);
      await db.close();
    },
  };
}

/** Posts of a channel as archived: every version, oldest first. */
export async function archived(store: Store, channel: string) {
  return store.db.query<{ message_id: string; version: number; text: string; edit_date: Date | null; channel_region: string | null; deleted_at: Date | null; meta: Record<string, unknown> }>(
    'select message_id, version, text, edit_date, channel_region, deleted_at, meta from posts where channel = $1 order by message_id, version',
    [channel],
  );
}

export async function waitFor<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 10_000, stepMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined | false;
  while (Date.now() < until) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}
