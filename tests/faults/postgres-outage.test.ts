/**
 * Fault 3: PostgreSQL unreachable (the pg-proxy between the service and the server is cut: open
 * connections reset, new ones refused) while extract jobs run and the listener polls a channel that
 * keeps posting. Jobs retry and complete once it is back; the listener never moves a channel's
 * cursor past a post it has not stored — checked continuously, straight on the server, during the
 * whole run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Db } from '../../src/store/db.js';
import { startPgProxy } from '../helpers/pg-proxy.js';
import { FakeTme, type FakePost } from '../helpers/fake-tme.js';
import { checkStore, createFaultEnv, describeState, expectedRecords, makeReportPosts, postCounts, SHORT, sleep, waitUntil, type FaultEnv } from './support/env.js';

const POSTS = SHORT ? 300 : 1_000;
const OUTAGE_MS = SHORT ? 8_000 : 30_000;
const CHANNEL = 'fault_pg_channel';

/** The channel's posts as the listener will read them (no language given: the source detects it). */
const CHANNEL_POSTS = makeReportPosts(25, CHANNEL, 1).map(({ lang: _lang, ...p }) => p);

/** Channel posts with ids from..to, as the fake t.me serves them. */
function channelPosts(from: number, to: number): FakePost[] {
  return CHANNEL_POSTS.slice(from - 1, to).map((p) => ({ id: p.messageId, date: p.date, text: p.text }));
}

interface CursorViolation {
  cursor: number;
  unstored: number[];
}

/** Ids at or below the stored cursor that the channel has but the archive lacks. */
async function cursorViolation(db: Db, served: number[]): Promise<CursorViolation | null> {
  const [row] = await db.query<{ cursor: string }>('select cursor from channels where username = $1', [CHANNEL]);
  if (!row) return null;
  const cursor = Number(row.cursor);
  const archived = new Set((await db.query<{ id: string }>('select distinct message_id as id from posts where channel = $1 and message_id <= $2', [CHANNEL, cursor])).map((r) => Number(r.id)));
  const unstored = served.filter((id) => id <= cursor && !archived.has(id));
  return unstored.length > 0 ? { cursor, unstored } : null;
}

describe('fault: PostgreSQL unreachable', () => {
  let env: FaultEnv;
  const tme = new FakeTme();
  beforeAll(async () => {
    env = await createFaultEnv({ pgProxy: true });
    // Fewer than the re-read window: the first poll takes them all (a new channel starts at its latest window).
    tme.addChannel(CHANNEL, channelPosts(1, 10));
    await tme.start();
  });
  afterAll(async () => {
    await env?.cleanup();
    await tme.stop();
  });

  it(`retries through a ${OUTAGE_MS / 1000} s outage and never moves a cursor past unstored posts`, async () => {
    const posts = makeReportPosts(POSTS, 'fault_pg_batch');
    const expected = expectedRecords(posts);

    const child = await env.startChild('service', 'listener,extract', {
      TELEGRAM_SOURCE: 'web',
      TELEGRAM_WEB_BASE_URL: tme.url,
      CHANNELS: CHANNEL,
      POLL_INTERVAL_MS: '1000',
      REREAD_WINDOW: '20',
      FAULT_EXTRACT_DELAY_MS: '20',
    });

    // The cursor invariant, checked on the server itself every 100 ms from here to the end.
    const violations: CursorViolation[] = [];
    const cursors: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const served = tme.channel(CHANNEL).posts.map((p) => p.id);
        const v = await cursorViolation(env.db, served).catch(() => null);
        if (v) violations.push(v);
        const [row] = await env.db.query<{ cursor: string }>('select cursor from channels where username = $1', [CHANNEL]).catch(() => []);
        if (row) cursors.push(Number(row.cursor));
        await sleep(100);
      }
    })();

    await waitUntil(async () => cursors.at(-1) === 10, 60_000, 'the first 10 channel posts read');
    await env.enqueue(posts);
    const storedPosts = async () => Number((await env.db.query<{ n: string }>("select count(distinct post_id) as n from incidents where channel = 'fault_pg_batch'"))[0]!.n);
    await waitUntil(async () => (await storedPosts()) >= POSTS / 5, 60_000, 'a fifth of the batch stored');

    await env.proxy!.cut('refuse');
    const cutAt = Date.now();
    const atCut = await storedPosts();
    // The channel goes on posting while the store is away.
    for (let id = 11; id <= 25; id++) {
      tme.addPost(CHANNEL, channelPosts(id, id)[0]!);
      await sleep(OUTAGE_MS / 20);
    }
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - cutAt)));
    const cursorDuringCut = Math.max(...cursors.slice(-5));
    await env.proxy!.restore();
    const restoredAt = Date.now();
    expect(child.hasExited(), `the service exited during the outage:\n${child.stderr().slice(-4000)}`).toBe(false);
    // Nothing could be stored, so the cursor cannot have moved past 10 while cut.
    expect(cursorDuringCut).toBe(10);
    const pollErrors = child.logs().filter((l) => l.msg === 'poll failed; the next scheduled poll tries again' || /poll/.test(String(l.msg)) && l.level === 50).length;

    await waitUntil(async () => {
      const c = await postCounts(env.queues);
      return c.completed + c.failed === POSTS + 25 && c.active === 0 && c.waiting === 0 && c.delayed === 0;
    }, 90_000, 'every job finished after the outage', 250, () => describeState(env));
    await waitUntil(async () => cursors.at(-1) === 25, 30_000, 'the cursor reaching 25');
    const doneMs = Date.now() - restoredAt;
    watching = false;
    await watcher;

    expect(violations).toEqual([]);
    const counts = await postCounts(env.queues);
    expect(counts.failed).toBe(0);
    const channelExpected = expectedRecords(CHANNEL_POSTS);
    const all = new Map([...expected, ...channelExpected]);
    const store = await checkStore(env.db, all);
    expect(store.missing).toEqual([]);
    expect(store.unexpected).toEqual([]);
    expect(store.createdTwice).toEqual([]);
    // Jobs really did fail and retry during the outage.
    const retried = child.logs().filter((l) => l.msg === 'post job failed; will retry').length;
    expect(retried).toBeGreaterThan(0);
    expect(child.logs().filter((l) => l.msg === 'post job failed for good')).toEqual([]);

    console.info(
      `[faults] postgres-outage: ${POSTS} batch posts + 25 channel posts, ${atCut} stored at the cut, cut ${restoredAt - cutAt} ms; ` +
        `${retried} job retries, ${pollErrors} poll errors logged; everything done ${doneMs} ms after restore; cursor samples ${cursors.length}, violations 0`,
    );
  }, 400_000);

  it('fails a transaction whose connection is reset between statements, without ending the process', async () => {
    // The listener waits on Redis inside its transaction: a reset then must not be an uncaught 'error'.
    const proxy = await startPgProxy();
    const db = await openPostgres(proxy.url, 'public', 2);
    try {
      const attempt = db.transaction(async (tx) => {
        await tx.query('select 1');
        await proxy.cut('refuse');
        await sleep(300);
        await tx.query('select 2');
      });
      await expect(attempt).rejects.toThrow();
      await proxy.restore();
      expect(await db.query<{ x: number }>('select 3 as x')).toEqual([{ x: 3 }]);
    } finally {
      await db.close();
      await proxy.close();
    }
  });
});
