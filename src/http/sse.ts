/**
 * GET /incidents/stream: Server-Sent Events of the incident stream. Each event carries the stream
 * entry id as its SSE `id`, so a reconnecting EventSource sends it back as Last-Event-ID and
 * resumes exactly after it (from the Redis stream, as far back as the stream keeps). Without it the
 * client gets new events only. Filters as for GET /incidents (region, outcome, channel, minCount,
 * comma-separated lists allowed) plus `types`.
 *
 *   event: incident.created
 *   id: 1732590000000-0
 *   data: {"id":"evt_…","type":"incident.created","timestamp":"…","data":{…record…}}
 */
import type { Express, Request, Response } from 'express';
import type { IncidentRecord } from '../domain/incident.js';
import { OUTCOMES, type Outcome } from '../domain/incident.js';
import type { ServiceDeps } from '../service.js';
import { compareStreamIds, createStreamTail, isStreamId, readAfter, type StreamEntry, type StreamTail } from '../alerts/stream.js';
import { EVENT_TYPES, recordMatches, type EventType, type SubscriberFilters } from '../alerts/subscribers.js';

export interface SseOptions {
  heartbeatMs?: number;
  maxClients?: number;
  /** A client further behind than this many bytes is disconnected (it resumes with Last-Event-ID). */
  maxBufferedBytes?: number;
}

interface StreamFilter {
  filters: SubscriberFilters;
  types?: EventType[];
}

function list(value: unknown): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter(Boolean);
  return parts.length ? parts : undefined;
}

/** A query the stream cannot serve; answered 400 with its problems. */
export class StreamRequestError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'StreamRequestError';
  }
}

/** Parses the stream's query filters; every problem at once (StreamRequestError). */
export function streamFilterFrom(q: Record<string, unknown>): StreamFilter {
  const problems: string[] = [];
  const filters: SubscriberFilters = {};
  const regions = list(q.region);
  if (regions) {
    const bad = regions.filter((r) => !/^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/.test(r));
    if (bad.length) problems.push('region: expected ISO 3166-2 codes (RU-BRY) or country codes (UA)');
    else filters.regions = regions.map((r) => r.toUpperCase());
  }
  const outcomes = list(q.outcome);
  if (outcomes) {
    if (outcomes.every((o) => (OUTCOMES as readonly string[]).includes(o))) filters.outcomes = outcomes as Outcome[];
    else problems.push(`outcome: expected ${OUTCOMES.join(', ')}`);
  }
  const channels = list(q.channel);
  if (channels) filters.channels = channels.map((c) => c.replace(/^@/, ''));
  const minCount = q.minCount ?? q['min-count'];
  if (minCount !== undefined && minCount !== '') {
    const n = Number(minCount);
    if (Number.isInteger(n) && n >= 0) filters.minCount = n;
    else problems.push('minCount: expected a non-negative integer');
  }
  const types = list(q.types)?.map((t) => (t.startsWith('incident.') ? t : `incident.${t}`));
  if (types && !types.every((t) => (EVENT_TYPES as readonly string[]).includes(t))) problems.push('types: expected created, updated, retracted');
  if (problems.length) throw new StreamRequestError(problems);
  return { filters, types: types as EventType[] | undefined };
}

const parsedBodies = new WeakMap<StreamEntry, { record: IncidentRecord } | null>();

function entryRecord(entry: StreamEntry): IncidentRecord | null {
  if (!parsedBodies.has(entry)) {
    try {
      parsedBodies.set(entry, { record: (JSON.parse(entry.body) as { data: IncidentRecord }).data });
    } catch {
      parsedBodies.set(entry, null);
    }
  }
  return parsedBodies.get(entry)?.record ?? null;
}

function wanted(entry: StreamEntry, f: StreamFilter): boolean {
  if (f.types && !f.types.includes(entry.type as EventType)) return false;
  const record = entryRecord(entry);
  return record !== null && recordMatches(f.filters, record);
}

/** One SSE frame; the body gains the event id so that clients can de-duplicate. */
export function sseFrame(entry: StreamEntry): string {
  const data = entry.body.startsWith('{') ? `{"id":${JSON.stringify(entry.id)},${entry.body.slice(1)}` : entry.body;
  return `id: ${entry.streamId}\nevent: ${entry.type}\ndata: ${data}\n\n`;
}

function lastEventId(req: Request): string | undefined {
  const header = req.get('last-event-id');
  const query = typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined;
  const value = (header ?? query)?.trim();
  if (!value) return undefined;
  if (!isStreamId(value)) throw new StreamRequestError(['Last-Event-ID: expected a stream id such as 1732590000000-0']);
  return value;
}

export function mountSse(app: Express, deps: ServiceDeps, options: SseOptions = {}): void {
  const prefix = deps.config.QUEUE_PREFIX;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxClients = options.maxClients ?? 1_000;
  const maxBuffered = options.maxBufferedBytes ?? 1 << 20;
  const log = deps.logger.child({ role: 'sse' });
  let tail: Promise<StreamTail> | undefined;
  let clients = 0;

  // One blocking reader for all clients, started with the first.
  function sharedTail(): Promise<StreamTail> {
    tail ??= (async () => {
      // A short block: the service's shutdown quits this connection, and QUIT waits for the XREAD.
      const t = createStreamTail(deps.workerConnection('dronewire-sse'), prefix, {
        blockMs: 1_000,
        onError: (err) => log.warn({ err }, 'stream tail error; retrying'),
      });
      await t.start();
      return t;
    })();
    return tail;
  }

  app.get('/incidents/stream', async (req: Request, res: Response) => {
    let filter: StreamFilter;
    let resumeFrom: string | undefined;
    try {
      filter = streamFilterFrom(req.query as Record<string, unknown>);
      resumeFrom = lastEventId(req);
    } catch (err) {
      if (!(err instanceof StreamRequestError)) throw err;
      res.status(400).json({ error: 'bad request', problems: err.problems });
      return;
    }
    if (clients >= maxClients) {
      res.status(503).set('Retry-After', '30').json({ error: 'too many stream clients' });
      return;
    }
    const t = await sharedTail();
    clients++;
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 3000\n\n');

    let lastSent = resumeFrom ?? t.cursor;
    let closed = false;
    const send = (entry: StreamEntry) => {
      if (closed || compareStreamIds(entry.streamId, lastSent) <= 0) return;
      lastSent = entry.streamId;
      if (!wanted(entry, filter)) return;
      res.write(sseFrame(entry));
      if (res.writableLength > maxBuffered) {
        log.warn({ buffered: res.writableLength }, 'SSE client too slow; disconnecting (it can resume)');
        res.end();
      }
    };
    let buffer: StreamEntry[] | null = resumeFrom ? [] : null;
    const unsubscribe = t.subscribe((entry) => (buffer ? buffer.push(entry) : send(entry)));
    const heartbeat = setInterval(() => res.write(': ping\n\n'), heartbeatMs);
    heartbeat.unref();
    const cleanup = () => {
      if (closed) return;
      closed = true;
      clients--;
      clearInterval(heartbeat);
      unsubscribe();
    };
    req.on('close', cleanup);
    res.on('close', cleanup);

    if (resumeFrom) {
      try {
        // Catch up from the stream, then hand over to the live tail (entries seen twice are skipped by id).
        for (;;) {
          const page = await readAfter(deps.queues.connection, prefix, lastSent, 500);
          for (const entry of page) send(entry);
          if (page.length < 500 || closed) break;
        }
      } catch (err) {
        log.warn({ err }, 'SSE catch-up failed');
        res.end();
        return;
      }
      const pending = buffer ?? [];
      buffer = null;
      for (const entry of pending) send(entry);
    }
  });
}
