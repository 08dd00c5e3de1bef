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

/** The event id as SQL computes it in SAVE_SQL (kept in step with eventId()). */
const EVENT_ID_SQL = (id: string, kind: string, hash: string, version: string, extractor: string) =>
  `'evt_' || left(encode(sha256(convert_to(${id} || '|' || ${kind} || '|' || ${hash} || '|v' || ${version} || '|' || ${extractor}, 'UTF8')), 'hex'), 24)`;

/*
 * The extractions of a batch of posts in ONE statement (one round trip, atomic by itself): archive
 * each post's version, diff its incoming records against its stored ones, upsert or retract, and
 * write the outbox events with deterministic ids. $1 is a JSON array of posts, each with its
 * records (and their hashes) and the extractor that read it; a batch holds each post once.
 *
 * Per post, as in archivePosts (src/store/posts.ts): a new version is stored only when the text
 * differs from the latest, and a post older than the latest stored version is `stale` (nothing
 * written). Two writers racing on a new version collide on the posts primary key: the loser
 * writes nothing for that post, reports `conflict`, and is retried. No lock is needed: every CTE
 * sees one snapshot, and the rows written are disjoint (new and changed record ids upserted,
 * vanished ones retracted; the event ids make a repeated change a no-op).
 *
 * kind per record id: created (new, or back after a retraction), updated (hash changed),
 * retracted (stored and active, absent now), quiet (same content, another extractor version:
 * refreshed without an event), null (unchanged).
 */
const SAVE_SQL = `
with input as (
  select * from jsonb_to_recordset($1::jsonb) as i(
    k int, channel text, message_id bigint, post_id text, date timestamptz, edit_date timestamptz, text text,
    text_hash text, lang text, channel_region text, extractor text, records jsonb)
),
decision as (
  -- lateral lookups keep to the primary key and the post_id index however many rows the tables hold
  select i.*, l.version as latest_version,
    coalesce(l.text_hash = i.text_hash, false) as same_text,
    coalesce(coalesce(l.edit_date, l.date) > coalesce(i.edit_date, i.date), false) as older
  from input i
  left join lateral (
    select p.version, p.text_hash, p.edit_date, p.date from posts p
    where p.channel = i.channel and p.message_id = i.message_id
    order by p.version desc limit 1
  ) l on true
),
ins as (
  insert into posts (channel, message_id, version, post_id, date, edit_date, text, text_hash, lang, channel_region, extracted_by, extracted_at)
  select channel, message_id, coalesce(latest_version, 0) + 1, post_id, date, edit_date, text, text_hash, lang, channel_region, extractor, now()
  from decision where not same_text and not older
  on conflict (channel, message_id, version) do nothing
  returning channel, message_id, version, text_hash
),
touch as (
  -- the same text again: undelete a post that reappeared, note which extractor read it
  update posts p set deleted_at = null, extracted_by = d.extractor, extracted_at = now()
  from decision d
  where d.same_text and p.channel = d.channel and p.message_id = d.message_id and p.version = d.latest_version
  returning 1
),
ver as (
  select d.k, d.post_id, d.channel, d.message_id, d.extractor, d.records, d.latest_version,
    coalesce(n.version, d.latest_version) as version,
    d.older and not d.same_text as stale,
    not d.same_text and not d.older and n.version is null as conflict
  from decision d
  left join ins n on n.channel = d.channel and n.message_id = d.message_id and n.text_hash = d.text_hash
),
go as (select * from ver where not stale and not conflict),
incoming as (
  select g.k, r.* from go g,
    jsonb_to_recordset(g.records) as r(id text, hash text, record jsonb, region text, outcome text, count integer, post_date timestamptz)
),
existing as (
  -- a post never archived before has no records yet: no lookup (a first ingest stays cheap even
  -- before the planner has statistics of a fast-growing incidents table)
  select g.k, e.id, e.record_hash, e.status, e.extractor, e.record
  from go g
  cross join lateral (
    select id, record_hash, status, extractor, record from incidents where post_id = g.post_id
  ) e
  where g.latest_version is not null
),
plan as (
  select coalesce(n.k, e.k) as k, coalesce(n.id, e.id) as id,
    case
      when n.id is null then case when e.status = 'active' then 'incident.retracted' end
      when e.id is null or e.status <> 'active' then 'incident.created'
      when e.record_hash <> n.hash then 'incident.updated'
      when e.extractor is distinct from g.extractor then 'quiet'
    end as kind,
    coalesce(n.hash, e.record_hash) as hash,
    coalesce(n.record, e.record) as record,
    n.region, n.outcome, n.count, n.post_date
  from incoming n
  full outer join existing e on e.id = n.id
  join go g on g.k = coalesce(n.k, e.k)
),
changes as (
  select p.*, ${EVENT_ID_SQL('p.id', 'p.kind', 'p.hash', 'g.version', 'g.extractor')} as event_id,
         coalesce(substring(p.id from '#([0-9]+)$')::int, 0) as n
  from plan p join go g on g.k = p.k
  where p.kind like 'incident.%'
),
up as (
  insert into incidents (id, post_id, channel, message_id, post_version, region, outcome, count, post_date, extractor, record, record_hash, status)
  select p.id, g.post_id, g.channel, g.message_id, g.version, p.region, p.outcome, p.count, p.post_date, g.extractor, p.record, p.hash, 'active'
  from plan p join go g on g.k = p.k
  where p.kind in ('incident.created', 'incident.updated', 'quiet')
  on conflict (id) do update set
    post_version = excluded.post_version, region = excluded.region, outcome = excluded.outcome, count = excluded.count,
    post_date = excluded.post_date, extractor = excluded.extractor, record = excluded.record,
    record_hash = excluded.record_hash, status = 'active', updated_at = now()
  returning 1
),
retract as (
  update incidents i set status = 'retracted', updated_at = now()
  from changes c
  where c.kind = 'incident.retracted' and i.id = c.id and i.status = 'active'
  returning 1
),
ev as (
  insert into events (id, type, record_id, payload)
  select c.event_id, c.kind, c.id, c.record from changes c
  order by c.k, c.kind = 'incident.retracted', c.n
  on conflict (id) do nothing
  returning 1
)
select v.k, v.version, v.stale, v.conflict,
  -- the caller has the incoming records: only a retraction's (stored) record comes back
  coalesce((select json_agg(json_build_object('type', c.kind, 'eventId', c.event_id, 'id', c.id, 'recordHash', c.hash,
                                              'record', case when c.kind = 'incident.retracted' then c.record end)
                            order by c.kind = 'incident.retracted', c.n)
            from changes c where c.k = v.k), '[]'::json) as changes
from ver v
order by v.k
`;

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

/** A change as SAVE_SQL reports it: the record only for a retraction (the caller has the others). */
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
  // A prepared statement: it runs for every job, and planning it costs as much as running it.
  const rows = await db.query<{ k: number; version: number; stale: boolean; conflict: boolean; changes: ChangeRow[] }>(SAVE_SQL, [input], 'dw_save_extractions');
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
