/**
 * The Redis stream `<QUEUE_PREFIX>:incidents`: every outbox event once, in publication order.
 * Consumers read it with their own consumer groups (XREADGROUP / XACK); the SSE endpoint tails it
 * and resumes from Last-Event-ID (= the stream entry id).
 *
 * Entry fields: `id` (event id, the webhook-id), `type`, `record` (record id), `body` (the JSON
 * that a webhook receives: {type, timestamp, data}).
 */
import type { Redis } from 'ioredis';

/**
 * Roughly how many entries the stream keeps (XADD MAXLEN ~). At 1–2 KB an entry that is 100–200 MB
 * of Redis memory (shared with BullMQ under noeviction), and months of traffic at the rate official
 * channels post; the store keeps every event for good (GET /incidents/{id}/events).
 */
export const STREAM_MAX_LENGTH = 100_000;
/** How long the "already appended" marker of an event lives; a re-publish after that would append again. */
const MARKER_TTL_SECONDS = 30 * 24 * 3600;

export function incidentStreamKey(prefix: string): string {
  return `${prefix}:incidents`;
}

function markerKey(prefix: string, eventId: string): string {
  return `${prefix}:incidents:published:${eventId}`;
}

export interface StreamEvent {
  id: string;
  type: string;
  recordId: string;
  body: string;
}

export interface StreamEntry extends StreamEvent {
  /** The stream entry id, e.g. `1732590000000-0`. */
  streamId: string;
}

// Append at most once per event id: a publisher that crashed between XADD and marking the outbox row
// published re-publishes, and the marker turns the second XADD into a no-op returning the first id.
const APPEND_ONCE = `
local existing = redis.call('GET', KEYS[2])
if existing then return existing end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'id', ARGV[3], 'type', ARGV[4], 'record', ARGV[5], 'body', ARGV[6])
redis.call('SET', KEYS[2], id, 'EX', ARGV[2])
return id
`;

/** Appends one event (idempotent by event id); returns its stream entry id. */
export async function appendEvent(redis: Redis, prefix: string, event: StreamEvent, maxLength = STREAM_MAX_LENGTH): Promise<string> {
  const id = await redis.eval(
    APPEND_ONCE,
    2,
    incidentStreamKey(prefix),
    markerKey(prefix, event.id),
    String(maxLength),
    String(MARKER_TTL_SECONDS),
    event.id,
    event.type,
    event.recordId,
    event.body,
  );
  return String(id);
}

// The same for a batch of events in one script call (one round trip, one script invocation in
// Redis instead of one per event): KEYS = stream, then one marker per event; ARGV = max length,
// marker TTL, then id, type, record, body per event. Returns the entry ids in order.
const APPEND_MANY_ONCE = `
local ids = {}
for i = 2, #KEYS do
  local a = 3 + (i - 2) * 4
  local existing = redis.call('GET', KEYS[i])
  if existing then
    ids[#ids + 1] = existing
  else
    local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'id', ARGV[a], 'type', ARGV[a + 1], 'record', ARGV[a + 2], 'body', ARGV[a + 3])
    redis.call('SET', KEYS[i], id, 'EX', ARGV[2])
    ids[#ids + 1] = id
  end
end
return ids
`;

type AppendMany = (numKeys: number, ...args: string[]) => Promise<string[]>;

/** The batch script as a command of this connection (EVALSHA, loaded on first use: no script text per call). */
function appendManyCommand(redis: Redis): AppendMany {
  const r = redis as Redis & { dwAppendEvents?: AppendMany };
  if (!r.dwAppendEvents) r.defineCommand('dwAppendEvents', { lua: APPEND_MANY_ONCE });
  return (r.dwAppendEvents as AppendMany).bind(r);
}

/** Events per script call: bounds the time one call holds Redis (a few ms at most). */
const APPEND_CHUNK = 100;

/** Appends several events in order, idempotent by event id as appendEvent; returns their entry ids. */
export async function appendEvents(redis: Redis, prefix: string, events: StreamEvent[], maxLength = STREAM_MAX_LENGTH): Promise<string[]> {
  if (events.length === 0) return [];
  const append = appendManyCommand(redis);
  const out: string[] = [];
  for (let i = 0; i < events.length; i += APPEND_CHUNK) {
    const chunk = events.slice(i, i + APPEND_CHUNK);
    const args: string[] = [incidentStreamKey(prefix), ...chunk.map((e) => markerKey(prefix, e.id)), String(maxLength), String(MARKER_TTL_SECONDS)];
    for (const e of chunk) args.push(e.id, e.type, e.recordId, e.body);
    const ids = await append(chunk.length + 1, ...args);
    for (const id of ids) out.push(String(id));
  }
  return out;
}

type RawEntry = [string, string[]];

export function parseEntry([streamId, fields]: RawEntry): StreamEntry {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  return { streamId, id: map.get('id') ?? '', type: map.get('type') ?? '', recordId: map.get('record') ?? '', body: map.get('body') ?? '' };
}

const STREAM_ID_RE = /^\d{1,20}(-\d{1,20})?$/;

/** Orders two stream entry ids (`<ms>-<seq>`): negative, zero or positive. */
export function compareStreamIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-');
  const [bm = '0', bs = '0'] = b.split('-');
  const ms = BigInt(am) - BigInt(bm);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(as) - BigInt(bs);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

/** Whether a client-supplied id (Last-Event-ID) is a stream entry id. */
export function isStreamId(value: string): boolean {
  return STREAM_ID_RE.test(value);
}

/** Entries strictly after `afterId`, oldest first, at most `count`. */
export async function readAfter(redis: Redis, prefix: string, afterId: string, count: number): Promise<StreamEntry[]> {
  const raw = (await redis.xrange(incidentStreamKey(prefix), `(${afterId}`, '+', 'COUNT', count)) as RawEntry[];
  return raw.map(parseEntry);
}

/** The id of the newest entry, or `0-0` when the stream is empty. */
export async function lastStreamId(redis: Redis, prefix: string): Promise<string> {
  const raw = (await redis.xrevrange(incidentStreamKey(prefix), '+', '-', 'COUNT', 1)) as RawEntry[];
  return raw[0]?.[0] ?? '0-0';
}

export type EntryListener = (entry: StreamEntry) => void;

/**
 * One blocking reader per process that fans new entries out to listeners (SSE clients), so that a
 * thousand clients cost one Redis connection. `redis` must be a connection of its own (it blocks).
 */
export function createStreamTail(redis: Redis, prefix: string, options: { blockMs?: number; onError?: (err: unknown) => void } = {}) {
  const listeners = new Set<EntryListener>();
  const key = incidentStreamKey(prefix);
  const blockMs = options.blockMs ?? 5_000;
  let running = false;
  let loop: Promise<void> | undefined;
  let cursor = '$';

  async function run(): Promise<void> {
    while (running) {
      try {
        const res = (await redis.xread('COUNT', 500, 'BLOCK', blockMs, 'STREAMS', key, cursor)) as [string, RawEntry[]][] | null;
        for (const [, entries] of res ?? []) {
          for (const raw of entries) {
            const entry = parseEntry(raw);
            cursor = entry.streamId;
            for (const l of listeners) l(entry);
          }
        }
      } catch (err) {
        // Stopped, or the service closed the connection at shutdown.
        if (!running || redis.status === 'end') return;
        options.onError?.(err);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  return {
    /** The id of the last entry handed to listeners. */
    get cursor(): string {
      return cursor;
    },
    subscribe(listener: EntryListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start(): Promise<void> {
      if (running) return;
      running = true;
      cursor = await lastStreamId(redis, prefix);
      loop = run().catch((err) => options.onError?.(err));
    },
    async stop(): Promise<void> {
      running = false;
      // The blocking XREAD returns within blockMs; disconnecting ends it at once.
      redis.disconnect();
      await loop;
    },
  };
}

export type StreamTail = ReturnType<typeof createStreamTail>;
