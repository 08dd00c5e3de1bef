/**
 * A throw-away pipeline environment for integration tests: a fresh PostgreSQL schema (migrated), a
 * random BullMQ prefix on the real Redis, the shared queues, and cleanup of all of it.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { IncidentRecord, Outcome } from '../../src/domain/incident.js';
import { postUrl, type Post } from '../../src/domain/post.js';
import { deleteKeysWithPrefix } from '../../src/queue/connection.js';
import type { ExtractWorkerOptions } from '../../src/queue/extract-worker.js';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { openPostgres } from '../../src/store/db.js';
import { storeOf, type Store } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrate.js';

import { DATABASE_URL, REDIS_URL } from './pipeline-env.js';

export { DATABASE_URL, REDIS_URL };

export interface AlertsEnv {
  prefix: string;
  schema: string;
  store: Store;
  queues: Queues;
  /** A plain connection for assertions (XRANGE, XREADGROUP …). */
  redis: Redis;
  logger: pino.Logger;
  cleanup(): Promise<void>;
}

/** Deletes every key under a prefix (SCAN, not KEYS: the Redis may be shared). */
export const deleteKeys = deleteKeysWithPrefix;

export async function createAlertsEnv(): Promise<AlertsEnv> {
  const tag = randomBytes(5).toString('hex');
  const prefix = `dwa_${tag}`;
  const schema = `dw_test_a${tag}`;
  const db = await openPostgres(DATABASE_URL, schema, 5);
  await migrate(db);
  const store = storeOf(db);
  const queues = await createQueues({ redisUrl: REDIS_URL, prefix });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  return {
    prefix,
    schema,
    store,
    queues,
    redis,
    logger,
    async cleanup() {
      for (const q of [queues.posts, queues.alerts, queues.polls]) await q.obliterate({ force: true }).catch(() => undefined);
      await queues.close();
      // Closing queues and workers writes a few keys (meta, stalled-check): delete after.
      await deleteKeys(redis, prefix);
      redis.disconnect();
      await db.query(`drop schema if exists ${schema} cascade`);
      await db.close();
    },
  };
}

let messageCounter = 1000;

export function makePost(overrides: Partial<Post> = {}): Post {
  const channel = overrides.channel ?? 'test_channel';
  const messageId = overrides.messageId ?? ++messageCounter;
  return { id: `${channel}/${messageId}`, channel, messageId, date: '2026-11-20T10:00:00.000Z', text: `post ${messageId}`, lang: 'ru', ...overrides };
}

/** A record of `post` in the contract's shape (written by hand: tests do not depend on the extractor). */
export function makeRecord(post: Post, n: number, fields: { region?: string | null; outcome?: Outcome; count?: number | null; extractor?: string } = {}): IncidentRecord {
  const region = fields.region === undefined ? 'RU-BEL' : fields.region;
  return {
    id: `${post.id}#${n}`,
    post: { id: post.id, channel: post.channel, messageId: post.messageId, date: post.date, url: postUrl(post) },
    region: region ? { code: region, name: region, nameLocal: region } : null,
    places: [],
    count: fields.count === undefined ? 3 : fields.count,
    approx: false,
    outcome: fields.outcome ?? 'destroyed',
    droneType: null,
    evidence: `${fields.count ?? 3} drones`,
    lang: post.lang ?? 'ru',
    extractor: fields.extractor ?? 'test@1',
  };
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const TEST_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** Starts the real service (startService) on this environment's schema and prefix, HTTP on a free port. */
export async function startTestService(
  env: AlertsEnv,
  roles: Array<'http' | 'alerts' | 'extract'>,
  extraEnv: Record<string, string> = {},
  extractOptions: Partial<ExtractWorkerOptions> = {},
) {
  const { startService } = await import('../../src/service.js');
  const { loadConfig } = await import('../../src/config.js');
  const config = loadConfig({
    DATABASE_URL,
    DATABASE_SCHEMA: env.schema,
    REDIS_URL,
    QUEUE_PREFIX: env.prefix,
    HTTP_PORT: '0',
    LOG_LEVEL: 'silent',
    SHUTDOWN_GRACE_MS: '2000',
    ...extraEnv,
  });
  const service = await startService({ config, logger: env.logger, roles, handleSignals: false, extractOptions });
  return { service, base: `http://127.0.0.1:${service.httpPort}` };
}
