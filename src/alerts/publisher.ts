/**
 * The outbox publisher. saveExtraction writes an `events` row in the same transaction as the
 * records it announces; this module takes unpublished rows in order, appends each to the Redis
 * stream, adds one delivery job per interested webhook subscriber, and only then marks the rows
 * published. A crash in between re-publishes on the next run, and both steps are idempotent by event
 * id (stream marker, job id), so consumers see every event once.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { IncidentRecord } from '../domain/incident.js';
import type { Logger } from '../logger.js';
import { eventsPublished } from '../metrics.js';
import type { AlertJobData } from '../queue/names.js';
import type { Sql } from '../store/db.js';
import { markPublishedSeqs } from '../store/events.js';
import { appendEvents } from './stream.js';
import { subscriberWants, type EventType, type Subscriber } from './subscribers.js';
import { deliveryJobId, deliveryJobOptions } from './webhook-worker.js';

export interface OutboxEvent {
  seq: number;
  id: string;
  type: EventType;
  recordId: string;
  record: IncidentRecord;
  createdAt: Date;
  /** The record's previous event, if any: its id orders deliveries, its record widens filters. */
  previous: { id: string; record: IncidentRecord } | null;
}

interface EventRow {
  seq: string | number;
  id: string;
  type: EventType;
  record_id: string;
  payload: IncidentRecord;
  created_at: Date | string;
  prev_id: string | null;
  prev_payload: IncidentRecord | null;
}

/** $2 false: no predecessor lookups at all (a one-time filter on the lateral side). */
const PENDING_SQL = `
select e.seq, e.id, e.type, e.record_id, e.payload, e.created_at, prev.id as prev_id, prev.payload as prev_payload
from events e
left join lateral (
  select p.id, p.payload from events p where $2::boolean and p.record_id = e.record_id and p.seq < e.seq order by p.seq desc limit 1
) prev on true
where e.published_at is null
order by e.seq
limit $1`;

/**
 * The oldest unpublished events, each with its record's previous event (src/store/events.ts has the
 * plain list; the publisher needs the predecessor too, via the events_record index). Without
 * `withPrevious` (no webhook subscribers: the stream needs no predecessor) `previous` is null.
 */
export async function pendingEventsWithPrevious(db: Sql, limit: number, withPrevious = true): Promise<OutboxEvent[]> {
  // Prepared: the publisher runs it after every saved batch.
  const rows = await db.query<EventRow>(PENDING_SQL, [limit, withPrevious], 'dw_pending_events');
  return rows.map((r) => ({
    seq: Number(r.seq),
    id: r.id,
    type: r.type,
    recordId: r.record_id,
    record: r.payload,
    createdAt: r.created_at instanceof Date ? r.created_at : new Date(r.created_at),
    previous: r.prev_id && r.prev_payload ? { id: r.prev_id, record: r.prev_payload } : null,
  }));
}

/** The body every consumer receives (webhook POST body, stream `body` field, SSE data). */
export function eventBody(event: Pick<OutboxEvent, 'type' | 'createdAt' | 'record'>): string {
  return JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: event.record });
}

/** The delivery jobs of one event: one per subscriber that wants it, ordered after the record's previous event. */
export function deliveryJobs(event: OutboxEvent, body: string, subscribers: Subscriber[], attempts?: number) {
  return subscribers
    .filter((s) => subscriberWants(s, event.type, event.record, event.previous?.record))
    .map((s) => {
      const data: AlertJobData = {
        kind: 'webhook',
        subscriber: s.name,
        eventId: event.id,
        recordId: event.recordId,
        type: event.type,
        timestamp: event.createdAt.getTime(),
        body,
      };
      if (event.previous) data.after = deliveryJobId(s.name, event.previous.id);
      return { name: event.type, data, opts: { ...deliveryJobOptions(attempts), jobId: deliveryJobId(s.name, event.id) } };
    });
}

export interface OutboxPublisherDeps {
  db: Sql;
  /** A producer connection for XADD. */
  redis: Redis;
  alertsQueue: Queue<AlertJobData>;
  prefix: string;
  subscribers: Subscriber[];
  logger: Logger;
  batchSize?: number;
  deliveryAttempts?: number;
}

export function createOutboxPublisher(deps: OutboxPublisherDeps) {
  const batchSize = deps.batchSize ?? 200;
  const log = deps.logger.child({ role: 'publisher' });
  let running: Promise<number> | null = null;
  /** publishPending calls so far, and how many of them had been made when the last read began. */
  let requested = 0;
  let covered = 0;

  async function publishBatch(): Promise<number> {
    // Every call made until now announced events committed before it: this read sees them all.
    covered = requested;
    // The predecessor only matters to deliveries (ordering, filters): none without subscribers.
    const events = await pendingEventsWithPrevious(deps.db, batchSize, deps.subscribers.length > 0);
    if (events.length === 0) return 0;
    const jobs: ReturnType<typeof deliveryJobs> = [];
    const entries = events.map((event) => {
      const body = eventBody(event);
      jobs.push(...deliveryJobs(event, body, deps.subscribers, deps.deliveryAttempts));
      return { id: event.id, type: event.type, recordId: event.recordId, body };
    });
    // In seq order: the stream's order is the outbox order, so created precedes updated.
    await appendEvents(deps.redis, deps.prefix, entries);
    if (jobs.length > 0) await deps.alertsQueue.addBulk(jobs);
    await markPublishedSeqs(deps.db, events.map((e) => e.seq));
    for (const e of events) eventsPublished.inc({ type: e.type });
    log.debug({ events: events.length, deliveries: jobs.length }, 'events published');
    return events.length;
  }

  async function drain(): Promise<number> {
    // The jobs of one saved batch announce their changes one after another in the same moment:
    // wait for the rest of them, so that one read serves them all.
    await new Promise<void>((resolve) => setImmediate(resolve));
    let total = 0;
    try {
      for (;;) {
        const n = await publishBatch();
        total += n;
        // A full batch: more may be waiting. Otherwise go round again only for a call made after
        // the last read began (its events may have been committed after that read).
        if (n < batchSize && requested === covered) break;
      }
    } finally {
      // In the same step as the decision to stop: a call from here on starts a new run.
      running = null;
    }
    return total;
  }

  return {
    /**
     * Publishes everything unpublished; concurrent calls share one run (a call made after the run's
     * last read began makes it go round once more). Resolves to the number of events published.
     */
    publishPending(): Promise<number> {
      requested++;
      if (running) return running;
      const run = drain();
      running = run;
      return run;
    },
  };
}

export type OutboxPublisher = ReturnType<typeof createOutboxPublisher>;
