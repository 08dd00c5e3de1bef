/**
 * Section 4: replay of the archive. The archive is seeded with a bulk insert (one statement per
 * 5,000 posts; hashes computed by PostgreSQL the way textHash does), then for 1, 2 and 4 worker
 * processes (`start --role extract`, the real service process, concurrency 16 each): the records
 * and events are emptied so that every run does the same work, the replay path of `replay --all`
 * (src/replay.ts: page the archive, queue replay jobs of REPLAY_JOB_SIZE post versions by key,
 * addBulk per page) queues every post, and the clock runs from the call until the queue has
 * nothing waiting, prioritized or active. Every post gets its records created and its events
 * written to the outbox, the heaviest kind of replay (an upgrade that changes nothing writes less).
 * A post that failed on its own (a failed_posts row, its replay job going on) fails the bench too.
 */
import { EXTRACTOR_VERSION } from '../../src/extract/index.js';
import type { Post } from '../../src/domain/post.js';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { replay } from '../../src/replay.js';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { benchPosts } from './corpus.js';
import {
  createRedis,
  deletePrefix,
  dropSchema,
  openBenchDb,
  processCpuMs,
  progress,
  REDIS_URL,
  round,
  runIds,
  serviceCpu,
  serviceCpuBetween,
  serviceEnv,
  startChild,
  until,
  type Child,
} from './env.js';
import { cpuText, type CpuPerPost } from './throughput.js';

export interface ReplayOptions {
  posts: number;
  workers: number[];
  concurrency?: number;
  /** A run still going after this long is cut short and its time projected; default 60 s. */
  capSeconds?: number;
}

export interface ReplayResult {
  posts: number;
  /** Wall time of the fastest worker count (bestWorkers). */
  seconds: number;
  bestWorkers: number;
  /** Wall time per number of worker processes ("1", "2", "4"). */
  byWorkers: Record<string, number>;
  /** Of that, the time the replay call took to queue everything. */
  enqueueSecondsByWorkers: Record<string, number>;
  postsPerSecByWorkers: Record<string, number>;
  /** CPU time per post of the worker processes (together), PostgreSQL and Redis. */
  cpuUsPerPostByWorkers: Record<string, CpuPerPost>;
  /** Worker counts whose run was cut short at the cap: their seconds are projected from the rate so far. */
  projected: string[];
  records: number;
  seedSeconds: number;
  peakWorkerRssMb: number;
}

const SEED_BATCH = 5_000;

/** Inserts the posts as first versions, read by no extractor yet. */
export async function seedArchive(db: Db, posts: Post[]): Promise<void> {
  for (let i = 0; i < posts.length; i += SEED_BATCH) {
    const batch = posts.slice(i, i + SEED_BATCH);
    await db.query(
      `insert into posts (channel, message_id, version, post_id, date, text, text_hash, lang, channel_region)
       select u.channel, u.message_id, 1, u.post_id, u.date::timestamptz, u.text,
              encode(sha256(convert_to(u.text, 'UTF8')), 'hex'), u.lang, u.region
       from unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         as u(channel, message_id, post_id, date, text, lang, region)`,
      [
        batch.map((p) => p.channel),
        batch.map((p) => p.messageId),
        batch.map((p) => p.id),
        batch.map((p) => p.date),
        batch.map((p) => p.text),
        batch.map((p) => p.lang ?? null),
        batch.map((p) => p.channelRegion ?? null),
      ],
    );
  }
}

async function unfinished(queues: Queues): Promise<number> {
  const c = await queues.posts.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(c).reduce((a, b) => a + b, 0);
}

async function startWorkers(n: number, prefix: string, schema: string, concurrency: number, first: number): Promise<Child[]> {
  const env = serviceEnv({ prefix, schema, concurrency });
  const children = Array.from({ length: n }, (_, i) => startChild('src/cli/main.ts', ['start', '--role', 'extract'], env, `replay worker ${first + i}`));
  await Promise.all(children.map((c) => c.waitFor((l) => l.msg === 'dronewire started', 90_000, 'dronewire started')));
  return children;
}

/** One replay of the whole archive with the worker processes running now. */
class ReplayCutShort extends Error {
  constructor() {
    super('replay cut short by the bench');
    this.name = 'ReplayCutShort';
  }
}

async function postsRead(db: Db): Promise<number> {
  const [row] = await db.query<{ n: number }>('select count(*)::int as n from posts where extracted_by = $1', [EXTRACTOR_VERSION]);
  return row?.n ?? 0;
}

/**
 * One replay of the whole archive with the worker processes running now. A run that has not
 * finished after capSeconds is cut short (the bench must end in minutes even when replay is far
 * from its target): its time is projected from the posts done so far and marked as such.
 */
async function replayOnce(db: Db, queues: Queues, total: number, children: Child[], capSeconds: number) {
  // The same work every run: no records yet, and no post read by this extractor version.
  await db.query('truncate incidents, events, failed_posts');
  await db.query('update posts set extracted_by = null, extracted_at = null');
  await db.query('vacuum analyze posts');
  const cpu0 = serviceCpu();
  const workersCpu = () => children.reduce((sum, c) => sum + processCpuMs(c.pid), 0);
  const workers0 = workersCpu();
  const t0 = performance.now();
  let enqueued = Number.NaN;
  // At the cap the replay's queueing stops too: its addBulk refuses from then on (the replay path
  // itself has no way to be cancelled, and queueing 100,000 posts can outlast the cap).
  let cut = false;
  const posts = new Proxy(queues.posts, {
    get(target, prop, receiver) {
      if (prop !== 'addBulk') return Reflect.get(target, prop, receiver);
      return (jobs: Parameters<Queues['posts']['addBulk']>[0]) => (cut ? Promise.reject(new ReplayCutShort()) : target.addBulk(jobs));
    },
  });
  const queueing = replay({ db, posts, extractorVersion: EXTRACTOR_VERSION }, { all: true }).then((counts) => {
    enqueued = performance.now();
    return counts;
  });
  queueing.catch(() => undefined);
  const finished = await until(
    async () => {
      if (!Number.isNaN(enqueued) && (await unfinished(queues)) === 0) return true;
      return performance.now() - t0 > capSeconds * 1000 ? false : undefined;
    },
    (capSeconds + 600) * 1000,
    `replay of ${total} posts`,
    25,
  );
  const elapsed = (performance.now() - t0) / 1000;
  const done = finished ? total : await postsRead(db);
  const services = serviceCpuBetween(cpu0, serviceCpu());
  const perPost = (ms: number) => round((ms * 1000) / Math.max(1, done));
  const cpu: CpuPerPost = { worker: perPost(workersCpu() - workers0), postgres: perPost(services.postgresMs), redis: perPost(services.redisMs) };

  if (finished) {
    const counts = await queueing;
    if (counts.posts !== total) throw new Error(`replay queued ${counts.posts} posts, expected ${total}`);
  } else {
    // Cut short: stop queueing, drop what is still waiting, let the running jobs end.
    cut = true;
    await queueing.catch((err: unknown) => {
      if (!(err instanceof ReplayCutShort)) throw err;
    });
    await queues.posts.drain(true);
    await until(async () => ((await unfinished(queues)) === 0 ? true : undefined), 120_000, 'the running replay jobs', 50);
  }
  const failed = await queues.posts.getFailedCount();
  if (failed > 0) {
    const [job] = await queues.posts.getFailed(0, 0);
    throw new Error(`replay: ${failed} job(s) failed, e.g. ${job?.failedReason ?? '?'}`);
  }
  const [failedPosts] = await db.query<{ n: number; reason: string | null }>('select count(*)::int as n, min(reason) as reason from failed_posts');
  if (failedPosts && failedPosts.n > 0) throw new Error(`replay: ${failedPosts.n} post(s) failed, e.g. ${failedPosts.reason ?? '?'}`);
  const [row] = await db.query<{ records: number }>('select count(*)::int as records from incidents');
  if (finished && (await postsRead(db)) !== total) throw new Error(`replay: not every one of ${total} posts was read by ${EXTRACTOR_VERSION}`);
  return {
    seconds: finished ? elapsed : (elapsed * total) / Math.max(1, done),
    complete: finished,
    done,
    // NaN (null in the JSON) when the queueing was cut short too.
    enqueueSeconds: (enqueued - t0) / 1000,
    records: row?.records ?? 0,
    cpu,
  };
}

export async function benchReplay(options: ReplayOptions): Promise<ReplayResult> {
  const concurrency = options.concurrency ?? 16;
  const { prefix, schema } = runIds('replay');
  const db = await openBenchDb(schema, 4);
  try {
    await migrate(db);
    progress(`replay: seeding the archive with ${options.posts} posts`);
    const s0 = performance.now();
    await seedArchive(db, benchPosts(options.posts, { seed: 3 }));
    await db.query('analyze posts');
    const seedSeconds = (performance.now() - s0) / 1000;
    progress(`  seeded in ${seedSeconds.toFixed(1)} s`);

    const result: ReplayResult = {
      posts: options.posts,
      seconds: Number.NaN,
      bestWorkers: 0,
      byWorkers: {},
      enqueueSecondsByWorkers: {},
      postsPerSecByWorkers: {},
      cpuUsPerPostByWorkers: {},
      projected: [],
      records: 0,
      seedSeconds: round(seedSeconds, 2),
      peakWorkerRssMb: 0,
    };
    // Worker processes are added between runs (1, then 1 more, then 2 more): one prefix, and
    // four process starts instead of seven. Replay job ids are per call, so runs do not collide.
    const redis = createRedis();
    const queues = await createQueues({ redisUrl: REDIS_URL, prefix });
    const children: Child[] = [];
    try {
      for (const workers of [...options.workers].sort((a, b) => a - b)) {
        if (workers > children.length) children.push(...(await startWorkers(workers - children.length, prefix, schema, concurrency, children.length + 1)));
        const r = await replayOnce(db, queues, options.posts, children, options.capSeconds ?? 60);
        const peakRssMb = Math.max(...children.map((c) => c.peakRssMb()));
        const time = r.complete ? `${r.seconds.toFixed(1)} s` : `cut short after ${r.done} posts; projected ${r.seconds.toFixed(0)} s`;
        progress(`  replay with ${workers} worker process(es): ${time} (${Math.round(options.posts / r.seconds)} posts/s; ${Number.isNaN(r.enqueueSeconds) ? 'queueing cut short' : `queued in ${r.enqueueSeconds.toFixed(1)} s`}; ${r.records} records; ${cpuText(r.cpu)}; peak RSS ${Math.round(peakRssMb)} MB)`);
        if (!r.complete) result.projected.push(String(workers));
        result.byWorkers[String(workers)] = round(r.seconds, 2);
        result.enqueueSecondsByWorkers[String(workers)] = round(r.enqueueSeconds, 2);
        result.postsPerSecByWorkers[String(workers)] = round(options.posts / r.seconds);
        result.cpuUsPerPostByWorkers[String(workers)] = r.cpu;
        if (r.complete) result.records = r.records;
        result.peakWorkerRssMb = round(Math.max(result.peakWorkerRssMb, peakRssMb));
        if (!(r.seconds >= result.seconds)) {
          result.seconds = round(r.seconds, 2);
          result.bestWorkers = workers;
        }
      }
    } finally {
      await Promise.all(children.map((c) => c.stop()));
      await queues.close();
      await deletePrefix(redis, prefix);
      await redis.quit();
    }
    return result;
  } finally {
    await db.close();
    await dropSchema(schema);
  }
}
