/**
 * One fault scenario's world: its own PostgreSQL schema (migrated up front, so that child processes
 * do not race to do it), its own BullMQ prefix, optionally a private redis-server and a pg-proxy,
 * a webhook receiver, the child processes, and the assertions every scenario shares.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { IncidentRecord } from '../../../src/domain/incident.js';
import type { Post } from '../../../src/domain/post.js';
import { extractPost } from '../../../src/extract/index.js';
import { deleteKeysWithPrefix } from '../../../src/queue/connection.js';
import { createQueues, enqueuePosts, type Queues } from '../../../src/queue/queues.js';
import { openPostgres, type Db } from '../../../src/store/db.js';
import { migrate } from '../../../src/store/migrate.js';
import { startPgProxy, type PgProxy } from '../../helpers/pg-proxy.js';
import { killAllChildren, spawnTs, type ChildHandle } from '../../helpers/processes.js';
import { startPrivateRedis, type PrivateRedis } from '../../helpers/redis-server.js';
import { startFaultReceiver, type FaultReceiver } from './receiver.js';

export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const SHARED_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const WEBHOOK_SECRET = 'whsec_ZmF1bHQtc3VpdGUtc2VjcmV0LWtleS0wMQ==';
/**
 * Short form (outages of 5–8 s, batches of 100–500 posts) for `npm test` within the CI budget; the
 * full form (30 s PostgreSQL cut, 60 s receiver outage, 2,000 posts) for `npm run test:faults`.
 * FAULTS_SHORT=1 or 0 decides explicitly; unset, only the test:faults script runs the full form.
 */
export const SHORT = process.env.FAULTS_SHORT !== undefined ? process.env.FAULTS_SHORT === '1' : process.env.npm_lifecycle_event !== 'test:faults';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface FaultEnvOptions {
  /** Start a private redis-server (scenarios that stop Redis); otherwise the shared one. */
  privateRedis?: boolean;
  /** Put a cuttable proxy between the children and PostgreSQL. */
  pgProxy?: boolean;
  /** Webhook subscribers (receiver paths); none: no webhooks. */
  subscribers?: string[];
}

export interface FaultEnv {
  tag: string;
  prefix: string;
  schema: string;
  /** Direct connection for assertions (never through the proxy). */
  db: Db;
  redis?: PrivateRedis;
  redisUrl: string;
  proxy?: PgProxy;
  receiver?: FaultReceiver;
  /** Producer queues in the test process (fail fast: do not use while Redis is down). */
  queues: Queues;
  children: ChildHandle[];
  /** The environment of a service child (every variable it gets). */
  childEnv(extra?: Record<string, string>): Record<string, string>;
  /** Starts tests/faults/support/service-child.ts with these roles; resolves once it runs. */
  startChild(name: string, roles: string, extra?: Record<string, string>): Promise<ChildHandle>;
  enqueue(posts: Post[]): Promise<void>;
  cleanup(): Promise<void>;
}

export async function createFaultEnv(options: FaultEnvOptions = {}): Promise<FaultEnv> {
  const tag = randomBytes(5).toString('hex');
  const prefix = `dwf_${tag}`;
  const schema = `dw_test_${tag}`;
  const db = await openPostgres(DATABASE_URL, schema, 4);
  await migrate(db);
  const redis = options.privateRedis ? await startPrivateRedis() : undefined;
  const redisUrl = redis?.url ?? SHARED_REDIS_URL;
  const proxy = options.pgProxy ? await startPgProxy({ upstreamUrl: DATABASE_URL }) : undefined;
  const receiver = options.subscribers?.length ? await startFaultReceiver(WEBHOOK_SECRET) : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'dw-fault-'));
  let webhooksFile: string | undefined;
  if (receiver && options.subscribers) {
    webhooksFile = join(dir, 'webhooks.json');
    const subscribers = options.subscribers.map((name) => ({ name, url: receiver.url(name), secret: WEBHOOK_SECRET }));
    writeFileSync(webhooksFile, JSON.stringify({ subscribers }));
  }
  const queues = await createQueues({ redisUrl, prefix });
  const children: ChildHandle[] = [];

  const env: FaultEnv = {
    tag,
    prefix,
    schema,
    db,
    redis,
    redisUrl,
    proxy,
    receiver,
    queues,
    children,
    childEnv(extra = {}) {
      return {
        NODE_ENV: 'test',
        LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'info',
        REDIS_URL: redisUrl,
        DATABASE_URL: proxy?.url ?? DATABASE_URL,
        DATABASE_SCHEMA: schema,
        QUEUE_PREFIX: prefix,
        HTTP_PORT: '0',
        DATA_DIR: join(dir, 'data'),
        TELEGRAM_SOURCE: 'file',
        WORKER_CONCURRENCY: '8',
        SHUTDOWN_GRACE_MS: '10000',
        FAULT_LOCK_MS: '4000',
        FAULT_WEBHOOK_BASE_MS: '500',
        FAULT_WEBHOOK_CAP_MS: '3000',
        FAULT_ORDERING_DELAY_MS: '300',
        FAULT_SWEEP_MS: '1000',
        ...(webhooksFile ? { WEBHOOKS_FILE: webhooksFile } : {}),
        ...extra,
      };
    },
    async startChild(name, roles, extra = {}) {
      const child = spawnTs({ name, script: 'tests/faults/support/service-child.ts', args: [roles], env: env.childEnv(extra), echo: process.env.FAULTS_ECHO === '1' });
      children.push(child);
      await child.waitForLog((l) => l.msg === 'dronewire started', 60_000, '"dronewire started"');
      return child;
    },
    async enqueue(posts) {
      for (let i = 0; i < posts.length; i += 500) await enqueuePosts(queues.posts, posts.slice(i, i + 500));
    },
    async cleanup() {
      await killAllChildren();
      await receiver?.close();
      await proxy?.close();
      const cleanupRedis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
      cleanupRedis.on('error', () => undefined);
      try {
        await deleteKeysWithPrefix(cleanupRedis, prefix);
      } catch {
        /* a private Redis that is gone already */
      }
      cleanupRedis.disconnect();
      await queues.close().catch(() => undefined);
      await redis?.destroy();
      await db.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return env;
}

const REGIONS = ['Курской', 'Брянской', 'Белгородской', 'Орловской', 'Воронежской', 'Тульской', 'Калужской', 'Смоленской', 'Ростовской', 'Липецкой'];
const REGION_INSTR = ['Курской областью', 'Брянской областью', 'Белгородской областью', 'Орловской областью', 'Воронежской областью'];

/**
 * Report-like posts with one to three records each (written for this suite). The expected records
 * are what the extractor makes of each text in this process (expectedRecords).
 */
export function makeReportPosts(count: number, channel: string, firstId = 1): Post[] {
  const posts: Post[] = [];
  for (let i = 0; i < count; i++) {
    const messageId = firstId + i;
    const a = 2 + (i % 17);
    const b = 1 + (i % 5);
    const region = REGIONS[i % REGIONS.length]!;
    const kind = i % 3;
    let text: string;
    if (kind === 0) text = `Над территорией ${region} области дежурными средствами ПВО уничтожены ${a} беспилотных летательных аппаратов самолетного типа.`;
    else if (kind === 1) {
      text = `Ночью перехвачены и уничтожены ${a + b} украинских БПЛА: ${a} – над ${REGION_INSTR[i % REGION_INSTR.length]!}, ${b} – над ${REGION_INSTR[(i + 1) % REGION_INSTR.length]!}.`;
    } else text = `В ${region.replace(/ой$/, 'ой')} области сбиты ${a} беспилотников. Пострадавших нет. Сообщение ${messageId}.`;
    posts.push({ id: `${channel}/${messageId}`, channel, messageId, date: new Date(Date.UTC(2026, 10, 20, 0, 0, i % 3600)).toISOString(), text, lang: 'ru' });
  }
  return posts;
}

export function expectedRecords(posts: Post[]): Map<string, IncidentRecord[]> {
  return new Map(posts.map((p) => [p.id, extractPost(p)]));
}

/** Waits until probe() is truthy; throws with `what` and the last value after timeoutMs. */
export async function waitUntil<T>(
  probe: () => Promise<T | false | undefined | null>,
  timeoutMs: number,
  what: string,
  stepMs = 250,
  /** Called on timeout; its value goes into the error (queue counts, say). */
  explain?: () => Promise<unknown>,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err instanceof Error ? err.message : err;
    }
    if (Date.now() > until) {
      const detail = explain ? await explain().catch((err: unknown) => `(explain failed: ${String(err)})`) : undefined;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})${detail !== undefined ? `\n${JSON.stringify(detail, null, 1)}` : ''}`);
    }
    await sleep(stepMs);
  }
}

export interface StoreCheck {
  postsWithRecords: number;
  missing: string[];
  unexpected: string[];
  /** record ids with more than one `incident.created` event. */
  createdTwice: string[];
  records: number;
}

/** Compares the stored active records with the expected ones, post by post, and counts events. */
export async function checkStore(db: Db, expected: Map<string, IncidentRecord[]>): Promise<StoreCheck> {
  const rows = await db.query<{ id: string; post_id: string }>("select id, post_id from incidents where status = 'active'");
  const stored = new Set(rows.map((r) => r.id));
  const wanted = new Set([...expected.values()].flat().map((r) => r.id));
  const missing = [...wanted].filter((id) => !stored.has(id));
  const unexpected = [...stored].filter((id) => !wanted.has(id));
  const twice = await db.query<{ record_id: string }>("select record_id from events where type = 'incident.created' group by record_id having count(*) > 1");
  const postsWithRecords = new Set(rows.map((r) => r.post_id)).size;
  return { postsWithRecords, missing, unexpected, createdTwice: twice.map((r) => r.record_id), records: rows.length };
}

/** Queue counts, failed reasons and each child's last log lines: what a timed-out wait explains itself with. */
export async function describeState(env: FaultEnv): Promise<unknown> {
  const counts = await postCounts(env.queues).catch((err: unknown) => String(err));
  const failed = await env.queues.posts.getFailed(0, 4).then((jobs) => jobs.map((j) => ({ id: j?.id, reason: j?.failedReason }))).catch(() => []);
  const children = env.children.map((c) => ({ name: c.name, exited: c.hasExited(), last: c.logs().slice(-8).map((l) => `${String(l.msg)} ${JSON.stringify(l.err ?? l.reason ?? '')}`.slice(0, 300)) }));
  return { counts, failed, children };
}

/** Counts of posts-queue jobs by state. */
export interface JobCounts {
  waiting: number;
  active: number;
  delayed: number;
  prioritized: number;
  completed: number;
  failed: number;
}

export async function postCounts(queues: Queues): Promise<JobCounts> {
  const c = await queues.posts.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
  return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, prioritized: c.prioritized ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0 };
}

/** Every distinct event per record+type delivered once per subscriber, no two ids for one record+type. */
export function checkDeliveries(receiver: FaultReceiver, subscriber: string, eventIds: Map<string, { recordId: string; type: string }>) {
  const accepted = receiver.accepted(subscriber);
  const byRecordType = new Map<string, Set<string>>();
  for (const e of accepted) {
    const key = `${e.recordId}|${e.type}`;
    const ids = byRecordType.get(key) ?? new Set<string>();
    ids.add(e.webhookId);
    byRecordType.set(key, ids);
  }
  const doubled = [...byRecordType.entries()].filter(([, ids]) => ids.size > 1).map(([k]) => k);
  const got = new Set(accepted.map((e) => e.webhookId));
  const undelivered = [...eventIds.keys()].filter((id) => !got.has(id));
  const unknown = accepted.filter((e) => !eventIds.has(e.webhookId)).map((e) => e.webhookId);
  return { accepted: accepted.length, doubled, undelivered, unknown };
}

/** Every event in the outbox: id → record and type. */
export async function outboxEvents(db: Db): Promise<Map<string, { recordId: string; type: string }>> {
  const rows = await db.query<{ id: string; record_id: string; type: string }>('select id, record_id, type from events order by seq');
  return new Map(rows.map((r) => [r.id, { recordId: r.record_id, type: r.type }]));
}
