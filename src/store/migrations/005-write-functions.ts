/**
 * The two hot writes as functions: the listener's archive of a poll window (dw_archive_posts) and
 * the extract worker's save (dw_save_extractions).
 *
 * Why functions: a function's plan is made once per connection and kept (PL/pgSQL caches it), and
 * `enable_seqscan = off` makes that plan probe the indexes whatever the tables' statistics say at
 * the time. As prepared statements their plans were made on the sixth call, when a new
 * installation's tables were nearly empty; a sequential scan then looked cheapest and stayed in the
 * cached plan while the tables grew, so every write read whole tables until autovacuum's next
 * ANALYZE (a minute or more; for ever during a fast backfill or replay). Every row these functions
 * read is found by key, so an index probe is right at any table size. A post version whose text
 * is seen again is updated by the row address (ctid) its lookup found: with sequential scans off a
 * join back to posts on the key could still become a hash join over a full index scan; the row
 * address is one fetch. (Should another writer update that row in between, the update skips it:
 * the extractor's name and an undeletion are refreshed by the next save.)
 *
 * dw_archive_posts: per post, read the latest version, insert version+1 when the text differs and
 * the post is not older than what we hold, and always report the version holding this text.
 * `batch` is a JSON array of the posts, each (channel, message id) at most once; p_fetched_at the
 * fetch time, p_extractor the extractor that read them (both may be null). Two writers racing on
 * the same new version hit the primary key; the loser's row is skipped (`on conflict do nothing`,
 * which waits for the other writer's commit first) and the caller retries (ArchiveConflictError).
 *
 * dw_save_extractions: the extractions of a batch of posts in ONE statement
 * (one round trip, atomic by itself): archive each post's version, diff its incoming records
 * against its stored ones, upsert or retract, and write the outbox events with deterministic ids.
 * `batch` is a JSON array of posts, each with its records (and their hashes) and the extractor
 * that read it; a batch holds each post once.
 *
 * Per post, as in dw_archive_posts: a new version is stored only when the text
 * differs from the latest, and a post older than the latest stored version is `stale` (nothing
 * written). Two writers racing on a new version collide on the posts primary key: the loser
 * writes nothing for that post, reports `conflict`, and is retried. No lock is needed: every CTE
 * sees one snapshot, and the rows written are disjoint (new and changed record ids upserted,
 * vanished ones retracted; the event ids make a repeated change a no-op).
 *
 * kind per record id: created (new, or back after a retraction), updated (hash changed),
 * retracted (stored and active, absent now), quiet (same content, another extractor version:
 * refreshed without an event), null (unchanged). The event id is eventId() of
 * src/store/incidents.ts, computed in SQL (keep the two in step).
 */
export const sql = `
create or replace function dw_archive_posts(batch jsonb, p_fetched_at timestamptz, p_extractor text)
returns table (k int, version int, inserted boolean, previous int, stale boolean, same_text boolean, was_deleted boolean)
language plpgsql
set enable_seqscan = off
as $archive$
#variable_conflict use_column
begin
  return query
    with input as (
      select * from jsonb_to_recordset(batch) as i(
        k int, channel text, message_id bigint, post_id text, date timestamptz, edit_date timestamptz, text text,
        text_hash text, lang text, channel_region text, meta jsonb)
    ),
    decision as (
      -- a lateral lookup keeps to the primary key however many rows the archive holds
      select i.*, l.version as latest_version, l.ctid as latest_ctid, coalesce(l.deleted, false) as was_deleted,
        coalesce(l.text_hash = i.text_hash, false) as same_text,
        coalesce(coalesce(l.edit_date, l.date) > coalesce(i.edit_date, i.date), false) as stale
      from input i
      left join lateral (
        select p.ctid, p.version, p.text_hash, p.edit_date, p.date, p.deleted_at is not null as deleted from posts p
        where p.channel = i.channel and p.message_id = i.message_id
        order by p.version desc limit 1
      ) l on true
    ),
    ins as (
      insert into posts (channel, message_id, version, post_id, date, edit_date, text, text_hash, lang, channel_region,
                         meta, fetched_at, extracted_by, extracted_at)
      select channel, message_id, coalesce(latest_version, 0) + 1, post_id, date, edit_date, text, text_hash, lang, channel_region,
             coalesce(meta, '{}'::jsonb), coalesce(p_fetched_at, now()), p_extractor, case when p_extractor is null then null else now() end
      from decision where not same_text and not stale
      order by k
      on conflict (channel, message_id, version) do nothing
      returning channel, message_id, version
    ),
    touch as (
      -- same text again: undelete a post that reappeared, and note which extractor read it
      update posts p set deleted_at = null,
                         extracted_by = coalesce(p_extractor, p.extracted_by),
                         extracted_at = case when p_extractor is null then p.extracted_at else now() end
      from decision d
      where d.same_text and p.ctid = d.latest_ctid
        and (p.deleted_at is not null or p_extractor is not null)
      returning 1
    )
    select d.k, coalesce(n.version, d.latest_version) as version, n.version is not null as inserted,
           d.latest_version as previous, d.stale, d.same_text, d.was_deleted
    from decision d
    left join ins n on n.channel = d.channel and n.message_id = d.message_id
    order by d.k;
end
$archive$;
create or replace function dw_save_extractions(batch jsonb)
returns table (k int, version int, stale boolean, conflict boolean, changes json)
language plpgsql
set enable_seqscan = off
as $save$
#variable_conflict use_column
begin
  return query
    with input as (
      select * from jsonb_to_recordset(batch) as i(
        k int, channel text, message_id bigint, post_id text, date timestamptz, edit_date timestamptz, text text,
        text_hash text, lang text, channel_region text, extractor text, records jsonb)
    ),
    decision as (
      -- lateral lookups keep to the primary key and the post_id index however many rows the tables hold
      select i.*, l.version as latest_version, l.ctid as latest_ctid,
        coalesce(l.text_hash = i.text_hash, false) as same_text,
        coalesce(coalesce(l.edit_date, l.date) > coalesce(i.edit_date, i.date), false) as older
      from input i
      left join lateral (
        select p.ctid, p.version, p.text_hash, p.edit_date, p.date from posts p
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
      where d.same_text and p.ctid = d.latest_ctid
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
      select p.*, 'evt_' || left(encode(sha256(convert_to(p.id || '|' || p.kind || '|' || p.hash || '|v' || g.version || '|' || g.extractor, 'UTF8')), 'hex'), 24) as event_id,
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
    order by v.k;
end
$save$;
`;
