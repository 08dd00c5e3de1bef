/**
 * Replay: re-queue archived posts for extraction. The extract worker's saveExtraction diffs the
 * new records against the stored ones, so a replay is idempotent — a record that comes out the same
 * changes nothing and announces nothing; a changed one is announced as incident.updated, a vanished
 * one as incident.retracted. Replay jobs get their own job ids (`…-r<time>`) so BullMQ does not
 * deduplicate them against the retained originals.
 *
 * Archived posts go as replay jobs of REPLAY_JOB_SIZE post versions each, keys only (the worker
 * reads the texts from the archive); the failed set goes as single-post jobs, whose data is the
 * post itself. Every replay job has REPLAY_PRIORITY: workers take live posts first.
 *
 * Used by `replay` (src/cli/commands/replay.ts) directly against the store, or through a running
 * service's POST /admin/replay when the embedded store is locked by it.
 */
import type { Queue } from 'bullmq';
import type { Post } from './domain/post.js';
import type { AlertJobData, PostJobData, PostVersionKey } from './queue/names.js';
import { enqueuePosts, enqueueReplayBatches, REPLAY_PRIORITY } from './queue/queues.js';
import { parsePostJob, parseReplayBatchJob } from './queue/extract-worker.js';
import type { Sql } from './store/db.js';
import { listFailures, resolveFailure } from './store/failures.js';
import { countLatestPosts, latestPostKeys, type LatestPostsFilter } from './store/posts.js';

export interface ReplaySelection {
  channel?: string;
  fromId?: number;
  toId?: number;
  since?: Date;
  until?: Date;
  /** Posts whose records were made by another extractor version than `extractorVersion`. */
  outdated?: boolean;
  /** The failed set: failed jobs of the posts queue and unresolved failed_posts rows. */
  failed?: boolean;
  /** Failed webhook deliveries (the alerts queue's failed set). */
  failedDeliveries?: boolean;
  /** Everything in the archive. */
  all?: boolean;
}

export interface ReplayCounts {
  /** Archived posts selected (channel / ids / time / outdated / all). */
  posts: number;
  /**
   * Posts of failed jobs in the queue's failed set (re-queued as replays, the failed job removed):
   * one per single-post job, every post version of a failed replay job.
   */
  failedJobs: number;
  /** Failed posts known only to the store (their job was trimmed): re-queued from the payload. */
  failedRows: number;
  /** Failed rows whose payload is not a valid post: they would fail again, so they are left. */
  invalidRows: number;
  failedDeliveries: number;
}

export interface ReplayDeps {
  db: Sql;
  posts: Queue<PostJobData>;
  alerts?: Queue<AlertJobData>;
  extractorVersion: string;
}

export interface ReplayOptions {
  dryRun?: boolean;
  /** Posts read from the archive (and queued in one round trip) at a time; default 2,000. */
  batchSize?: number;
  /** Post versions per replay job; default REPLAY_JOB_SIZE. */
  jobSize?: number;
  /** Called after each batch with the number of items handled so far and the total. */
  onProgress?: (done: number, total: number) => void;
  now?: number;
}

export class ReplaySelectionError extends Error {
  readonly code = 'REPLAY_SELECTION';
  constructor(message: string) {
    super(message);
    this.name = 'ReplaySelectionError';
  }
}

/** Problems with a selection, all at once; empty when it is usable. */
export function selectionProblems(sel: ReplaySelection): string[] {
  const problems: string[] = [];
  const archive = sel.channel !== undefined || sel.fromId !== undefined || sel.toId !== undefined || sel.since !== undefined || sel.until !== undefined || sel.outdated;
  if (!archive && !sel.all && !sel.failed && !sel.failedDeliveries) {
    problems.push('name what to replay: --channel, --from-id/--to-id, --since/--until, --outdated, --failed, --failed-deliveries, or --all');
  }
  if (sel.all && archive) problems.push('--all replays everything: do not combine it with other filters');
  if ((sel.fromId !== undefined || sel.toId !== undefined) && !sel.channel) problems.push('--from-id/--to-id need --channel (message ids are per channel)');
  if (sel.fromId !== undefined && sel.toId !== undefined && sel.fromId > sel.toId) problems.push('--from-id is greater than --to-id');
  if (sel.since && sel.until && sel.since >= sel.until) problems.push('--since is not before --until');
  return problems;
}

function archiveFilter(sel: ReplaySelection, extractorVersion: string): LatestPostsFilter | null {
  const archive = sel.all || sel.channel !== undefined || sel.fromId !== undefined || sel.toId !== undefined || sel.since !== undefined || sel.until !== undefined || sel.outdated;
  if (!archive) return null;
  const filter: LatestPostsFilter = {};
  if (sel.channel) filter.channel = sel.channel.replace(/^@/, '');
  if (sel.fromId !== undefined) filter.fromId = sel.fromId;
  if (sel.toId !== undefined) filter.toId = sel.toId;
  if (sel.since) filter.since = sel.since;
  if (sel.until) filter.until = sel.until;
  if (sel.outdated) filter.outdatedExtractor = extractorVersion;
  return filter;
}

async function countArchive(db: Sql, filter: LatestPostsFilter | null): Promise<number> {
  return filter ? countLatestPosts(db, filter) : 0;
}

interface FailedPlan {
  /** Valid posts of the failed set, each with the failed job to remove once re-queued. */
  posts: Array<{ post: Post; failedJobId?: string }>;
  /**
   * Failed replay jobs: their post versions, queued again as new replay jobs. Their failure row
   * (which names no post) is resolved once they are queued: a new failure leaves a new row.
   */
  batches: Array<{ versions: PostVersionKey[]; jobId: string | null }>;
  fromJobs: number;
  fromRows: number;
  invalid: number;
}

/**
 * The failed set: BullMQ's failed post jobs and the store's unresolved failed_posts rows (which
 * outlive the jobs' retention), de-duplicated by job id. Each valid post is re-queued as a replay,
 * so that the extract worker resolves its failure rows on success; a payload that is not a valid
 * post would only fail again and is left for the operator.
 */
async function planFailed(deps: ReplayDeps): Promise<FailedPlan> {
  const plan: FailedPlan = { posts: [], batches: [], fromJobs: 0, fromRows: 0, invalid: 0 };
  const seenJobs = new Set<string>();
  const seenPosts = new Set<string>();
  const add = (post: Post, failedJobId?: string): boolean => {
    const key = `${post.id}\u0000${post.text}`;
    if (seenPosts.has(key)) return false;
    seenPosts.add(key);
    plan.posts.push({ post, failedJobId });
    return true;
  };
  for (const job of await deps.posts.getFailed(0, -1)) {
    if (!job?.id) continue;
    seenJobs.add(String(job.id));
    const batch = parseReplayBatchJob(job.data);
    if (batch.ok) {
      plan.batches.push({ versions: batch.versions, jobId: String(job.id) });
      plan.fromJobs += batch.versions.length;
      continue;
    }
    const parsed = parsePostJob(job.data);
    if (!parsed.ok) plan.invalid++;
    else if (add(parsed.post, String(job.id))) plan.fromJobs++;
  }
  for (const f of await listFailures(deps.db, { limit: 100_000 })) {
    if (f.jobId && seenJobs.has(f.jobId)) continue;
    let data: unknown;
    try {
      data = JSON.parse(f.payload);
    } catch {
      plan.invalid++;
      continue;
    }
    // The row of a replay job that failed as a whole after its failed job was trimmed.
    const batch = parseReplayBatchJob(data);
    if (batch.ok) {
      plan.batches.push({ versions: batch.versions, jobId: f.jobId });
      plan.fromRows += batch.versions.length;
      continue;
    }
    const parsed = parsePostJob(data);
    if (!parsed.ok) plan.invalid++;
    else if (add(parsed.post)) plan.fromRows++;
  }
  return plan;
}

/** Counts what a selection would re-queue, without touching anything. */
export async function countReplay(deps: ReplayDeps, sel: ReplaySelection): Promise<ReplayCounts> {
  const problems = selectionProblems(sel);
  if (problems.length) throw new ReplaySelectionError(problems.join('; '));
  const counts: ReplayCounts = { posts: 0, failedJobs: 0, failedRows: 0, invalidRows: 0, failedDeliveries: 0 };
  counts.posts = await countArchive(deps.db, archiveFilter(sel, deps.extractorVersion));
  if (sel.failed) {
    const plan = await planFailed(deps);
    counts.failedJobs = plan.fromJobs;
    counts.failedRows = plan.fromRows;
    counts.invalidRows = plan.invalid;
  }
  if (sel.failedDeliveries && deps.alerts) counts.failedDeliveries = await deps.alerts.getFailedCount();
  return counts;
}

/** The replay job stands in for this failed one: remove it, unless it was retried or removed meanwhile. */
async function removeReplacedFailedJob(queue: Queue, jobId: string): Promise<void> {
  const job = await queue.getJob(jobId);
  if (job && (await job.isFailed())) await job.remove().catch(() => undefined);
}

/** Re-queues the selection (or only counts it with dryRun); returns the counts. */
export async function replay(deps: ReplayDeps, sel: ReplaySelection, options: ReplayOptions = {}): Promise<ReplayCounts> {
  const counts = await countReplay(deps, sel);
  if (options.dryRun) return counts;
  const total = counts.posts + counts.failedJobs + counts.failedRows + counts.failedDeliveries;
  const batchSize = options.batchSize ?? 2_000;
  const now = options.now ?? Date.now();
  const jobOptions = { now, jobSize: options.jobSize };
  let done = 0;
  const progress = (n: number) => {
    done += n;
    options.onProgress?.(done, total);
  };
  options.onProgress?.(0, total);

  const filter = archiveFilter(sel, deps.extractorVersion);
  if (filter) {
    let batch: PostVersionKey[] = [];
    let queued = 0;
    const flush = async () => {
      queued += await enqueueReplayBatches(deps.posts, batch, jobOptions);
      progress(batch.length);
      batch = [];
    };
    // Keys only (no texts): a page of 5,000 is a few hundred kB.
    for await (const key of latestPostKeys(deps.db, { ...filter, pageSize: 5_000 })) {
      batch.push(key);
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length) await flush();
    // Posts archived between the count and now are queued too; report what was done.
    counts.posts = queued;
  }
  if (sel.failed) {
    const plan = await planFailed(deps);
    for (let i = 0; i < plan.posts.length; i += batchSize) {
      const slice = plan.posts.slice(i, i + batchSize);
      await enqueuePosts(deps.posts, slice.map((p) => p.post), { replay: true, now, jobOptions: { priority: REPLAY_PRIORITY } });
      for (const { failedJobId } of slice) if (failedJobId) await removeReplacedFailedJob(deps.posts, failedJobId);
      progress(slice.length);
    }
    for (const { versions, jobId } of plan.batches) {
      await enqueueReplayBatches(deps.posts, versions, jobOptions);
      if (jobId) {
        await removeReplacedFailedJob(deps.posts, jobId);
        await resolveFailure(deps.db, jobId);
      }
      progress(versions.length);
    }
    counts.failedJobs = plan.fromJobs;
    counts.failedRows = plan.fromRows;
    counts.invalidRows = plan.invalid;
  }
  if (sel.failedDeliveries && deps.alerts) {
    const n = await deps.alerts.getFailedCount();
    await deps.alerts.retryJobs({ state: 'failed', count: 1_000 });
    progress(n);
    counts.failedDeliveries = n;
  }
  return counts;
}
