/**
 * Replay through the production path: posts queued, the real extract worker (with an injected
 * extractor, so that a "changed extractor" can be simulated), saveExtraction's diff, the outbox
 * publisher and webhook delivery to a verifying receiver.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlerter, type Alerter } from '../../src/alerts/index.js';
import { parseSubscribers } from '../../src/alerts/subscribers.js';
import { loadConfig } from '../../src/config.js';
import type { IncidentRecord, Outcome } from '../../src/domain/incident.js';
import type { Post } from '../../src/domain/post.js';
import { createWorkerConnection } from '../../src/queue/connection.js';
import { createExtractWorker, type ExtractWorker } from '../../src/queue/extract-worker.js';
import { enqueuePosts, isDrained } from '../../src/queue/queues.js';
import { countReplay, replay } from '../../src/replay.js';
import { Redis } from 'ioredis';
import { createAlertsEnv, DATABASE_URL, deleteKeys, makeRecord, REDIS_URL, TEST_SECRET, waitFor, type AlertsEnv } from '../helpers/alerts-env.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * A toy extractor over a tiny notation: "destroyed 3 RU-BEL; hit 2 RU-KRS" → one record per
 * clause. `tweak` lets a "new version" read some clauses differently.
 */
function toyExtractor(version: string, tweak: (clause: { outcome: Outcome; count: number; region: string }) => { outcome: Outcome; count: number; region: string } | null = (c) => c) {
  return (post: Post): IncidentRecord[] => {
    if (post.text.includes('BOOM')) throw new Error('extractor bug');
    const clauses = post.text.split(';').map((s) => s.trim()).filter(Boolean);
    const records: IncidentRecord[] = [];
    for (const clause of clauses) {
      const m = /^(\w+) (\d+) ([A-Z]{2}-[A-Z0-9]+)$/.exec(clause);
      if (!m) continue;
      const read = tweak({ outcome: m[1] as Outcome, count: Number(m[2]), region: m[3]! });
      if (read) records.push(makeRecord(post, records.length, { ...read, extractor: version }));
    }
    return records;
  };
}

let env: AlertsEnv;
let hook: WebhookReceiver;
let alerter: Alerter;
let worker: ExtractWorker | undefined;
const connections: Array<ReturnType<typeof createWorkerConnection>> = [];

function startWorker(version: string, extract: (post: Post) => IncidentRecord[]): ExtractWorker {
  const connection = createWorkerConnection(REDIS_URL, 'test-extract');
  connections.push(connection);
  worker = createExtractWorker({
    connection,
    prefix: env.prefix,
    store: env.store,
    logger: env.logger,
    concurrency: 4,
    extract,
    extractorVersion: version,
    onChanges: (changes) => alerter.onChanges(changes),
    graceMs: 2_000,
  });
  return worker;
}

/** Waits until the posts queue is empty and every event is published and delivered or not due. */
async function settle(): Promise<void> {
  await waitFor(() => isDrained(env.queues.posts), 15_000, 'posts queue drained');
  await alerter.publisher.publishPending();
  await waitFor(async () => (await env.queues.alerts.getJobCounts('waiting', 'active', 'delayed')).waiting === 0 && (await isDrained(env.queues.alerts)), 15_000, 'alerts drained');
  await new Promise((r) => setTimeout(r, 200));
}

const posts: Post[] = [
  { id: 'chan_a/1', channel: 'chan_a', messageId: 1, date: '2026-11-20T06:00:00.000Z', text: 'destroyed 3 RU-BEL; hit 1 RU-BEL' },
  { id: 'chan_a/2', channel: 'chan_a', messageId: 2, date: '2026-11-20T07:00:00.000Z', text: 'destroyed 12 RU-KRS' },
  { id: 'chan_a/3', channel: 'chan_a', messageId: 3, date: '2026-11-20T08:00:00.000Z', text: 'destroyed 4 RU-BRY; crashed 1 RU-BRY' },
  { id: 'chan_b/1', channel: 'chan_b', messageId: 1, date: '2026-11-20T09:00:00.000Z', text: 'destroyed 7 RU-VOR' },
];

const deps = () => ({ db: env.store.db, posts: env.queues.posts, alerts: env.queues.alerts, extractorVersion: 'toy@2' });

describe('replay', () => {
  beforeEach(async () => {
    env = await createAlertsEnv();
    hook = await startWebhookReceiver({ secret: TEST_SECRET });
    const config = loadConfig({ REDIS_URL, QUEUE_PREFIX: env.prefix, WEBHOOK_TIMEOUT_MS: '2000', SHUTDOWN_GRACE_MS: '2000' });
    alerter = createAlerter({
      config,
      logger: env.logger,
      store: env.store,
      queues: env.queues,
      subscribers: parseSubscribers([{ name: 'consumer', url: hook.url, secret: TEST_SECRET }]),
      sweepIntervalMs: 250,
      backoff: { baseMs: 100, capMs: 400 },
    });
    await alerter.start();
    await startWorker('toy@1', toyExtractor('toy@1')).start();
    await enqueuePosts(env.queues.posts, posts);
    await settle();
  });

  afterEach(async () => {
    await worker?.stop();
    await alerter.stop();
    for (const c of connections.splice(0)) c.disconnect();
    await hook.close();
    await env.cleanup();
  });

  it('first extraction announces every record once', () => {
    expect(hook.delivered().map((d) => d.body.type)).toEqual(Array(6).fill('incident.created'));
    expect(new Set(hook.delivered().map((d) => d.body.data.id)).size).toBe(6);
  });

  it('replaying a channel whose posts did not change sends no webhook and writes no event', async () => {
    const before = hook.requests.length;
    const [{ n: eventsBefore }] = (await env.store.db.query<{ n: number }>('select count(*)::int as n from events')) as [{ n: number }];
    const counts = await replay({ ...deps(), extractorVersion: 'toy@1' }, { channel: 'chan_a' });
    expect(counts.posts).toBe(3);
    await settle();
    // The replay job (one for the three posts) ran, not deduplicated against the retained originals …
    expect(await env.queues.posts.getCompletedCount()).toBe(posts.length + 1);
    // … and changed nothing.
    expect(hook.requests.length).toBe(before);
    const [{ n: eventsAfter }] = (await env.store.db.query<{ n: number }>('select count(*)::int as n from events')) as [{ n: number }];
    expect(eventsAfter).toBe(eventsBefore);
  });

  it('replaying after a changed extractor announces incident.updated only for the records that changed (and retracted for one gone)', async () => {
    await worker!.stop();
    // Version 2 reads RU-KRS counts differently and no longer reads "crashed" clauses.
    startWorker('toy@2', toyExtractor('toy@2', (c) => (c.outcome === 'crashed' ? null : c.region === 'RU-KRS' ? { ...c, count: c.count + 1 } : c)));
    await worker!.start();
    const before = hook.delivered().length;

    const dry = await countReplay(deps(), { outdated: true });
    expect(dry.posts).toBe(4);
    expect(await env.queues.posts.getWaitingCount()).toBe(0);

    const counts = await replay(deps(), { outdated: true });
    expect(counts.posts).toBe(4);
    await settle();
    // Posts are extracted concurrently: the order across records is not defined.
    const fresh = hook.delivered().slice(before);
    expect(fresh.map((d) => [d.body.type, d.body.data.id, d.body.data.count]).sort((x, y) => String(x[1]).localeCompare(String(y[1])))).toEqual([
      ['incident.updated', 'chan_a/2#0', 13],
      ['incident.retracted', 'chan_a/3#1', 1],
    ]);
    // Unchanged records took the new extractor's name quietly; nothing is outdated any more.
    expect((await countReplay(deps(), { outdated: true })).posts).toBe(0);
    const [row] = await env.store.db.query<{ extractor: string }>(`select extractor from incidents where id = 'chan_b/1#0'`);
    expect(row?.extractor).toBe('toy@2');
  });

  it('replays the failed set once the extractor is fixed, and resolves the failure rows', async () => {
    const broken: Post = { id: 'chan_a/9', channel: 'chan_a', messageId: 9, date: '2026-11-21T06:00:00.000Z', text: 'destroyed 2 RU-ORL; BOOM' };
    await enqueuePosts(env.queues.posts, [broken]);
    await waitFor(async () => (await env.queues.posts.getFailedCount()) === 1, 10_000, 'failed job');
    expect((await countReplay(deps(), { failed: true })).failedJobs).toBe(1);

    await worker!.stop();
    startWorker('toy@2', (post) => toyExtractor('toy@2')({ ...post, text: post.text.replace('BOOM', '') }));
    await worker!.start();
    const before = hook.delivered().length;
    const counts = await replay(deps(), { failed: true });
    expect(counts.failedJobs).toBe(1);
    await settle();
    expect(await env.queues.posts.getFailedCount()).toBe(0);
    expect(hook.delivered().slice(before).map((d) => d.body.data.id)).toEqual(['chan_a/9#0']);
    const rows = await env.store.db.query<{ resolved_at: Date | null }>('select resolved_at from failed_posts');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.resolved_at).not.toBeNull();
  });

  it('the CLI counts with --dry-run and queues with a selection, and refuses an empty one', () => {
    const cliEnv = { ...process.env, DATABASE_URL, DATABASE_SCHEMA: env.schema, REDIS_URL, QUEUE_PREFIX: env.prefix, LOG_LEVEL: 'silent' };
    const run = (...args: string[]) => spawnSync('npx', ['tsx', 'src/cli/main.ts', 'replay', ...args], { env: cliEnv, encoding: 'utf8', timeout: 60_000 });
    const dry = run('--channel', 'chan_a', '--from-id', '2', '--dry-run', '--json');
    expect(dry.status, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, posts: 2 });
    const empty = run();
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('name what to replay');
    const since = run('--since', '2026-11-20T08:30:00Z', '--json');
    expect(since.status, since.stderr).toBe(0);
    expect(JSON.parse(since.stdout)).toMatchObject({ dryRun: false, posts: 1 });
    // Three CLI processes, each starting tsx: seconds apiece on a busy machine.
  }, 90_000);
});

describe('replay with the embedded store held by the service', () => {
  it('asks the running service (POST /admin/replay) with the admin token', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { startService } = await import('../../src/service.js');
    const dataDir = mkdtempSync(join(tmpdir(), 'dw-replay-'));
    const prefix = `dwa_emb_${Date.now()}`;
    const token = 'embedded-admin-token-123456';
    const config = loadConfig({ DATA_DIR: dataDir, REDIS_URL, QUEUE_PREFIX: prefix, HTTP_PORT: '0', ADMIN_TOKEN: token, LOG_LEVEL: 'silent', SHUTDOWN_GRACE_MS: '2000' });
    const logger = (await import('pino')).default({ level: 'silent' });
    const service = await startService({ config, logger, roles: ['http'], handleSignals: false });
    try {
      const post: Post = { id: 'emb/1', channel: 'emb', messageId: 1, date: '2026-11-20T06:00:00.000Z', text: 'destroyed 1 RU-BEL' };
      await service.deps.store.archivePosts([post]);
      const base = { ...process.env, DATA_DIR: dataDir, REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent' };
      delete (base as Record<string, string | undefined>).DATABASE_URL;
      // Asynchronously: the service answering the CLI runs in this very process.
      const run = (env: NodeJS.ProcessEnv, ...args: string[]) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn('npx', ['tsx', 'src/cli/main.ts', 'replay', ...args], { env });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d) => (stdout += d));
          child.stderr.on('data', (d) => (stderr += d));
          child.on('close', (status) => resolve({ status, stdout, stderr }));
        });
      const refused = await run(base, '--channel', 'emb', '--json');
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain('ADMIN_TOKEN');
      const ok = await run({ ...base, ADMIN_TOKEN: token }, '--channel', 'emb', '--json');
      expect(ok.status, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ posts: 1 });
      // One replay job, behind live posts (prioritized).
      expect(await service.deps.queues.posts.getJobCounts('waiting', 'prioritized')).toEqual({ waiting: 0, prioritized: 1 });
    } finally {
      await service.stop();
      const redis = new Redis(REDIS_URL);
      await deleteKeys(redis, prefix);
      redis.disconnect();
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Opening the embedded PGlite store takes seconds on a busy machine.
  }, 120_000);
});
