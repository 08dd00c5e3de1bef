/**
 * Replay jobs of many posts (kind 'replay-batch'), against the real Redis and PostgreSQL and the
 * real extractor: the records they store are exactly those single-post jobs store, a post at fault
 * is set apart (a failed_posts row that `replay --failed` can retry) while the rest are stored, a
 * version gone from the archive is skipped, and live posts are taken before queued replay jobs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../../src/domain/incident.js';
import type { Post } from '../../src/domain/post.js';
import { EXTRACTOR_VERSION, extractPost } from '../../src/extract/index.js';
import { postsIngested } from '../../src/metrics.js';
import { countFailures } from '../../src/store/failures.js';
import { createExtractWorker, type ExtractWorker, type ReplayBatchResult } from '../../src/queue/extract-worker.js';
import { createQueues, enqueuePosts, enqueueReplayBatches, isDrained } from '../../src/queue/queues.js';
import { replay } from '../../src/replay.js';
import { benchPosts } from '../../scripts/bench/corpus.js';
import { createPipelineEnv, REDIS_URL, waitFor, type PipelineEnv } from '../helpers/pipeline-env.js';

let env: PipelineEnv;
let worker: ExtractWorker | undefined;

function startWorker(extract: (post: Post) => IncidentRecord[] | Promise<IncidentRecord[]> = extractPost, concurrency = 4): Promise<void> {
  worker = createExtractWorker({
    connection: env.workerConnection(),
    prefix: env.prefix,
    store: env.store,
    logger: env.logger,
    concurrency,
    extract,
    extractorVersion: EXTRACTOR_VERSION,
    graceMs: 2_000,
    // Small chunks and group commits, so that a job of a hundred posts has several of each.
    replaySave: { chunk: 16, maxBatch: 24 },
  });
  return worker.start();
}

async function stopWorker(): Promise<void> {
  await worker?.stop();
  worker = undefined;
}

const drained = () => waitFor(async () => isDrained(env.queues.posts), 'posts queue drained', 60_000);

/** Everything a replay may write: the records and the outbox, in a comparable form. */
async function snapshot() {
  const incidents = await env.store.db.query<{ id: string; post_version: number; record_hash: string; status: string; extractor: string; record: IncidentRecord }>(
    'select id, post_version, record_hash, status, extractor, record from incidents order by id',
  );
  const events = await env.store.db.query<{ id: string; type: string; record_id: string }>('select id, type, record_id from events order by id');
  return { incidents, events };
}

async function ingested(): Promise<number> {
  return (await postsIngested.get()).values.reduce((sum, v) => sum + v.value, 0);
}

async function replayResults(): Promise<ReplayBatchResult[]> {
  const jobs = await env.queues.posts.getCompleted(0, -1);
  return jobs.filter((j) => (j.data as { kind?: string }).kind === 'replay-batch').map((j) => j.returnvalue as unknown as ReplayBatchResult);
}

beforeEach(async () => {
  env = await createPipelineEnv();
});

afterEach(async () => {
  await stopWorker();
  await env.cleanup();
});

describe('replay jobs of many posts', () => {
  it('store exactly the records and events that single-post jobs store, counting every post', async () => {
    const posts = benchPosts(300, { seed: 11 });
    await startWorker();
    await enqueuePosts(env.queues.posts, posts);
    await drained();
    const single = await snapshot();
    expect(single.incidents.length).toBeGreaterThan(100);

    // The same posts again from the archive alone: no records, no events, read by no extractor.
    await env.store.db.query('truncate incidents, events');
    await env.store.db.query('update posts set extracted_by = null, extracted_at = null');
    await env.queues.posts.clean(0, 0, 'completed');
    const before = await ingested();
    const counts = await replay({ db: env.store.db, posts: env.queues.posts, extractorVersion: EXTRACTOR_VERSION }, { all: true }, { jobSize: 100 });
    expect(counts.posts).toBe(300);
    await drained();

    const replayed = await snapshot();
    expect(replayed.incidents).toEqual(single.incidents);
    expect(replayed.events).toEqual(single.events);
    const results = await replayResults();
    expect(results).toHaveLength(3);
    expect(results.reduce((n, r) => n + r.saved, 0)).toBe(300);
    expect(results.reduce((n, r) => n + r.records, 0)).toBe(single.incidents.length);
    expect(results.every((r) => r.failed === 0 && r.missing === 0 && r.stale === 0)).toBe(true);
    expect(await ingested()).toBe(before + 300);
    const [{ n: read }] = (await env.store.db.query<{ n: number }>('select count(*)::int as n from posts where extracted_by = $1', [EXTRACTOR_VERSION])) as [{ n: number }];
    expect(read).toBe(300);
  });

  it('a post whose extraction throws gets a failed row, the rest are stored, and replay --failed retries it', async () => {
    const posts = benchPosts(120, { seed: 12 });
    const broken = posts[57]!;
    await env.store.archivePosts(posts);
    await startWorker((post) => {
      if (post.id === broken.id) throw new Error('extractor bug');
      return extractPost(post);
    });
    const counts = await replay({ db: env.store.db, posts: env.queues.posts, extractorVersion: EXTRACTOR_VERSION }, { all: true }, { jobSize: 50 });
    expect(counts.posts).toBe(120);
    await drained();

    expect(await env.queues.posts.getFailedCount()).toBe(0);
    const results = await replayResults();
    expect(results.reduce((n, r) => n + r.saved, 0)).toBe(119);
    expect(results.reduce((n, r) => n + r.failed, 0)).toBe(1);
    const rows = await env.store.db.query<{ post_id: string; reason: string; payload: string; resolved_at: Date | null }>('select post_id, reason, payload, resolved_at from failed_posts');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ post_id: broken.id, reason: 'extractor failed: extractor bug', resolved_at: null });
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({ kind: 'post', replay: true, post: { id: broken.id, text: broken.text } });
    const [{ n: stored }] = (await env.store.db.query<{ n: number }>('select count(distinct post_id)::int as n from posts where extracted_by = $1', [EXTRACTOR_VERSION])) as [{ n: number }];
    expect(stored).toBe(119);

    // The extractor is fixed: the failed set holds that one post, re-queued from its row.
    await stopWorker();
    await startWorker();
    const retried = await replay({ db: env.store.db, posts: env.queues.posts, extractorVersion: EXTRACTOR_VERSION }, { failed: true });
    expect(retried).toMatchObject({ posts: 0, failedJobs: 0, failedRows: 1, invalidRows: 0 });
    await drained();
    const [row] = await env.store.db.query<{ resolved_at: Date | null }>('select resolved_at from failed_posts');
    expect(row?.resolved_at).not.toBeNull();
    const [{ n: all }] = (await env.store.db.query<{ n: number }>('select count(*)::int as n from posts where extracted_by = $1', [EXTRACTOR_VERSION])) as [{ n: number }];
    expect(all).toBe(120);
  });

  it('skips and counts versions gone from the archive or deleted since they were queued', async () => {
    const posts = benchPosts(10, { seed: 13 });
    await env.store.archivePosts(posts);
    const keys = posts.map((p) => ({ channel: p.channel, messageId: p.messageId, version: 1 }));
    await env.store.db.query('update posts set deleted_at = now() where channel = $1 and message_id = $2', [posts[3]!.channel, posts[3]!.messageId]);
    await enqueueReplayBatches(env.queues.posts, [...keys, { channel: posts[0]!.channel, messageId: posts[0]!.messageId, version: 7 }]);
    await startWorker();
    await drained();
    const [result] = await replayResults();
    expect(result).toMatchObject({ posts: 11, saved: 9, missing: 2, failed: 0 });
    // The deleted post stays deleted (a replay does not bring it back).
    const [deleted] = await env.store.db.query<{ deleted_at: Date | null }>('select deleted_at from posts where channel = $1 and message_id = $2', [posts[3]!.channel, posts[3]!.messageId]);
    expect(deleted?.deleted_at).not.toBeNull();
  });

  it('a replay job failing as a whole is retried, and replay --failed queues it again and resolves its row', async () => {
    const posts = benchPosts(5, { seed: 14 });
    await env.store.archivePosts(posts);
    // The archive cannot be read: the job fails as a whole on each of its two attempts.
    const db = env.store.db;
    const away: typeof db = {
      ...db,
      query: (text, params, name) => (text.includes('with ordinality') ? Promise.reject(new Error('store away')) : db.query(text, params, name)),
    };
    const queues = await createQueues({ redisUrl: REDIS_URL, prefix: env.prefix, defaultJobOptions: { attempts: 2, backoff: 10 } });
    try {
      await enqueueReplayBatches(queues.posts, posts.map((p) => ({ channel: p.channel, messageId: p.messageId, version: 1 })));
    } finally {
      await queues.close();
    }
    worker = createExtractWorker({ connection: env.workerConnection(), prefix: env.prefix, store: { ...env.store, db: away }, logger: env.logger, concurrency: 1, graceMs: 2_000 });
    await worker.start();
    await waitFor(async () => (await env.queues.posts.getFailedCount()) === 1, 'failed replay job', 20_000);
    const [failed] = await env.queues.posts.getFailed(0, 0);
    expect(failed?.attemptsMade).toBe(2);
    const [row] = await env.store.db.query<{ job_id: string; reason: string }>('select job_id, reason from failed_posts where resolved_at is null');
    expect(row).toEqual({ job_id: failed!.id, reason: 'replay job failed after 2 attempts: store away' });
    await stopWorker();

    const deps = { db: env.store.db, posts: env.queues.posts, extractorVersion: EXTRACTOR_VERSION };
    expect(await replay(deps, { failed: true })).toMatchObject({ failedJobs: 5, failedRows: 0, invalidRows: 0 });
    expect(await env.queues.posts.getFailedCount()).toBe(0);
    expect(await countFailures(env.store.db)).toBe(0);
    await startWorker();
    await drained();
    const [{ n }] = (await env.store.db.query<{ n: number }>('select count(*)::int as n from posts where extracted_by = $1', [EXTRACTOR_VERSION])) as [{ n: number }];
    expect(n).toBe(5);
    expect(await replay(deps, { failed: true }, { dryRun: true })).toMatchObject({ failedJobs: 0, failedRows: 0 });
  });

  it('workers take live posts before queued replay jobs', async () => {
    const archived = benchPosts(60, { seed: 15 });
    await env.store.archivePosts(archived);
    await replay({ db: env.store.db, posts: env.queues.posts, extractorVersion: EXTRACTOR_VERSION }, { all: true }, { jobSize: 10 });
    const live = benchPosts(1, { seed: 16, channelSuffix: 'live' })[0]!;
    await enqueuePosts(env.queues.posts, [live]);
    await startWorker(extractPost, 1);
    await drained();
    const jobs = await env.queues.posts.getCompleted(0, -1);
    const liveJob = jobs.find((j) => (j.data as { kind?: string }).kind === 'post')!;
    const replayJobs = jobs.filter((j) => (j.data as { kind?: string }).kind === 'replay-batch');
    expect(replayJobs).toHaveLength(6);
    for (const r of replayJobs) expect(liveJob.finishedOn!).toBeLessThanOrEqual(r.processedOn!);
  });
});
