/** Channels, the posts archive (every version), incident records, failed posts, the event outbox. */
export const sql = `
create table if not exists channels (
  username text primary key,
  home_region text,
  lang text,
  kind text,
  cursor bigint not null default 0,
  peer_id text,
  access_hash text,
  last_poll_at timestamptz,
  last_success_at timestamptz,
  last_post_at timestamptz,
  error_count integer not null default 0,
  last_error text,
  updated_at timestamptz not null default now()
);

create table if not exists posts (
  channel text not null,
  message_id bigint not null,
  version integer not null,
  post_id text not null,
  date timestamptz not null,
  edit_date timestamptz,
  text text not null,
  text_hash text not null,
  lang text,
  channel_region text,
  meta jsonb not null default '{}'::jsonb,
  fetched_at timestamptz not null default now(),
  deleted_at timestamptz,
  primary key (channel, message_id, version)
);
create index if not exists posts_post_id on posts (post_id);
create index if not exists posts_date on posts (date);

create table if not exists incidents (
  id text primary key,
  post_id text not null,
  channel text not null,
  message_id bigint not null,
  post_version integer,
  region text,
  outcome text not null,
  count integer,
  post_date timestamptz not null,
  extractor text not null,
  record jsonb not null,
  record_hash text not null,
  status text not null default 'active',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists incidents_post on incidents (post_id);
create index if not exists incidents_region on incidents (region);
create index if not exists incidents_outcome on incidents (outcome);
create index if not exists incidents_post_date on incidents (post_date);
create index if not exists incidents_extractor on incidents (extractor);
create index if not exists incidents_channel on incidents (channel, message_id);

create table if not exists failed_posts (
  id bigserial primary key,
  job_id text,
  post_id text,
  payload text not null,
  reason text not null,
  attempts integer not null default 1,
  failed_at timestamptz not null default now(),
  resolved_at timestamptz
);
create unique index if not exists failed_posts_job on failed_posts (job_id) where job_id is not null;

create table if not exists events (
  seq bigserial primary key,
  id text not null unique,
  type text not null,
  record_id text not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  published_at timestamptz
);
create index if not exists events_unpublished on events (seq) where published_at is null;
`;
