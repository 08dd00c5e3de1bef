/**
 * The extract worker: a post version in, its incident records and change events stored in one
 * transaction. Failures are sorted by what the queue must do (STYLE.md): an invalid post or an
 * extractor that throws on it is permanent (UnrecoverableError, no retries); a store or Redis
 * hiccup is retried with back-off. Either way a job that ends in the failed set leaves a row in
 * failed_posts with its reason: nothing is silently dropped.
 *
 * A replay job ('replay-batch') names many archived post versions by key: the worker reads their
 * texts in one query, extracts each, and saves them in batches. A post at fault (its extractor
 * throws, the store refuses its values) leaves a failed_posts row whose payload is a single-post
 * replay job, for `replay --failed`, and the rest of the job goes on; a store or Redis failure
 * fails the whole job, which is retried (the saves are idempotent).
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { IncidentRecord } from '../domain/incident.js';
import { parsePost, type Post } from '../domain/post.js';
import { EXTRACTOR_VERSION, extractPost } from '../extract/index.js';
import type { Logger } from '../logger.js';
import { extractionDuration, postsIngested, recordsExtracted } from '../metrics.js';
import type { Store } from '../store/index.js';
import type { Db } from '../store/db.js';
import {
  saveExtractionBatch,
  type ExtractionToSave,
  type IncidentChange,
  type SaveResult,
} from '../store/incidents.js';
import { recordFailure, resolveFailuresOfPosts } from '../store/failures.js';
import { ArchiveConflictError, readArchivedVersions } from '../store/posts.js';
import { QUEUES, type PostJobData, type PostsQueueJobData, type PostVersionKey } from './names.js';
import { replayJobId } from './queues.js';

export type Extractor = (post: Post) => IncidentRecord[] | Promise<IncidentRecord[]>;

export interface ExtractWorkerOptions {
  /** A worker connection (maxRetriesPerRequest: null); shared, not closed by stop(). */
  connection: Redis;
  prefix: string;
  store: Store;
  logger: Logger;
  concurrency: number;
  /** Called after a job's changes are committed (the alerts publisher hooks in here). */
  onChanges?: (changes: IncidentChange[], post: Post) => void | Promise<void>;
  /** The extractor and its version; the real one by default (tests slow it down). */
  extract?: Extractor;
  extractorVersion?: string;
  /** How long to wait for active jobs on stop before leaving them to another worker; default 25 s. */
  graceMs?: number;
  /** Group commit: how many jobs' saves may share a transaction, and how many such transactions run at once. */
  saveBatch?: { maxBatch?: number; maxInFlight?: number };
  /**
   * The same for replay jobs, which save through a group commit of their own so that a live
   * post's save never queues behind a replay's; `chunk` is how many posts a replay job extracts
   * before it hands them to the store.
   */
  replaySave?: { chunk?: number; maxBatch?: number; maxInFlight?: number; jobsAtOnce?: number };
  /** BullMQ lock settings; lowered in tests so that a killed worker's job is recovered in seconds. */
  lockDuration?: number;
  stalledInterval?: number;
  maxStalledCount?: number;
}

export interface ExtractJobResult {
  records: number;
  changes: number;
  version: number;
  stale: boolean;
}

/** What a replay job did, per post version. */
export interface ReplayBatchResult {
  /** Post versions the job names. */
  posts: number;
  /** Extracted and saved (stale ones included). */
  saved: number;
  /** Saved but superseded by a newer stored version: nothing was changed for them. */
  stale: number;
  /** No longer in the archive, or deleted since they were queued: skipped. */
  missing: number;
  /** Failed for good (extractor, or values the store refuses): each left a failed_posts row. */
  failed: number;
  records: number;
  changes: number;
}

export interface ExtractWorker {
  readonly worker: Worker<PostsQueueJobData, ExtractJobResult | ReplayBatchResult>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Where a job's post came from, for the failure row, even when the post itself is invalid. */
function describePostId(data: unknown): string | null {
  const post = (data as { post?: { id?: unknown; channel?: unknown; messageId?: unknown } } | null)?.post;
  if (!post || typeof post !== 'object') return null;
  if (typeof post.id === 'string') return post.id.slice(0, 200);
  if (typeof post.channel === 'string' && (typeof post.messageId === 'number' || typeof post.messageId === 'string')) {
    return `${post.channel.slice(0, 64)}/${String(post.messageId).slice(0, 20)}`;
  }
  return null;
}

/** Validates job data: `{kind: 'post', post}` with a valid post. */
export function parsePostJob(data: unknown): { ok: true; post: Post; replay: boolean } | { ok: false; reason: string } {
  if (typeof data !== 'object' || data === null) return { ok: false, reason: 'job data is not an object' };
  const d = data as Partial<PostJobData> & Record<string, unknown>;
  if (d.kind !== 'post') return { ok: false, reason: `job data: expected kind "post", got ${JSON.stringify(d.kind ?? null)}` };
  const parsed = parsePost(d.post);
  if (!parsed.ok) return { ok: false, reason: `invalid post: ${parsed.reason}` };
  return { ok: true, post: parsed.post, replay: d.replay === true };
}

/** The most post versions one replay job may name. */
export const MAX_REPLAY_BATCH = 10_000;

function isPositiveInt(v: unknown, max = Number.MAX_SAFE_INTEGER): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v <= max;
}

/** Validates replay job data: `{kind: 'replay-batch', versions}` with 1…MAX_REPLAY_BATCH keys. */
export function parseReplayBatchJob(data: unknown): { ok: true; versions: PostVersionKey[] } | { ok: false; reason: string } {
  const d = data as { kind?: unknown; versions?: unknown } | null;
  if (typeof d !== 'object' || d === null || d.kind !== 'replay-batch') return { ok: false, reason: 'job data: expected kind "replay-batch"' };
  if (!Array.isArray(d.versions) || d.versions.length === 0 || d.versions.length > MAX_REPLAY_BATCH) {
    return { ok: false, reason: `replay job: expected 1 to ${MAX_REPLAY_BATCH} post versions` };
  }
  const versions: PostVersionKey[] = [];
  for (const v of d.versions as unknown[]) {
    const k = v as Partial<PostVersionKey> | null;
    if (typeof k !== 'object' || k === null || typeof k.channel !== 'string' || k.channel.length === 0 || k.channel.length > 64 || !isPositiveInt(k.messageId) || !isPositiveInt(k.version, 2 ** 31 - 1)) {
      return { ok: false, reason: `replay job: invalid post version ${JSON.stringify(v)?.slice(0, 200)}` };
    }
    versions.push({ channel: k.channel, messageId: k.messageId, version: k.version });
  }
  return { ok: true, versions };
}

function checkRecords(post: Post, records: unknown): IncidentRecord[] {
  if (!Array.isArray(records)) throw new Error('extractor returned no array');
  for (const r of records as IncidentRecord[]) {
    if (!r || typeof r.id !== 'string' || !r.id.startsWith(`${post.id}#`)) {
      throw new Error(`extractor returned a record id ${JSON.stringify(r?.id)} not of post ${post.id}`);
    }
  }
  return records as IncidentRecord[];
}

/**
 * Group commit. A durable commit waits for the disk (milliseconds), and one per job would cap the
 * worker at a few hundred jobs a second; so the saves of jobs running at the same time go to the
 * store together, in one statement. When idle a save starts at once (no added latency); under
 * load the saves that arrive while earlier ones are in flight go together in the next one. Each
 * post is still all-or-nothing. A batch that fails as a whole is retried one save at a time, so
 * that only the job at fault fails.
 *
 * A save that lost a race on a new version of its post (the listener archives a post and queues
 * it in one transaction, and the worker may take the job before that commits) is tried again at
 * once: the statement reports the conflict only after the other writer committed, so the next
 * try finds the stored version with the same text and goes through. Failing the job instead would
 * cost BullMQ's back-off (a second or more) for a race that is over. Nothing of a conflicted save
 * is written, so a retry cannot duplicate versions, records or events.
 */
export const CONFLICT_RETRY_DELAYS_MS: readonly number[] = [0, 20, 100];

interface PendingSave {
  item: ExtractionToSave;
  resolve: (r: SaveResult) => void;
  reject: (e: unknown) => void;
  /** Conflicted tries so far. */
  conflicts: number;
}

export class SaveBatcher {
  private pending: PendingSave[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 64,
    private readonly maxInFlight = 2,
    private readonly conflictRetryDelaysMs: readonly number[] = CONFLICT_RETRY_DELAYS_MS,
  ) {}

  save(item: ExtractionToSave): Promise<SaveResult> {
    return new Promise((resolve, reject) => {
      this.enqueue({ item, resolve, reject, conflicts: 0 });
    });
  }

  private enqueue(entry: PendingSave): void {
    this.pending.push(entry);
    this.pump();
  }

  /** The next batch: pending saves in arrival order, each post at most once (a later version waits its turn). */
  private takeBatch(): PendingSave[] {
    const batch: PendingSave[] = [];
    const keys = new Set<string>();
    const rest: PendingSave[] = [];
    for (const p of this.pending) {
      const key = `${p.item.post.channel}/${p.item.post.messageId}`;
      if (batch.length < this.maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(p);
      } else {
        rest.push(p);
      }
    }
    this.pending = rest;
    return batch;
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      const batch = this.takeBatch();
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** A stored result resolves the save; a conflict (null) is tried again, a few times, then fails the job. */
  private settle(entry: PendingSave, result: SaveResult | null | undefined): void {
    if (result) {
      entry.resolve(result);
      return;
    }
    const delay = this.conflictRetryDelaysMs[entry.conflicts];
    if (delay === undefined) {
      entry.reject(new ArchiveConflictError(entry.item.post.id));
      return;
    }
    entry.conflicts++;
    if (delay <= 0) this.enqueue(entry);
    else setTimeout(() => this.enqueue(entry), delay);
  }

  private async flush(batch: PendingSave[]): Promise<void> {
    try {
      const results = await saveExtractionBatch(
        this.db,
        batch.map((b) => b.item),
      );
      batch.forEach((b, i) => this.settle(b, results[i]));
      return;
    } catch (err) {
      if (batch.length === 1 || !isStatementError(err)) {
        // The store is away (or the batch is one save): every job retries later.
        for (const b of batch) b.reject(err);
        return;
      }
    }
    // The server refused the statement: one of the saves is at fault; find it by saving each alone.
    for (const b of batch) {
      let result: SaveResult | null | undefined;
      try {
        [result] = await saveExtractionBatch(this.db, [b.item]);
      } catch (err) {
        b.reject(err);
        continue;
      }
      this.settle(b, result);
    }
  }
}

/**
 * True for an error the server raised about the statement itself (a SQLSTATE), as opposed to the
 * connection being gone or the server shutting down, where saving one by one would only wait longer.
 */
export function isStatementError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false;
  // 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown), 58 system error
  return !/^(08|53|57|58)/.test(code);
}

/** SQLSTATE class 22, data exception: the values are at fault, not the connection or the server. */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** At most `size` tasks at a time; the others wait their turn in order. */
export class Slots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** The metrics of one stored post: ingested, and its new or updated records by outcome. */
function countStored(post: Post, changes: IncidentChange[]): void {
  postsIngested.inc({ channel: post.channel });
  for (const c of changes) if (c.type !== 'incident.retracted') recordsExtracted.inc({ outcome: c.record.outcome });
}

/** Creates (but does not start) the extract worker. */
export function createExtractWorker(options: ExtractWorkerOptions): ExtractWorker {
  const { store, logger } = options;
  const extract = options.extract ?? extractPost;
  const extractorVersion = options.extractorVersion ?? EXTRACTOR_VERSION;
  const log = logger.child({ role: 'extract' });
  const batcher = new SaveBatcher(store.db, options.saveBatch?.maxBatch ?? 64, options.saveBatch?.maxInFlight ?? 2);
  const replayChunk = options.replaySave?.chunk ?? 125;
  const replayBatcher = new SaveBatcher(store.db, options.replaySave?.maxBatch ?? 250, options.replaySave?.maxInFlight ?? 2);
  // Four replay jobs at a time keep the extractor and the store busy (100,000 posts in 24 s with
  // one worker; two at a time left both half idle: 39 s); sixteen (the concurrency) only held more
  // in memory (400 MB measured).
  const replaySlots = new Slots(options.replaySave?.jobsAtOnce ?? 4);

  async function fail(job: Job<PostsQueueJobData>, reason: string, attempts: number): Promise<void> {
    try {
      await recordFailure(store.db, { jobId: job.id ?? null, postId: describePostId(job.data), payload: job.data, reason, attempts });
    } catch (err) {
      // The job still lands in BullMQ's failed set with the reason; the row is a convenience.
      log.error({ err, jobId: job.id }, 'could not record a failed post in the store');
    }
  }

  /** Tells the onChanges hook; its failure must not fail the job (the outbox keeps the events). */
  async function announce(changes: IncidentChange[], post: Post, jobId: string | undefined): Promise<void> {
    if (changes.length === 0 || !options.onChanges) return;
    try {
      await options.onChanges(changes, post);
    } catch (err) {
      log.warn({ err, jobId }, 'onChanges hook failed; the outbox keeps the events');
    }
  }

  async function process(job: Job<PostsQueueJobData>): Promise<ExtractJobResult | ReplayBatchResult> {
    return job.data?.kind === 'replay-batch' ? processReplayBatch(job) : processPost(job);
  }

  async function processPost(job: Job<PostsQueueJobData>): Promise<ExtractJobResult> {
    const attempt = job.attemptsMade + 1;
    const finalAttempt = attempt >= (job.opts.attempts ?? 1);
    const parsed = parsePostJob(job.data);
    if (!parsed.ok) {
      await fail(job, parsed.reason, attempt);
      throw new UnrecoverableError(parsed.reason);
    }
    const { post } = parsed;
    const endTimer = extractionDuration.startTimer();

    let records: IncidentRecord[];
    try {
      records = checkRecords(post, await extract(post));
    } catch (err) {
      // Deterministic for this text and extractor version: retrying cannot help; replay after a fix.
      const reason = `extractor failed: ${errorMessage(err)}`;
      await fail(job, reason, attempt);
      throw new UnrecoverableError(reason);
    }

    let result;
    try {
      result = await batcher.save({ post, records, extractor: extractorVersion });
      if (parsed.replay) await resolveFailuresOfPosts(store.db, [post.id]);
    } catch (err) {
      if (isDataError(err)) {
        // The server refuses this post's values (a character or a date it cannot store): the same
        // values fail the same way on every retry.
        const reason = `store refused the post: ${errorMessage(err)}`;
        await fail(job, reason, attempt);
        throw new UnrecoverableError(reason);
      }
      if (finalAttempt) await fail(job, `store failed after ${attempt} attempts: ${errorMessage(err)}`, attempt);
      throw err;
    }

    endTimer();
    countStored(post, result.changes);
    // The outbox holds the events durably; the hook only wakes the publisher early. Its failure
    // must not fail the job (a retry would find nothing changed and never call it again).
    await announce(result.changes, post, job.id);
    if (log.isLevelEnabled('debug')) log.debug({ jobId: job.id, records: records.length, changes: result.changes.length }, 'post extracted');
    return { records: records.length, changes: result.changes.length, version: result.version, stale: result.stale };
  }

  async function processReplayBatch(job: Job<PostsQueueJobData>): Promise<ReplayBatchResult> {
    const attempt = job.attemptsMade + 1;
    const parsed = parseReplayBatchJob(job.data);
    if (!parsed.ok) {
      await fail(job, parsed.reason, attempt);
      throw new UnrecoverableError(parsed.reason);
    }
    try {
      return await replaySlots.run(() => replayBatch(job, parsed.versions));
    } catch (err) {
      if (attempt >= (job.opts.attempts ?? 1)) await fail(job, `replay job failed after ${attempt} attempts: ${errorMessage(err)}`, attempt);
      throw err;
    }
  }

  /**
   * One replay job: the archived texts of its versions in one query, then chunk by chunk: extract,
   * save through the replay group commit, count. Failures of all the posts it saved are resolved
   * in one statement at the end.
   */
  async function replayBatch(job: Job<PostsQueueJobData>, versions: PostVersionKey[]): Promise<ReplayBatchResult> {
    const archived = await readArchivedVersions(store.db, versions);
    const result: ReplayBatchResult = { posts: versions.length, saved: 0, stale: 0, missing: versions.length - archived.length, failed: 0, records: 0, changes: 0 };
    const savedPostIds: string[] = [];

    // A post at fault leaves the row a single-post replay job of it would have left (same job id
    // on every retry of this job, so one row): `replay --failed` re-queues it from the payload.
    const postFailed = async (post: Post, reason: string) => {
      result.failed++;
      const payload: PostJobData = { kind: 'post', post, replay: true };
      await recordFailure(store.db, { jobId: replayJobId(post, job.timestamp), postId: post.id, payload, reason, attempts: 1 });
      log.error({ jobId: job.id, postId: post.id, reason }, 'replayed post failed for good');
    };

    for (let i = 0; i < archived.length; i += replayChunk) {
      const extracted: Array<{ post: Post; records: IncidentRecord[]; ms: number }> = [];
      for (const { version: _version, ...stored } of archived.slice(i, i + replayChunk)) {
        const valid = parsePost(stored);
        if (!valid.ok) {
          await postFailed(stored, `invalid post: ${valid.reason}`);
          continue;
        }
        const post = valid.post;
        const t0 = performance.now();
        try {
          extracted.push({ post, records: checkRecords(post, await extract(post)), ms: performance.now() - t0 });
        } catch (err) {
          await postFailed(post, `extractor failed: ${errorMessage(err)}`);
        }
      }

      const t0 = performance.now();
      const saves = await Promise.allSettled(extracted.map(({ post, records }) => replayBatcher.save({ post, records, extractor: extractorVersion })));
      const saveMsPerPost = (performance.now() - t0) / Math.max(1, extracted.length);
      let storeError: unknown;
      for (const [k, save] of saves.entries()) {
        const { post, records, ms } = extracted[k]!;
        if (save.status === 'rejected') {
          // Values the server refuses fail the same way on every retry; anything else is the store's.
          if (isDataError(save.reason)) await postFailed(post, `store refused the post: ${errorMessage(save.reason)}`);
          else storeError ??= save.reason;
          continue;
        }
        const saved = save.value;
        result.saved++;
        if (saved.stale) result.stale++;
        result.records += records.length;
        result.changes += saved.changes.length;
        savedPostIds.push(post.id);
        extractionDuration.observe((ms + saveMsPerPost) / 1000);
        countStored(post, saved.changes);
        await announce(saved.changes, post, job.id);
      }
      if (storeError !== undefined) throw storeError;
      await job.updateProgress(Math.round((100 * Math.min(archived.length, i + replayChunk)) / Math.max(1, archived.length)));
    }

    await resolveFailuresOfPosts(store.db, savedPostIds);
    if (log.isLevelEnabled('debug')) log.debug({ jobId: job.id, ...result }, 'replay job done');
    return result;
  }

  const worker = new Worker<PostsQueueJobData, ExtractJobResult | ReplayBatchResult>(QUEUES.posts, process, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    autorun: false,
    ...(options.lockDuration !== undefined ? { lockDuration: options.lockDuration } : {}),
    ...(options.stalledInterval !== undefined ? { stalledInterval: options.stalledInterval } : {}),
    ...(options.maxStalledCount !== undefined ? { maxStalledCount: options.maxStalledCount } : {}),
  });
  worker.on('error', (err) => log.error({ err }, 'extract worker error'));
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    log[final ? 'error' : 'warn']({ jobId: job.id, attempt: job.attemptsMade, reason: err.message }, final ? 'post job failed for good' : 'post job failed; will retry');
  });

  let running: Promise<void> | null = null;
  return {
    worker,
    async start() {
      running = worker.run().catch((err: unknown) => log.error({ err }, 'extract worker stopped with an error'));
      await worker.waitUntilReady();
      log.info({ concurrency: options.concurrency, extractor: extractorVersion }, 'extract worker started');
    },
    async stop() {
      const graceMs = options.graceMs ?? 25_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), graceMs);
      });
      const outcome = await Promise.race([worker.close().then(() => 'closed' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        // Jobs still running keep their lock until it expires; another worker then picks them up.
        log.warn({ graceMs }, 'active jobs did not finish within the grace period; leaving them to stall recovery');
        await worker.disconnect().catch(() => undefined);
      } else {
        await running;
      }
      log.info('extract worker stopped');
    },
  };
}
