/**
 * The extract worker: a post version in, its incident records and change events stored in one
 * transaction. Failures are sorted by what the queue must do (STYLE.md): an invalid post or an
 * extractor that throws on it is permanent (UnrecoverableError, no retries); a store or Redis
 * hiccup is retried with back-off. Either way a job that ends in the failed set leaves a row in
 * failed_posts with its reason: nothing is silently dropped.
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
import { recordFailure, resolveFailuresOfPost } from '../store/failures.js';
import { ArchiveConflictError } from '../store/posts.js';
import { QUEUES, type PostJobData } from './names.js';

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

export interface ExtractWorker {
  readonly worker: Worker<PostJobData, ExtractJobResult>;
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

/** Creates (but does not start) the extract worker. */
export function createExtractWorker(options: ExtractWorkerOptions): ExtractWorker {
  const { store, logger } = options;
  const extract = options.extract ?? extractPost;
  const extractorVersion = options.extractorVersion ?? EXTRACTOR_VERSION;
  const log = logger.child({ role: 'extract' });
  const batcher = new SaveBatcher(store.db, options.saveBatch?.maxBatch ?? 64, options.saveBatch?.maxInFlight ?? 2);

  async function fail(job: Job<PostJobData>, reason: string, attempts: number): Promise<void> {
    try {
      await recordFailure(store.db, { jobId: job.id ?? null, postId: describePostId(job.data), payload: job.data, reason, attempts });
    } catch (err) {
      // The job still lands in BullMQ's failed set with the reason; the row is a convenience.
      log.error({ err, jobId: job.id }, 'could not record a failed post in the store');
    }
  }

  async function process(job: Job<PostJobData>): Promise<ExtractJobResult> {
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
      if (parsed.replay) await resolveFailuresOfPost(store.db, post.id);
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
    postsIngested.inc({ channel: post.channel });
    for (const c of result.changes) if (c.type !== 'incident.retracted') recordsExtracted.inc({ outcome: c.record.outcome });
    if (result.changes.length > 0 && options.onChanges) {
      // The outbox holds the events durably; this hook only wakes the publisher early. Its failure
      // must not fail the job (a retry would find nothing changed and never call it again).
      try {
        await options.onChanges(result.changes, post);
      } catch (err) {
        log.warn({ err, jobId: job.id }, 'onChanges hook failed; the outbox keeps the events');
      }
    }
    if (log.isLevelEnabled('debug')) log.debug({ jobId: job.id, records: records.length, changes: result.changes.length }, 'post extracted');
    return { records: records.length, changes: result.changes.length, version: result.version, stale: result.stale };
  }

  const worker = new Worker<PostJobData, ExtractJobResult>(QUEUES.posts, process, {
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
