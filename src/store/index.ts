/**
 * The store: PostgreSQL when DATABASE_URL is set, the embedded PGlite in DATA_DIR when not; the same
 * migrations run at open. Repositories are plain functions over a Db (or a transaction); Store binds
 * the common ones so that role factories need only one dependency.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { IncidentRecord } from '../domain/incident.js';
import type { Post } from '../domain/post.js';
import { openEmbedded, openPostgres, type Db } from './db.js';
import { eventStats, markPublished, unpublishedEvents, type StoredEvent } from './events.js';
import { countFailures, listFailures, recordFailure, resolveFailure, type FailedPost, type FailureInput } from './failures.js';
import {
  allIncidents,
  incidentStats,
  listIncidents,
  retractPost,
  saveExtraction,
  type IncidentChange,
  type IncidentFilter,
  type IncidentPage,
} from './incidents.js';
import { migrate } from './migrate.js';
import { archivePosts, latestPosts, postStats, type ArchivedVersion, type LatestPostsFilter } from './posts.js';

export type StoreConfig = Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DATABASE_SCHEMA'>;

export interface StoreStats {
  kind: Db['kind'];
  schema: string;
  posts: { posts: number; versions: number; deleted: number };
  incidents: { active: number; retracted: number };
  failures: number;
  events: { total: number; unpublished: number };
  /** Bytes taken by the store's tables and indexes. */
  bytes: number;
}

export interface Store {
  readonly db: Db;
  readonly kind: Db['kind'];
  close(): Promise<void>;
  archivePosts(posts: Post[], options?: { fetchedAt?: Date }): Promise<ArchivedVersion[]>;
  latestPosts(filter?: LatestPostsFilter): AsyncGenerator<Post & { version: number }>;
  saveExtraction(post: Post, records: IncidentRecord[], extractor: string): Promise<IncidentChange[]>;
  retractPost(channel: string, messageId: number): Promise<IncidentChange[]>;
  listIncidents(filter?: IncidentFilter): Promise<IncidentPage>;
  allIncidents(filter?: IncidentFilter, max?: number): AsyncGenerator<IncidentRecord>;
  recordFailure(input: FailureInput): Promise<void>;
  listFailures(options?: { limit?: number; includeResolved?: boolean }): Promise<FailedPost[]>;
  resolveFailure(jobId: string): Promise<boolean>;
  unpublishedEvents(limit?: number): Promise<StoredEvent[]>;
  markPublished(ids: string[]): Promise<number>;
  stats(): Promise<StoreStats>;
  /** A cheap round trip, for /readyz. */
  ping(): Promise<void>;
}

/** Size of the store's own tables (their schema only), in bytes. */
async function storeBytes(db: Db): Promise<number> {
  const [row] = await db.query<{ bytes: string | number | null }>(
    `select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as bytes
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind = 'r'`,
    [db.schema],
  );
  return Number(row?.bytes ?? 0);
}

/** Wraps an open Db (migrated) into a Store. */
export function storeOf(db: Db): Store {
  return {
    db,
    kind: db.kind,
    close: () => db.close(),
    archivePosts: (posts, options) => db.transaction((tx) => archivePosts(tx, posts, options)),
    latestPosts: (filter) => latestPosts(db, filter),
    saveExtraction: (post, records, extractor) => saveExtraction(db, post, records, extractor),
    retractPost: (channel, messageId) => retractPost(db, channel, messageId),
    listIncidents: (filter) => listIncidents(db, filter),
    allIncidents: (filter, max) => allIncidents(db, filter, max),
    recordFailure: (input) => recordFailure(db, input),
    listFailures: (options) => listFailures(db, options),
    resolveFailure: (jobId) => resolveFailure(db, jobId),
    unpublishedEvents: (limit) => unpublishedEvents(db, limit),
    markPublished: (ids) => markPublished(db, ids),
    async stats() {
      const [posts, incidents, failures, events, bytes] = await Promise.all([
        postStats(db),
        incidentStats(db),
        countFailures(db),
        eventStats(db),
        storeBytes(db),
      ]);
      return { kind: db.kind, schema: db.schema, posts, incidents, failures, events, bytes };
    },
    async ping() {
      await db.query('select 1');
    },
  };
}

/** Opens the configured store and brings its schema up to date. */
export async function openStore(config: StoreConfig): Promise<Store> {
  const schema = config.DATABASE_SCHEMA;
  // The extract worker's saves share a few transactions at a time (group commit), so a small pool
  // serves any concurrency, with room for the HTTP API, the outbox publisher and status.
  const poolSize = 10;
  const db = config.DATABASE_URL ? await openPostgres(config.DATABASE_URL, schema, poolSize) : await openEmbedded(config.DATA_DIR, schema);
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return storeOf(db);
}

export type { Db, Sql } from './db.js';
export type { IncidentChange, IncidentFilter, IncidentPage } from './incidents.js';
export type { FailedPost, FailureInput } from './failures.js';
export type { StoredEvent } from './events.js';
export type { ArchivedVersion, LatestPostsFilter } from './posts.js';

/*
 * The embedded store admits one process. Whoever opens it (the service, or a CLI command when no
 * service runs) claims DATA_DIR/service.json first; others read it to find the running service's
 * HTTP port and ask it instead.
 */

export interface ServiceInfo {
  pid: number;
  /** The HTTP port of the running service; null when it runs no HTTP role (or is a CLI command). */
  httpPort: number | null;
  httpHost?: string;
  roles: string[];
  startedAt: string;
}

export class StoreInUseError extends Error {
  readonly code = 'STORE_IN_USE';
  constructor(
    message: string,
    readonly holder: ServiceInfo,
  ) {
    super(message);
    this.name = 'StoreInUseError';
  }
}

export function serviceInfoPath(dataDir: string): string {
  return join(dataDir, 'service.json');
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live holder of the embedded store, or null (a stale file of a dead process counts as none). */
export function readServiceInfo(dataDir: string): ServiceInfo | null {
  let info: ServiceInfo;
  try {
    info = JSON.parse(readFileSync(serviceInfoPath(dataDir), 'utf8')) as ServiceInfo;
  } catch {
    return null;
  }
  if (typeof info.pid !== 'number' || info.pid === process.pid || !isProcessAlive(info.pid)) return null;
  return info;
}

/** Claims the embedded store for this process; throws StoreInUseError naming the live holder. */
export function claimEmbeddedStore(dataDir: string, info: Omit<ServiceInfo, 'pid' | 'startedAt'>): ServiceInfo {
  mkdirSync(dataDir, { recursive: true });
  const mine: ServiceInfo = { pid: process.pid, startedAt: new Date().toISOString(), ...info };
  const path = serviceInfoPath(dataDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(mine), { flag: 'wx' });
      return mine;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readServiceInfo(dataDir);
    if (holder) {
      const what = holder.roles.includes('cli') ? 'a dronewire command' : 'the dronewire service';
      throw new StoreInUseError(
        `the embedded store in ${dataDir} is in use by ${what} (pid ${holder.pid}, since ${holder.startedAt}); ` +
          'stop it first, or set DATABASE_URL to use PostgreSQL, which admits many processes',
        holder,
      );
    }
    rmSync(path, { force: true }); // stale: its process is gone
  }
  throw new Error(`could not claim ${path}`);
}

/** Updates this process's entry (the HTTP port becomes known after the store is opened). */
export function updateServiceInfo(dataDir: string, info: ServiceInfo): void {
  writeFileSync(serviceInfoPath(dataDir), JSON.stringify(info));
}

/** Releases the claim if it is still this process's. */
export function releaseEmbeddedStore(dataDir: string): void {
  try {
    const info = JSON.parse(readFileSync(serviceInfoPath(dataDir), 'utf8')) as ServiceInfo;
    if (info.pid === process.pid) rmSync(serviceInfoPath(dataDir), { force: true });
  } catch {
    /* nothing to release */
  }
}
