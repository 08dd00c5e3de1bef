/** Sources: channel health and back-off, deletion candidates (two polls running), backfill progress. */
export const sql = `
alter table channels add column if not exists title text;
alter table channels add column if not exists errors_total integer not null default 0;
alter table channels add column if not exists last_error_at timestamptz;
alter table channels add column if not exists unavailable_reason text;
alter table channels add column if not exists backoff_until timestamptz;
alter table channels add column if not exists polls_total bigint not null default 0;
alter table channels add column if not exists peer_resolved_at timestamptz;

create table if not exists deletion_candidates (
  channel text not null,
  message_id bigint not null,
  misses integer not null default 1,
  first_missed_at timestamptz not null default now(),
  last_missed_at timestamptz not null default now(),
  primary key (channel, message_id)
);

create table if not exists backfill_progress (
  channel text primary key,
  since timestamptz,
  from_id bigint,
  next_before bigint,
  oldest_id bigint,
  posts integer not null default 0,
  pages integer not null default 0,
  done boolean not null default false,
  started_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
`;
