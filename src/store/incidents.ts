/**
 * Incident records and their change events. A post's extraction is saved in ONE transaction: the
 * post version, the records diffed against what the post had, and an outbox event per change with
 * a deterministic id, so that a retried or duplicated job changes nothing the second time.
 */
import { createHash } from 'node:crypto';
import type { IncidentRecord, Outcome } from '../domain/incident.js';
import type { Post } from '../domain/post.js';
import type { Db, Sql } from './db.js';
import { ArchiveConflictError, postColumns } from './posts.js';

export type IncidentEventType = 'incident.created' | 'incident.updated' | 'incident.retracted';

export interface IncidentChange {
  type: IncidentEventType;
  /** The outbox event id (`evt_…`), stable across retries of the same job. */
  eventId: string;
  record: IncidentRecord;
  recordHash: string;
}

export interface SaveResult {
  changes: IncidentChange[];
  /** The archived version the records belong to. */
  version: number;
  /** True when a newer version of the post was stored already; nothing was changed. */
  stale: boolean;
}

/** JSON with sorted keys, so that equal records hash equally whatever order their keys were built in. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Every saved record is hashed: plain loops, no intermediate arrays of entries.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as `<` does.
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * Hash of what a consumer cares about: the record without the extractor's name and provenance, so
 * that a new extractor version reading the same thing does not alert anyone.
 */
export function recordHash(record: IncidentRecord): string {
  const { extractor: _extractor, provenance: _provenance, ...content } = record;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** Deterministic: the same change of the same record at the same post version has one id. */
export function eventId(recordId: string, type: IncidentEventType, hash: string, version: number, extractor: string): string {
  const digest = createHash('sha256').update(`${recordId}|${type}|${hash}|v${version}|${extractor}`).digest('hex');
  return `evt_${digest.slice(0, 24)}`;
}

interface ExistingRow {
  id: string;
  record_hash: string;
  status: string;
  extractor: string;
  record: IncidentRecord;
}

/** Serializes writers of one post (deletion against a running extraction). */
async function lockPost(tx: Sql, channel: string, messageId: number): Promise<void> {
  await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`dw-post/${channel}/${messageId}`]);
}

export interface ExtractionToSave {
  post: Post;
  records: IncidentRecord[];
  extractor: string;
}

function inputOf(item: ExtractionToSave, k: number): Record<string, unknown> {
  const { post, records, extractor } = item;
  const seen = new Set<string>();
  const rows = records.map((record) => {
    if (seen.has(record.id)) throw new Error(`extractor returned record id ${record.id} twice`);
    seen.add(record.id);
    return {
      id: record.id,
      hash: recordHash(record),
      record,
      region: record.region?.code ?? null,
      outcome: record.outcome,
      count: record.count,
      post_date: record.post?.date ?? post.date,
    };
  });
  return {
    ...postColumns(post, k),
    extractor,
    records: rows,
  };
}

/** A change as dw_save_extractions reports it: the record only for a retraction (the caller has the others). */
interface ChangeRow {
  type: IncidentEventType;
  eventId: string;
  id: string;
  recordHash: string;
  record: IncidentRecord | null;
}

function changeOf(c: ChangeRow, item: ExtractionToSave): IncidentChange {
  const record = c.record ?? item.records.find((r) => r.id === c.id);
  if (!record) throw new Error(`save statement reported a change of ${c.id}, not among the records of ${item.post.id}`);
  return { type: c.type, eventId: c.eventId, record, recordHash: c.recordHash };
}

/**
 * Stores one extraction of a post: archives the version, applies the record diff, writes the
 * outbox events, atomically. Idempotent: the same post and records a second time change nothing
 * and return no changes. An older version arriving after a newer one is ignored.
 */
export async function saveExtraction(db: Db, post: Post, records: IncidentRecord[], extractor: string): Promise<IncidentChange[]> {
  return (await saveExtractionDetailed(db, post, records, extractor)).changes;
}

/** saveExtraction, also telling the version written and whether the post was stale. */
export async function saveExtractionDetailed(db: Sql, post: Post, records: IncidentRecord[], extractor: string): Promise<SaveResult> {
  const [result] = await saveExtractionBatch(db, [{ post, records, extractor }]);
  if (!result) throw new ArchiveConflictError(post.id);
  return result;
}

/**
 * Several extractions in ONE statement, so one transaction and one disk flush for all of them.
 * Each post is all-or-nothing; a post that lost a race with another writer of the same post gets
 * `null` in its slot (nothing of it written, retry it: the other writer has committed by then)
 * while the others are stored. A batch must hold each post (channel, message id) at most once.
 * Throws when the statement fails as a whole (the caller may then save the posts one by one).
 */
export async function saveExtractionBatch(db: Sql, items: ExtractionToSave[]): Promise<Array<SaveResult | null>> {
  if (items.length === 0) return [];
  const input = JSON.stringify(items.map((item, k) => inputOf(item, k)));
  // The statement is a function (migration 005 says why and what it does).
  const rows = await db.query<{ k: number; version: number; stale: boolean; conflict: boolean; changes: ChangeRow[] }>(
    'select * from dw_save_extractions($1::jsonb)',
    [input],
    'dw_save_extractions',
  );
  // null until the statement reports the post (a conflict is reported as null too): no Error per slot.
  const out: Array<SaveResult | null> = items.map(() => null);
  for (const row of rows) {
    if (row.conflict) continue;
    const item = items[row.k];
    if (!item) throw new Error(`save statement reported post #${row.k} of a batch of ${items.length}`);
    out[row.k] = { changes: row.changes.map((c) => changeOf(c, item)), version: Number(row.version), stale: row.stale };
  }
  return out;
}

async function writeEvents(tx: Sql, changes: IncidentChange[]): Promise<void> {
  if (changes.length === 0) return;
  const rows = changes.map((c) => ({ id: c.eventId, type: c.type, record_id: c.record.id, payload: c.record }));
  await tx.query(
    `insert into events (id, type, record_id, payload)
     select r.id, r.type, r.record_id, r.payload
     from jsonb_to_recordset($1::jsonb) as r(id text, type text, record_id text, payload jsonb)
     on conflict (id) do nothing`,
    [JSON.stringify(rows)],
  );
}

/** A deleted post: marks it deleted in the archive and retracts its active records, with events. */
export async function retractPost(db: Db, channel: string, messageId: number): Promise<IncidentChange[]> {
  return db.transaction(async (tx) => {
    await lockPost(tx, channel, messageId);
    const [latest] = await tx.query<{ version: number }>(
      'select max(version) as version from posts where channel = $1 and message_id = $2',
      [channel, messageId],
    );
    await tx.query('update posts set deleted_at = now() where channel = $1 and message_id = $2 and deleted_at is null', [channel, messageId]);
    const rows = await tx.query<ExistingRow>(
      `update incidents set status = 'retracted', updated_at = now()
       where channel = $1 and message_id = $2 and status = 'active'
       returning id, record_hash, status, extractor, record`,
      [channel, messageId],
    );
    const version = latest?.version ?? 0;
    const changes = rows.map<IncidentChange>((r) => ({
      type: 'incident.retracted',
      eventId: eventId(r.id, 'incident.retracted', r.record_hash, version, 'post-deleted'),
      record: r.record,
      recordHash: r.record_hash,
    }));
    await writeEvents(tx, changes);
    return changes;
  });
}

export interface IncidentFilter {
  /** ISO 3166-2 code, e.g. RU-BRY. */
  region?: string;
  channel?: string;
  outcome?: Outcome;
  /** Post date from (inclusive). */
  since?: Date;
  /** Post date until (exclusive). */
  until?: Date;
  minCount?: number;
  /** Page size; default 100, at most 10 000. */
  limit?: number;
  /** The `next` cursor of the previous page. */
  after?: string;
  status?: 'active' | 'retracted' | 'all';
}

export interface IncidentPage {
  items: IncidentRecord[];
  /** Cursor for the next page; absent on the last page. */
  next?: string;
}

export const MAX_PAGE = 10_000;

interface Cursor {
  date: string;
  postId: string;
  n: number;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.date, c.postId, c.n])).toString('base64url');
}

export class InvalidCursorError extends Error {
  readonly code = 'INVALID_CURSOR';
  constructor() {
    super('invalid page cursor');
    this.name = 'InvalidCursorError';
  }
}

function decodeCursor(s: string): Cursor {
  try {
    const [date, postId, n] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as [string, string, number];
    if (typeof date !== 'string' || typeof postId !== 'string' || typeof n !== 'number') throw new Error();
    return { date, postId, n };
  } catch {
    throw new InvalidCursorError();
  }
}

// Records of one post keep their text order (#2 before #10), so the index is compared as a number.
const RECORD_INDEX = `coalesce(substring(id from '#([0-9]+)$')::int, 0)`;

/** Copies `from` keys in the given order (skipping absent ones), then any others. */
function ordered<T extends object>(from: T, keys: readonly string[]): T {
  const src = from as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  for (const k of Object.keys(src)) if (!(k in out) && src[k] !== undefined) out[k] = src[k];
  return out as T;
}

/**
 * jsonb keeps keys in its own order (short keys first); records leave the store with the
 * contract's field order, so that output reads like CONTRACT.md and like `extract`.
 */
export function inContractOrder(r: IncidentRecord): IncidentRecord {
  const out = ordered(r, ['id', 'post', 'region', 'places', 'count', 'approx', 'outcome', 'droneType', 'period', 'evidence', 'lang', 'extractor', 'provenance']);
  out.post = ordered(r.post, ['id', 'channel', 'messageId', 'date', 'editDate', 'url']);
  if (r.region) out.region = ordered(r.region, ['code', 'name', 'nameLocal']);
  out.places = r.places.map((p) => ordered(p, ['name', 'nameLocal', 'kind', 'resolved', 'geonameId', 'lat', 'lon', 'region']));
  if (r.period) out.period = ordered(r.period, ['from', 'to']);
  if (r.provenance) out.provenance = ordered(r.provenance, ['rule', 'regionSource']);
  return out;
}

/** Stored records, newest post first, in keyset pages. */
export async function listIncidents(db: Sql, filter: IncidentFilter = {}): Promise<IncidentPage> {
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), MAX_PAGE);
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const status = filter.status ?? 'active';
  if (status !== 'all') where.push(`status = ${param(status)}`);
  if (filter.region) where.push(`region = ${param(filter.region.toUpperCase())}`);
  if (filter.channel) where.push(`channel = ${param(filter.channel.replace(/^@/, ''))}`);
  if (filter.outcome) where.push(`outcome = ${param(filter.outcome)}`);
  if (filter.since) where.push(`post_date >= ${param(filter.since.toISOString())}`);
  if (filter.until) where.push(`post_date < ${param(filter.until.toISOString())}`);
  if (filter.minCount !== undefined) where.push(`count >= ${param(filter.minCount)}`);
  if (filter.after) {
    const c = decodeCursor(filter.after);
    const d = param(c.date);
    const p = param(c.postId);
    const n = param(c.n);
    where.push(`(post_date < ${d}::timestamptz or (post_date = ${d}::timestamptz and (post_id > ${p} or (post_id = ${p} and ${RECORD_INDEX} > ${n}))))`);
  }
  const rows = await db.query<{ record: IncidentRecord; post_date: Date | string; post_id: string; n: number }>(
    `select record, post_date, post_id, ${RECORD_INDEX} as n from incidents
     ${where.length ? `where ${where.join(' and ')}` : ''}
     order by post_date desc, post_id asc, n asc
     limit ${param(limit + 1)}`,
    params,
  );
  const page: IncidentPage = { items: rows.slice(0, limit).map((r) => inContractOrder(r.record)) };
  if (rows.length > limit) {
    const last = rows[limit - 1]!;
    const date = last.post_date instanceof Date ? last.post_date.toISOString() : new Date(last.post_date).toISOString();
    page.next = encodeCursor({ date, postId: last.post_id, n: Number(last.n) });
  }
  return page;
}

/** Every record matching the filter, page by page (for exports). */
export async function* allIncidents(db: Sql, filter: IncidentFilter = {}, max = Infinity): AsyncGenerator<IncidentRecord> {
  let after = filter.after;
  let yielded = 0;
  for (;;) {
    const pageSize = Math.min(1_000, max - yielded);
    if (pageSize <= 0) return;
    const page = await listIncidents(db, { ...filter, limit: pageSize, after });
    for (const item of page.items) {
      yield item;
      yielded++;
    }
    if (!page.next) return;
    after = page.next;
  }
}

export async function incidentStats(db: Sql): Promise<{ active: number; retracted: number }> {
  const [row] = await db.query<{ active: number; retracted: number }>(
    `select count(*) filter (where status = 'active')::int as active,
            count(*) filter (where status = 'retracted')::int as retracted from incidents`,
  );
  return row ?? { active: 0, retracted: 0 };
}
