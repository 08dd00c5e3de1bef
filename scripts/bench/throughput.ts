/**
 * Sections 2 and 3: the bare BullMQ baseline and the pipeline, measured the same way.
 *
 * Each run: a fresh prefix (and schema); the posts queue is paused, filled with the posts through
 * enqueuePosts (addBulk, the listener's path), one worker process is started and waits; the clock
 * starts when the queue is resumed and stops when nothing is waiting or active (and, for the
 * pipeline, when every record's event is on the Redis stream). The baseline's worker does nothing
 * with the same jobs; the pipeline's is the real service process (`start --role extract,alerts`):
 * extract worker → store (archive + records + outbox, one statement) → outbox publisher → stream.
 * Runs alternate (bare, pipeline, bare, …) so that drift on the machine hits both; medians win.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { incidentStreamKey } from '../../src/alerts/stream.js';
import type { Post } from '../../src/domain/post.js';
import { extractPost } from '../../src/extract/index.js';
import type { Redis } from 'ioredis';
import { createQueues, enqueuePosts, type Queues } from '../../src/queue/queues.js';
import { openEmbedded } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { benchPosts } from './corpus.js';
import {
  createRedis,
  deletePrefix,
  dropSchema,
  median,
  processCpuSplit,
  progress,
  REDIS_URL,
  round,
  runIds,
  serviceCpu,
  serviceCpuBetween,
  serviceEnv,
  startChild,
  until,
} from './env.js';

export interface ThroughputOptions {
  posts: Post[];
  repeats: number;
  /** Posts for the embedded-store column (PGlite is one connection: slower, so fewer posts). */
  embeddedPosts: Post[];
  concurrency?: number;
}

/** CPU time per post (µs) of the worker process, PostgreSQL and Redis: where the work went. */
export interface CpuPerPost {
  worker: number;
  /** Of the worker's, the part spent in the kernel (socket writes and reads, mostly). */
  workerSystem?: number;
  postgres: number;
  redis: number;
}

export interface RunResult {
  seconds: number;
  perSec: number;
  peakRssMb: number;
  cpu: CpuPerPost;
}

function medianCpu(runs: RunResult[]): CpuPerPost {
  return {
    worker: round(median(runs.map((r) => r.cpu.worker))),
    workerSystem: round(median(runs.map((r) => r.cpu.workerSystem ?? 0))),
    postgres: round(median(runs.map((r) => r.cpu.postgres))),
    redis: round(median(runs.map((r) => r.cpu.redis))),
  };
}

export interface ThroughputResult {
  bareBullmq: { jobsPerSec: number; jobs: number; runs: number[]; cpuUsPerJob: CpuPerPost };
  pipeline: {
    postsPerSec: number;
    ratioToBare: number;
    posts: number;
    records: number;
    runs: number[];
    peakWorkerRssMb: number;
    cpuUsPerPost: CpuPerPost;
    embedded: { postsPerSec: number; ratioToBare: number; posts: number; runs: number[]; peakWorkerRssMb: number; cpuUsPerPost: CpuPerPost } | { error: string };
  };
}

type Kind = 'bare' | 'pipeline' | 'embedded';

export function cpuText(c: CpuPerPost): string {
  const sys = c.workerSystem !== undefined ? ` (${Math.round(c.workerSystem)} in the kernel)` : '';
  return `CPU µs/post: worker ${Math.round(c.worker)}${sys}, postgres ${Math.round(c.postgres)}, redis ${Math.round(c.redis)}`;
}

/** Jobs not yet finished (any state a job waits or runs in). */
async function unfinished(queues: Queues): Promise<number> {
  const c = await queues.posts.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(c).reduce((a, b) => a + b, 0);
}

async function fillPaused(queues: Queues, posts: Post[]): Promise<void> {
  await queues.posts.pause();
  for (let i = 0; i < posts.length; i += 1_000) await enqueuePosts(queues.posts, posts.slice(i, i + 1_000));
}

/** Records the extractor makes of these posts: each becomes one `incident.created` stream entry. */
export function expectedRecords(posts: Post[]): number {
  let n = 0;
  for (const p of posts) n += extractPost(p).length;
  return n;
}

/** Posts a fresh worker processes before the clock starts (JIT, pools, caches), as a long-running worker would have. */
export interface Workload {
  posts: Post[];
  /** Stream entries the posts make (one per record). */
  records: number;
  warmup: Post[];
  warmupRecords: number;
}

/** Waits until the queue has nothing left to run and (pipeline) the stream holds `streamEntries`. */
function drained(kind: Kind, queues: Queues, redis: Redis, streamKey: string, streamEntries: number, what: string): Promise<true> {
  return until(
    async () => {
      // XLEN first: one O(1) command per poll while the pipeline runs, instead of the job counts
      // (five states, a script) whose Redis time would be charged to the run being measured.
      if (kind !== 'bare' && (await redis.xlen(streamKey)) < streamEntries) return undefined;
      if ((await unfinished(queues)) > 0) return undefined;
      return true;
    },
    600_000,
    what,
    10,
  );
}

async function runOnce(kind: Kind, work: Workload, concurrency: number): Promise<RunResult> {
  const { prefix, schema } = runIds(kind === 'bare' ? 'bare' : 'pipe');
  const dataDir = kind === 'embedded' ? mkdtempSync(join(tmpdir(), 'dwbench-pglite-')) : undefined;
  const redis = createRedis();
  const queues = await createQueues({ redisUrl: REDIS_URL, prefix });
  const streamKey = incidentStreamKey(prefix);
  let child: ReturnType<typeof startChild> | undefined;
  try {
    const env = serviceEnv({ prefix, schema, dataDir, concurrency });
    if (dataDir) await initEmbedded(dataDir, schema);
    if (kind === 'bare') {
      child = startChild('scripts/bench/bare-worker.ts', [], env, 'bare worker');
      await child.waitFor((l) => l.msg === 'bare worker started', 60_000, 'bare worker started');
    } else {
      child = startChild('src/cli/main.ts', ['start', '--role', 'extract,alerts'], env, `${kind} worker`);
      await child.waitFor((l) => l.msg === 'dronewire started', 90_000, 'dronewire started');
    }
    for (let i = 0; i < work.warmup.length; i += 1_000) await enqueuePosts(queues.posts, work.warmup.slice(i, i + 1_000));
    await drained(kind, queues, redis, streamKey, work.warmupRecords, `${kind}: warm-up`);
    await fillPaused(queues, work.posts);

    const cpu0 = serviceCpu();
    const worker0 = processCpuSplit(child.pid);
    const t0 = performance.now();
    await queues.posts.resume();
    await drained(kind, queues, redis, streamKey, work.warmupRecords + work.records, `${kind}: ${work.posts.length} jobs`);
    const seconds = (performance.now() - t0) / 1000;
    const services = serviceCpuBetween(cpu0, serviceCpu());
    const perPost = (ms: number) => (ms * 1000) / work.posts.length;
    const worker1 = processCpuSplit(child.pid);
    const cpu: CpuPerPost = {
      worker: perPost(worker1.userMs + worker1.systemMs - worker0.userMs - worker0.systemMs),
      workerSystem: perPost(worker1.systemMs - worker0.systemMs),
      postgres: perPost(services.postgresMs),
      redis: perPost(services.redisMs),
    };
    const failed = await queues.posts.getFailedCount();
    if (failed > 0) {
      const [job] = await queues.posts.getFailed(0, 0);
      throw new Error(`${kind}: ${failed} job(s) failed, e.g. ${job?.failedReason ?? '?'}`);
    }
    return { seconds, perSec: work.posts.length / seconds, peakRssMb: child.peakRssMb(), cpu };
  } finally {
    await child?.stop();
    await queues.close();
    await deletePrefix(redis, prefix);
    await redis.quit();
    if (kind === 'pipeline') await dropSchema(schema);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Creates the embedded store before the worker starts: the first open of a new DATA_DIR runs initdb
 * in PGlite, which peaks at ~900 MB RSS once in an installation's life; the worker's figure should
 * be its steady state, as after any restart.
 */
async function initEmbedded(dataDir: string, schema: string): Promise<void> {
  const db = await openEmbedded(dataDir, schema);
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
}

/**
 * The measured posts and a warm-up of other posts (half as many, at least 100). A long-running
 * worker has extracted many thousands of posts, and V8 has optimized its code; a worker measured
 * after only 1,000 (a quarter of the earlier 4,000) still spent half its CPU time compiling and
 * running cold code (500 µs per post against 260 warm).
 */
export function workload(posts: Post[], seed: number): Workload {
  const warmup = benchPosts(Math.max(100, Math.round(posts.length / 2)), { seed: seed + 1000, channelSuffix: '_warm' });
  return { posts, records: expectedRecords(posts), warmup, warmupRecords: expectedRecords(warmup) };
}

/** The pipeline on the embedded store (PGlite in a temporary DATA_DIR); an error is reported, not thrown. */
async function embeddedColumn(posts: Post[], repeats: number, bareRate: number, concurrency: number): Promise<ThroughputResult['pipeline']['embedded']> {
  try {
    const work = workload(posts, 2);
    const runs: RunResult[] = [];
    for (let i = 0; i < Math.max(1, Math.min(repeats, 1)); i++) {
      const e = await runOnce('embedded', work, concurrency);
      runs.push(e);
      progress(`  pipeline (embedded store) run ${i + 1}: ${Math.round(e.perSec)} posts/s (${e.seconds.toFixed(2)} s; ${cpuText(e.cpu)}; worker peak RSS ${Math.round(e.peakRssMb)} MB)`);
    }
    const rate = median(runs.map((r) => r.perSec));
    return {
      postsPerSec: round(rate),
      ratioToBare: round(rate / bareRate, 3),
      posts: posts.length,
      runs: runs.map((r) => round(r.perSec)),
      peakWorkerRssMb: round(Math.max(...runs.map((r) => r.peakRssMb))),
      cpuUsPerPost: medianCpu(runs),
    };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    progress(`  pipeline (embedded store) failed: ${error}`);
    return { error };
  }
}

export async function benchThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const concurrency = options.concurrency ?? 16;
  const work = workload(options.posts, 1);
  const records = work.records;
  progress(`throughput: ${options.posts.length} posts (${records} records) per run after ${work.warmup.length} warm-up posts, ${options.repeats} run(s) each, concurrency ${concurrency}`);
  const bare: RunResult[] = [];
  const pipe: RunResult[] = [];
  for (let i = 0; i < options.repeats; i++) {
    const b = await runOnce('bare', work, concurrency);
    bare.push(b);
    progress(`  bare BullMQ run ${i + 1}: ${Math.round(b.perSec)} jobs/s (${b.seconds.toFixed(2)} s; ${cpuText(b.cpu)})`);
    const p = await runOnce('pipeline', work, concurrency);
    pipe.push(p);
    progress(`  pipeline run ${i + 1}: ${Math.round(p.perSec)} posts/s (${p.seconds.toFixed(2)} s; ${cpuText(p.cpu)}; worker peak RSS ${Math.round(p.peakRssMb)} MB)`);
  }
  const bareRate = median(bare.map((r) => r.perSec));
  const pipeRate = median(pipe.map((r) => r.perSec));

  const embedded = options.embeddedPosts.length > 0 ? await embeddedColumn(options.embeddedPosts, options.repeats, bareRate, concurrency) : { error: 'skipped' };

  return {
    bareBullmq: { jobsPerSec: round(bareRate), jobs: options.posts.length, runs: bare.map((r) => round(r.perSec)), cpuUsPerJob: medianCpu(bare) },
    pipeline: {
      postsPerSec: round(pipeRate),
      ratioToBare: round(pipeRate / bareRate, 3),
      posts: options.posts.length,
      records,
      runs: pipe.map((r) => round(r.perSec)),
      peakWorkerRssMb: round(Math.max(...pipe.map((r) => r.peakRssMb))),
      cpuUsPerPost: medianCpu(pipe),
      embedded,
    },
  };
}
