/**
 * The Redis stream `<prefix>:incidents`: every published event appended once, in outbox order, and
 * readable by a consumer group that sees every event once across a consumer restart.
 */
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxPublisher } from '../../src/alerts/publisher.js';
import { appendEvent, incidentStreamKey, readAfter } from '../../src/alerts/stream.js';
import { createAlertsEnv, makePost, makeRecord, REDIS_URL, type AlertsEnv } from '../helpers/alerts-env.js';

let env: AlertsEnv;
beforeEach(async () => {
  env = await createAlertsEnv();
});
afterEach(async () => {
  await env.cleanup();
});

function publisher() {
  return createOutboxPublisher({ db: env.store.db, redis: env.queues.connection, alertsQueue: env.queues.alerts, prefix: env.prefix, subscribers: [], logger: env.logger });
}

async function saveRecords(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const post = makePost();
    const changes = await env.store.saveExtraction(post, [makeRecord(post, 0, { count: i + 1 })], 'test@1');
    ids.push(...changes.map((c) => c.eventId));
  }
  return ids;
}

/**
 * A consumer as the README shows it: read new entries for this consumer group, handle, XACK.
 * `pending` first re-reads what this consumer took but never acknowledged (its crash).
 */
async function consume(redis: Redis, key: string, group: string, consumer: string, handle: (eventId: string, body: unknown) => void, opts: { max: number; crashAfter?: number }) {
  let handled = 0;
  for (const start of ['0', '>']) {
    for (;;) {
      const res = (await redis.xreadgroup('GROUP', group, consumer, 'COUNT', 2, 'STREAMS', key, start)) as [string, [string, string[]][]][] | null;
      const entries = res?.[0]?.[1] ?? [];
      if (entries.length === 0) break;
      for (const [streamId, fields] of entries) {
        const f = Object.fromEntries(fields.reduce<string[][]>((acc, v, i) => (i % 2 ? acc : [...acc, [v, fields[i + 1]!]]), []));
        if (opts.crashAfter !== undefined && handled === opts.crashAfter) return handled; // dies before XACK
        handle(f.id!, JSON.parse(f.body!));
        await redis.xack(key, group, streamId);
        handled++;
        if (handled >= opts.max) return handled;
      }
    }
  }
  return handled;
}

describe('incident stream', () => {
  it('appends each event once, in outbox order, with the webhook body', async () => {
    const ids = await saveRecords(3);
    expect(await publisher().publishPending()).toBe(3);
    const entries = await readAfter(env.redis, env.prefix, '0-0', 100);
    expect(entries.map((e) => e.id)).toEqual(ids);
    const body = JSON.parse(entries[0]!.body);
    expect(body.type).toBe('incident.created');
    expect(body.data.count).toBe(1);
    // Appending an event id again (a re-publish) returns the first entry and adds nothing.
    const again = await appendEvent(env.redis, env.prefix, { id: ids[0]!, type: 'incident.created', recordId: 'x', body: '{}' });
    expect(again).toBe(entries[0]!.streamId);
    expect(await env.redis.xlen(incidentStreamKey(env.prefix))).toBe(3);
  });

  it('a consumer group reads every event once across a consumer restart (XREADGROUP / XACK)', async () => {
    const key = incidentStreamKey(env.prefix);
    const group = 'analytics';
    await env.redis.xgroup('CREATE', key, group, '0', 'MKSTREAM');
    const expected = await saveRecords(5);
    await publisher().publishPending();

    const seen: string[] = [];
    const first = new Redis(REDIS_URL);
    // Handles 3, then takes the 4th and dies before acknowledging it.
    const handledFirst = await consume(first, key, group, 'worker-1', (id) => seen.push(id), { max: 100, crashAfter: 3 });
    first.disconnect();
    expect(handledFirst).toBe(3);

    // Events published while the consumer is down are waiting for it.
    expected.push(...(await saveRecords(2)));
    await publisher().publishPending();

    const second = new Redis(REDIS_URL);
    await consume(second, key, group, 'worker-1', (id) => seen.push(id), { max: 100 });
    second.disconnect();

    expect(seen).toEqual(expected);
    const pending = (await env.redis.xpending(key, group)) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });
});
