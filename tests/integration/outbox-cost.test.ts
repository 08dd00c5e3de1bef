/**
 * The cheaper outbox path: the batched save reports its changes without sending the incoming
 * records back (the caller has them; only a retraction's stored record comes back), the publisher
 * marks rounds published by sequence number with an asynchronous commit confined to that statement,
 * and stream appends go in one script call per round, still once per event id and in order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendEvents, incidentStreamKey, readAfter, type StreamEvent } from '../../src/alerts/stream.js';
import { openPostgres } from '../../src/store/db.js';
import { markPublishedSeqs, unpublishedEvents } from '../../src/store/events.js';
import { recordHash, saveExtractionBatch } from '../../src/store/incidents.js';
import { createAlertsEnv, DATABASE_URL, makePost, makeRecord, type AlertsEnv } from '../helpers/alerts-env.js';

let env: AlertsEnv;
beforeEach(async () => {
  env = await createAlertsEnv();
});
afterEach(async () => {
  await env.cleanup();
});

describe('saveExtractionBatch changes', () => {
  it('carry the incoming record for created/updated and the stored one for a retraction', async () => {
    const a = makePost({ channel: 'cost_test', messageId: 1, text: 'a1' });
    const b = makePost({ channel: 'cost_test', messageId: 2, text: 'b1' });
    const a0 = makeRecord(a, 0, { count: 2 });
    const a1 = makeRecord(a, 1, { count: 7, region: 'RU-KRS' });
    const b0 = makeRecord(b, 0, { count: 1 });
    const [ra, rb] = await saveExtractionBatch(env.store.db, [
      { post: a, records: [a0, a1], extractor: 'x@1' },
      { post: b, records: [b0], extractor: 'x@1' },
    ]);
    expect(ra!.changes.map((c) => [c.type, c.record, c.recordHash])).toEqual([
      ['incident.created', a0, recordHash(a0)],
      ['incident.created', a1, recordHash(a1)],
    ]);
    expect(rb!.changes.map((c) => [c.type, c.record])).toEqual([['incident.created', b0]]);

    // An edit of a: #0 changes, #1 is gone (its retraction reports the record as stored).
    const edit = { ...a, text: 'a2', editDate: '2026-11-20T11:00:00.000Z' };
    const e0 = makeRecord(edit, 0, { count: 3 });
    const [re] = await saveExtractionBatch(env.store.db, [{ post: edit, records: [e0], extractor: 'x@1' }]);
    expect(re!.version).toBe(2);
    expect(re!.changes.map((c) => [c.type, c.record, c.recordHash])).toEqual([
      ['incident.updated', e0, recordHash(e0)],
      ['incident.retracted', a1, recordHash(a1)],
    ]);
    // The event ids reported are the ones in the outbox, in the order reported.
    const events = await unpublishedEvents(env.store.db, 100);
    expect(events.map((e) => e.id)).toEqual([...ra!.changes, ...rb!.changes, ...re!.changes].map((c) => c.eventId));
    expect(events.at(-1)!.payload).toEqual(a1);
  });
});

describe('markPublishedSeqs', () => {
  it('marks exactly the given events, and leaves the connection committing synchronously', async () => {
    // One connection, so that a setting leaking out of the statement would show on the next query.
    const db = await openPostgres(DATABASE_URL, env.schema, 1);
    try {
      for (let i = 0; i < 3; i++) {
        const post = makePost({ channel: 'mark_test' });
        await saveExtractionBatch(db, [{ post, records: [makeRecord(post, 0)], extractor: 'x@1' }]);
      }
      const pending = await unpublishedEvents(db, 100);
      expect(pending).toHaveLength(3);
      await markPublishedSeqs(db, [pending[0]!.seq, pending[2]!.seq]);
      expect((await unpublishedEvents(db, 100)).map((e) => e.id)).toEqual([pending[1]!.id]);
      const [setting] = await db.query<{ synchronous_commit: string }>('show synchronous_commit');
      expect(setting!.synchronous_commit).toBe('on');
      // Marking again changes nothing.
      await markPublishedSeqs(db, [pending[0]!.seq]);
      const [row] = await db.query<{ n: number }>('select count(*)::int as n from events where published_at is not null');
      expect(row!.n).toBe(2);
    } finally {
      await db.close();
    }
  });
});

describe('appendEvents', () => {
  it('appends a round of events (more than one script call) in order, each id once', async () => {
    const events: StreamEvent[] = Array.from({ length: 230 }, (_, i) => ({ id: `evt_cost${i}`, type: 'incident.created', recordId: `r/${i}#0`, body: `{"n":${i}}` }));
    const first = await appendEvents(env.redis, env.prefix, events.slice(0, 150));
    expect(new Set(first).size).toBe(150);
    // A re-publish overlapping the first round: the old ids return their entries, only the new append.
    const second = await appendEvents(env.redis, env.prefix, events.slice(100));
    expect(second.slice(0, 50)).toEqual(first.slice(100));
    expect(await env.redis.xlen(incidentStreamKey(env.prefix))).toBe(230);
    const entries = await readAfter(env.redis, env.prefix, '0-0', 1_000);
    expect(entries.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(entries.map((e) => e.streamId)).toEqual([...first, ...second.slice(50)]);
    expect(entries[229]).toMatchObject({ type: 'incident.created', recordId: 'r/229#0', body: '{"n":229}' });
  });
});
