/**
 * The queues and how jobs are added to them. Job ids are deterministic (src/domain/ids.ts), so the
 * same post version queued twice while the first job is retained is one job; the store's upsert
 * covers the rest (a duplicate after retention trimmed the first job changes nothing).
 */
import { Queue, type DefaultJobOptions, type JobState, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { redactUrl } from '../config.js';
import { postJobId } from '../domain/ids.js';
import type { Post } from '../domain/post.js';
import { createProducerConnection, waitReady } from './connection.js';
import { QUEUES, type AlertJobData, type PollJobData, type PostJobData, type PostVersionKey, type ReplayBatchJobData } from './names.js';

export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  // 1 s, 2 s, 4 s … about 2 minutes over 8 attempts: rides out a store restart, gives up on a bug.
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export interface Queues {
  posts: Queue<PostJobData>;
  alerts: Queue<AlertJobData>;
  polls: Queue<PollJobData>;
  /** The producer connection the queues share (fail fast). */
  connection: Redis;
  close(): Promise<void>;
}

export interface QueuesOptions {
  redisUrl: string;
  prefix: string;
  /** A producer connection to share; one is created (and closed by close()) when absent. */
  connection?: Redis;
  defaultJobOptions?: DefaultJobOptions;
  /** How long to wait for Redis at start; default 5 s. */
  readyTimeoutMs?: number;
}

/** Opens the three queues on one producer connection; rejects when Redis does not answer. */
export async function createQueues(options: QueuesOptions): Promise<Queues> {
  const owned = !options.connection;
  const connection = options.connection ?? createProducerConnection(options.redisUrl, 'dronewire-producer');
  // ioredis reports a failed connect as an 'error' event; without a listener it would be an
  // unhandled error. Failures surface through waitReady and through each command instead.
  connection.on('error', () => undefined);
  const readyTimeoutMs = options.readyTimeoutMs ?? 5_000;
  try {
    await waitReady(connection, readyTimeoutMs);
  } catch (err) {
    if (owned) connection.disconnect();
    throw new Error(`Redis at ${redactUrl(options.redisUrl)} did not answer within ${readyTimeoutMs} ms (REDIS_URL)`, { cause: err });
  }
  const defaultJobOptions = options.defaultJobOptions ?? DEFAULT_JOB_OPTIONS;
  const common = { connection, prefix: options.prefix, defaultJobOptions };
  const posts = new Queue<PostJobData>(QUEUES.posts, common);
  const alerts = new Queue<AlertJobData>(QUEUES.alerts, common);
  const polls = new Queue<PollJobData>(QUEUES.polls, common);
  for (const q of [posts, alerts, polls]) q.on('error', () => undefined);
  return {
    posts,
    alerts,
    polls,
    connection,
    async close() {
      await Promise.allSettled([posts.close(), alerts.close(), polls.close()]);
      if (owned) await connection.quit().catch(() => connection.disconnect());
    },
  };
}

/** Job id of a replay: distinct from the retained original so that it is not deduplicated away. */
export function replayJobId(post: Post, at: number = Date.now()): string {
  return `${postJobId(post)}-r${at}`;
}

/**
 * Adds posts to the posts queue in one round trip (addBulk). A replay gets a distinct job id per
 * call; otherwise the job id is the post version's, and a duplicate is ignored by BullMQ.
 */
export async function enqueuePosts(
  queue: Queue<PostJobData>,
  posts: Post[],
  options: {
    replay?: boolean;
    now?: number;
    jobOptions?: JobsOptions;
    /**
     * For posts the store does not know: a retained finished job with the same id belongs to an
     * earlier store (a reset DATA_DIR, another DATABASE_URL on the same Redis) and would swallow
     * the new job as a duplicate, so it is removed first.
     */
    requeueFinished?: boolean;
  } = {},
): Promise<number> {
  if (posts.length === 0) return 0;
  const now = options.now ?? Date.now();
  if (options.requeueFinished && !options.replay) await removeFinishedJobs(queue, posts.map((p) => postJobId(p)));
  const jobs = posts.map((post) => {
    const data: PostJobData = options.replay ? { kind: 'post', post, replay: true } : { kind: 'post', post };
    const jobId = options.replay ? replayJobId(post, now) : postJobId(post);
    return { name: 'post', data, opts: { ...options.jobOptions, jobId } };
  });
  await queue.addBulk(jobs);
  return jobs.length;
}

/**
 * BullMQ priority of replay jobs. A worker takes the jobs without a priority (the wait list: live
 * posts) before any prioritized one, so a replay of the whole archive waits behind live posts
 * instead of in front of them; a live post waits at most for a worker slot to free up.
 */
export const REPLAY_PRIORITY = 100;

/** Post versions per replay job: enough to amortise a job's cost, few enough that a job ends in seconds. */
export const REPLAY_JOB_SIZE = 250;

/** Job id of a replay batch: its first post version and size, and the time of the replay call. */
export function replayBatchJobId(versions: readonly PostVersionKey[], at: number): string {
  const first = versions[0];
  const from = first ? `${first.channel.replace(/[^A-Za-z0-9_.-]/g, '_')}-${first.messageId}-v${first.version}` : 'none';
  return `replay-${from}-n${versions.length}-r${at}`;
}

/**
 * Queues archived post versions for re-extraction, REPLAY_JOB_SIZE to a job (keys only), at
 * REPLAY_PRIORITY, in one round trip. A version should appear once per call.
 */
export async function enqueueReplayBatches(
  queue: Queue<PostJobData>,
  versions: readonly PostVersionKey[],
  options: { now?: number; jobSize?: number } = {},
): Promise<number> {
  if (versions.length === 0) return 0;
  const now = options.now ?? Date.now();
  const jobSize = options.jobSize ?? REPLAY_JOB_SIZE;
  const jobs = [];
  for (let i = 0; i < versions.length; i += jobSize) {
    const slice = versions.slice(i, i + jobSize).map(({ channel, messageId, version }) => ({ channel, messageId, version }));
    const data: ReplayBatchJobData = { kind: 'replay-batch', versions: slice };
    jobs.push({ name: 'replay-batch', data, opts: { jobId: replayBatchJobId(slice, now), priority: REPLAY_PRIORITY } });
  }
  // The posts queue is typed by its single-post jobs (most code only adds and reads those); the
  // extract worker takes both kinds (PostsQueueJobData).
  await (queue as unknown as Queue<ReplayBatchJobData>).addBulk(jobs);
  return versions.length;
}

async function removeFinishedJobs(queue: Queue, jobIds: string[]): Promise<void> {
  const states = await Promise.all(jobIds.map((id) => queue.getJobState(id)));
  const finished = jobIds.filter((_, i) => states[i] === 'completed' || states[i] === 'failed');
  await Promise.all(finished.map((id) => queue.remove(id)));
}

export const JOB_STATES: JobState[] = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'waiting-children'];

export interface QueueStatus {
  name: string;
  counts: Record<string, number>;
  /** The most recent failed jobs with their reasons. */
  failed: Array<{ id: string; reason: string; attempts: number; failedAt: string | null }>;
}

/** Counts per state and the latest failed jobs of a queue, for `status`. */
export async function queueStatus(queue: Queue, failedLimit = 20): Promise<QueueStatus> {
  const [counts, failedJobs] = await Promise.all([queue.getJobCounts(...JOB_STATES), queue.getFailed(0, failedLimit - 1)]);
  return {
    name: queue.name,
    counts,
    failed: failedJobs
      .filter((j): j is NonNullable<typeof j> => Boolean(j))
      .map((j) => ({
        id: String(j.id),
        reason: j.failedReason,
        attempts: j.attemptsMade,
        failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
      })),
  };
}

/** True when the posts queue has nothing waiting, delayed or running. */
export async function isDrained(queue: Queue): Promise<boolean> {
  const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(c).every((n) => n === 0);
}
