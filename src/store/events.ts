/**
 * The outbox of incident change events. The extract worker writes them in the same transaction as
 * the records (src/store/incidents.ts); a publisher reads the unpublished ones in order and marks
 * them published once delivered onward, so no change is lost between the store and consumers.
 */
import type { IncidentRecord } from '../domain/incident.js';
import type { Sql } from './db.js';
import type { IncidentEventType } from './incidents.js';

export interface StoredEvent {
  /** Monotonic order of creation. */
  seq: number;
  /** `evt_…`, deterministic per change; consumers use it for idempotency. */
  id: string;
  type: IncidentEventType;
  recordId: string;
  /** The record as it stands after the change (as it stood, for a retraction). */
  payload: IncidentRecord;
  createdAt: string;
  publishedAt: string | null;
}

interface EventRow {
  seq: string | number;
  id: string;
  type: IncidentEventType;
  record_id: string;
  payload: IncidentRecord;
  created_at: Date | string;
  published_at: Date | string | null;
}

function toIso(v: Date | string): string {
  return v instanceof Date ? v.toISOString() : new Date(v).toISOString();
}

function toEvent(r: EventRow): StoredEvent {
  return {
    seq: Number(r.seq),
    id: r.id,
    type: r.type,
    recordId: r.record_id,
    payload: r.payload,
    createdAt: toIso(r.created_at),
    publishedAt: r.published_at ? toIso(r.published_at) : null,
  };
}

/** The oldest unpublished events, in order. */
export async function unpublishedEvents(db: Sql, limit = 100): Promise<StoredEvent[]> {
  const rows = await db.query<EventRow>(
    'select seq, id, type, record_id, payload, created_at, published_at from events where published_at is null order by seq limit $1',
    [limit],
  );
  return rows.map(toEvent);
}

/** Events after a sequence number (for SSE resumption with Last-Event-ID). */
export async function eventsAfter(db: Sql, seq: number, limit = 100): Promise<StoredEvent[]> {
  const rows = await db.query<EventRow>(
    'select seq, id, type, record_id, payload, created_at, published_at from events where seq > $1 order by seq limit $2',
    [seq, limit],
  );
  return rows.map(toEvent);
}

export async function markPublished(db: Sql, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db.query('update events set published_at = now() where id = any($1::text[]) and published_at is null returning seq', [ids]);
  return rows.length;
}

/*
 * The publisher's mark, by sequence number (the primary key). Its commit does not wait for the
 * disk (synchronous_commit off for this transaction only): a mark lost to a server crash only
 * makes the events publish again, which the stream marker and the delivery job ids turn into
 * no-ops. That saves a WAL flush per publisher round (~0.5 ms of PostgreSQL CPU and several ms of
 * waiting on this machine). Only this statement's transaction is affected (set_config local).
 */
const MARK_PUBLISHED_SQL = `
update events e set published_at = now()
from (select set_config('synchronous_commit', 'off', true)) as async_commit
where e.seq = any($1::bigint[]) and e.published_at is null`;

/** markPublished by sequence number, as the outbox publisher calls it after every round. */
export async function markPublishedSeqs(db: Sql, seqs: number[]): Promise<void> {
  if (seqs.length === 0) return;
  await db.query(MARK_PUBLISHED_SQL, [seqs], 'dw_mark_published');
}

export async function eventStats(db: Sql): Promise<{ total: number; unpublished: number }> {
  const [row] = await db.query<{ total: number; unpublished: number }>(
    'select count(*)::int as total, count(*) filter (where published_at is null)::int as unpublished from events',
  );
  return row ?? { total: 0, unpublished: 0 };
}
