/**
 * Failed posts: every job that ended in BullMQ's failed set also leaves a row here with the reason,
 * so that an operator sees it in `status` and `replay --failed` can find it after the job is trimmed.
 */
import type { Sql } from './db.js';

/** Longer payloads are cut (a 2 MB malformed post need not be kept whole to explain its failure). */
export const MAX_FAILURE_PAYLOAD = 64 * 1024;

export interface FailureInput {
  jobId?: string | null;
  postId?: string | null;
  /** The job data as received; stored as JSON text, cut at MAX_FAILURE_PAYLOAD characters. */
  payload: unknown;
  reason: string;
  attempts: number;
}

export interface FailedPost {
  id: number;
  jobId: string | null;
  postId: string | null;
  payload: string;
  reason: string;
  attempts: number;
  failedAt: string;
  resolvedAt: string | null;
}

function payloadText(payload: unknown): string {
  let text: string;
  try {
    text = typeof payload === 'string' ? payload : (JSON.stringify(payload) ?? String(payload));
  } catch {
    text = String(payload);
  }
  if (text.length <= MAX_FAILURE_PAYLOAD) return text;
  return `${text.slice(0, MAX_FAILURE_PAYLOAD)}…[cut: ${text.length} characters in all]`;
}

/** Records (or refreshes, for the same job id) a failure. */
export async function recordFailure(db: Sql, input: FailureInput): Promise<void> {
  const params = [input.jobId ?? null, input.postId ?? null, payloadText(input.payload), input.reason.slice(0, 4_000), input.attempts];
  if (input.jobId) {
    await db.query(
      `insert into failed_posts (job_id, post_id, payload, reason, attempts) values ($1, $2, $3, $4, $5)
       on conflict (job_id) where job_id is not null do update set
         post_id = excluded.post_id, payload = excluded.payload, reason = excluded.reason,
         attempts = excluded.attempts, failed_at = now(), resolved_at = null`,
      params,
    );
  } else {
    await db.query('insert into failed_posts (job_id, post_id, payload, reason, attempts) values ($1, $2, $3, $4, $5)', params);
  }
}

interface FailureRow {
  id: string | number;
  job_id: string | null;
  post_id: string | null;
  payload: string;
  reason: string;
  attempts: number;
  failed_at: Date | string;
  resolved_at: Date | string | null;
}

function toIso(v: Date | string): string {
  return v instanceof Date ? v.toISOString() : new Date(v).toISOString();
}

/** Unresolved failures, newest first (all of them with includeResolved). */
export async function listFailures(db: Sql, options: { limit?: number; includeResolved?: boolean } = {}): Promise<FailedPost[]> {
  const rows = await db.query<FailureRow>(
    `select id, job_id, post_id, payload, reason, attempts, failed_at, resolved_at from failed_posts
     ${options.includeResolved ? '' : 'where resolved_at is null'}
     order by failed_at desc, id desc limit $1`,
    [options.limit ?? 100],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    jobId: r.job_id,
    postId: r.post_id,
    payload: r.payload,
    reason: r.reason,
    attempts: r.attempts,
    failedAt: toIso(r.failed_at),
    resolvedAt: r.resolved_at ? toIso(r.resolved_at) : null,
  }));
}

export async function countFailures(db: Sql): Promise<number> {
  const [row] = await db.query<{ n: number }>('select count(*)::int as n from failed_posts where resolved_at is null');
  return row?.n ?? 0;
}

/** Marks a job's failure resolved (it was replayed and succeeded). */
export async function resolveFailure(db: Sql, jobId: string): Promise<boolean> {
  const rows = await db.query('update failed_posts set resolved_at = now() where job_id = $1 and resolved_at is null returning id', [jobId]);
  return rows.length > 0;
}

/** Marks every failure of these posts resolved, in one statement (their replay, under new job ids, succeeded). */
export async function resolveFailuresOfPosts(db: Sql, postIds: readonly string[]): Promise<number> {
  if (postIds.length === 0) return 0;
  const rows = await db.query<{ n: number }>(
    `with r as (
       update failed_posts set resolved_at = now() where post_id = any($1::text[]) and resolved_at is null returning 1
     ) select count(*)::int as n from r`,
    [postIds],
  );
  return rows[0]?.n ?? 0;
}
