/**
 * The web source and the listener against a local fake of t.me/s: what reaches the archive (every
 * version), the posts queue (one job per new version) and the cursor, across edits, deletions,
 * gaps, faults and a restart. Real PostgreSQL and Redis.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../../src/domain/incident.js';
import { postJobId } from '../../src/domain/ids.js';
import { channelHealth, getChannelState } from '../../src/store/channels.js';
import { createListener, type Listener } from '../../src/sources/listener.js';
import type { PollResult } from '../../src/sources/poll.js';
import type { ChannelEntry } from '../../src/sources/registry.js';
import { createWebSource, WEB_USER_AGENT, type WebSource } from '../../src/sources/web.js';
import type { Db, Sql } from '../../src/store/db.js';
import { FakeTme, type FakePost } from '../helpers/fake-tme.js';
import { archived, createSourcesEnv, waitFor, type SourcesEnv } from '../helpers/sources-env.js';

const T0 = Date.UTC(2026, 2, 1, 0, 0);
const minutes = (n: number) => new Date(T0 + n * 60_000).toISOString();

function series(from: number, to: number, text: (id: number) => string = (id) => `Сводка №${id}: сбито ${id % 7} БПЛА`): FakePost[] {
  const out: FakePost[] = [];
  for (let id = from; id <= to; id++) out.push({ id, date: minutes(id), text: text(id), views: 100 + id });
  return out;
}

const CHANNELS: ChannelEntry[] = [
  { username: 'gov_alpha', homeRegion: 'RU-BEL', lang: 'ru', kind: 'governor' },
  { username: 'gov_beta', homeRegion: 'RU-KRS', lang: 'ru', kind: 'governor' },
  { username: 'ua_oda', homeRegion: 'UA-63', lang: 'uk', kind: 'regional-administration' },
  { username: 'hidden_one', homeRegion: 'RU-BRY' },
  { username: 'no_such_channel' },
];

let fake: FakeTme;
let env: SourcesEnv;
let source: WebSource;
let listener: Listener;

function makeSource(extra: Partial<Parameters<typeof createWebSource>[0]> = {}): WebSource {
  return createWebSource({ baseUrl: fake.url, logger: env.logger, minGapMs: 0, jitterMs: 0, backoffBaseMs: 20, timeoutMs: 2_000, ...extra });
}

function makeListener(src: WebSource, channels = CHANNELS): Listener {
  return createListener({ config: env.config({ TELEGRAM_WEB_BASE_URL: fake.url }), logger: env.logger, store: env.store, queues: env.queues, channels, source: src });
}

async function poll(channel: string): Promise<PollResult> {
  const r = await listener.pollNow(channel);
  if (!('cursor' in r)) throw new Error(`poll of ${channel} did not succeed: ${JSON.stringify(r)}`);
  return r;
}

beforeAll(async () => {
  fake = new FakeTme();
  await fake.start();
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(async () => {
  fake.channels.clear();
  fake.requests.length = 0;
  fake.addChannel('gov_alpha', [
    ...series(1, 30),
    { id: 31, date: minutes(31), text: '⚡️ Ночью над Белгородским районом сбиты 4 беспилотника.\nПострадавших нет 🙏\nhttps://t.me/gov_alpha/31', views: 15_400 },
    { id: 32, date: minutes(32), text: 'Фото последствий', album: [32, 33, 34] },
    { id: 35, date: minutes(35), text: 'Сводка Минобороны', forwardedFrom: { name: 'Минобороны России', username: 'mod_russia' } },
  ]);
  fake.addChannel('gov_beta', series(100, 110));
  fake.addChannel('ua_oda', series(500, 512, (id) => `Збито ${id % 5} шахедів над Харківщиною`));
  fake.addChannel('hidden_one', series(1, 5), { noPreview: true });
  env = await createSourcesEnv();
  source = makeSource();
  listener = makeListener(source);
});

afterEach(async () => {
  await listener.stop();
  await env.cleanup();
});

describe('first poll of each channel', () => {
  it('archives and queues the latest window of every channel, with the home region, and logs what cannot be read', async () => {
    const results = await Promise.all(CHANNELS.map((c) => listener.pollNow(c.username)));

    // gov_alpha: the window is the latest 20 posts on the page (the album is one post).
    const alpha = await archived(env.store, 'gov_alpha');
    expect(alpha.map((p) => Number(p.message_id))).toEqual([...Array.from({ length: 18 }, (_, i) => i + 14), 32, 35]);
    expect(alpha.every((p) => p.version === 1 && p.channel_region === 'RU-BEL')).toBe(true);
    const p31 = alpha.find((p) => p.message_id === '31')!;
    expect(p31.text).toBe('⚡️ Ночью над Белгородским районом сбиты 4 беспилотника.\nПострадавших нет 🙏\nhttps://t.me/gov_alpha/31');
    expect(p31.meta).toMatchObject({ source: 'web', views: 15_400 });
    expect(alpha.find((p) => p.message_id === '32')!.meta).toMatchObject({ groupedId: 'gov_alpha/32' });
    expect(alpha.find((p) => p.message_id === '35')!.meta).toMatchObject({ forwardedFrom: 'mod_russia' });
    expect((await archived(env.store, 'gov_beta')).length).toBe(11);
    expect((await archived(env.store, 'ua_oda')).map((p) => p.channel_region)).toEqual(Array(13).fill('UA-63'));

    // One job per archived post, with the post version's deterministic id.
    const jobs = await env.postJobs();
    expect(jobs.length).toBe(20 + 11 + 13);
    const job31 = jobs.find((j) => j.data.post.id === 'gov_alpha/31')!;
    expect(job31.id).toBe(postJobId({ channel: 'gov_alpha', messageId: 31 }));
    expect(job31.data.post).toEqual({
      id: 'gov_alpha/31',
      channel: 'gov_alpha',
      messageId: 31,
      date: minutes(31),
      text: '⚡️ Ночью над Белгородским районом сбиты 4 беспилотника.\nПострадавших нет 🙏\nhttps://t.me/gov_alpha/31',
      channelRegion: 'RU-BEL',
    });

    expect((await getChannelState(env.store.db, 'gov_alpha')).cursor).toBe(35);
    expect((await getChannelState(env.store.db, 'gov_beta')).cursor).toBe(110);

    // The two unreadable channels: a clear per-channel error, counted and backed off.
    const hidden = results.find((r) => r.channel === 'hidden_one')!;
    expect(hidden).toMatchObject({ error: expect.stringContaining('no public preview') });
    const health = await channelHealth(env.store.db);
    const h = new Map(health.map((x) => [x.channel, x]));
    expect(h.get('hidden_one')).toMatchObject({ errorCount: 1, unavailable: 'no-preview' });
    expect(h.get('no_such_channel')).toMatchObject({ errorCount: 1, unavailable: 'no-preview' });
    expect(h.get('hidden_one')!.backoffUntil).toBeDefined();
    expect(h.get('gov_alpha')).toMatchObject({ errorCount: 0, cursor: 35, lastPostAt: minutes(35) });
    expect(h.get('gov_alpha')!.lastSuccessAt).toBeDefined();
    const errorLine = env.logs.find((l) => l.channel === 'hidden_one' && l.level === 50);
    expect(String(errorLine?.msg)).toContain('cannot be read; the other channels go on');

    // A backed-off channel is not requested again until its back-off ends.
    const before = fake.requestsFor('hidden_one').length;
    expect(await listener.pollNow('hidden_one')).toMatchObject({ skipped: expect.stringContaining('backing off') });
    expect(fake.requestsFor('hidden_one').length).toBe(before);

    // Polite: a real User-Agent on every request, and one request per channel for the first poll.
    expect(fake.requests.every((r) => r.userAgent === WEB_USER_AGENT)).toBe(true);
    expect(fake.requestsFor('gov_alpha').length).toBe(1);
  });
});

describe('following a channel', () => {
  it('archives and queues only what is new; a poll with nothing new writes nothing', async () => {
    await poll('gov_beta');
    const jobsBefore = (await env.postJobs()).length;
    expect(await poll('gov_beta')).toMatchObject({ newPosts: 0, editedPosts: 0, queued: 0, cursor: 110 });
    expect((await env.postJobs()).length).toBe(jobsBefore);

    fake.addPost('gov_beta', { id: 111, date: minutes(200), text: 'Над Курском сбит 1 БПЛА' });
    expect(await poll('gov_beta')).toMatchObject({ newPosts: 1, queued: 1, cursor: 111 });
    const jobs = await env.postJobs();
    expect(jobs.length).toBe(jobsBefore + 1);
    expect(jobs.find((j) => j.data.post.messageId === 111)!.data.post).toMatchObject({ text: 'Над Курском сбит 1 БПЛА', channelRegion: 'RU-KRS' });
  });

  it('a poll costs a handful of statements: the window is archived in one, the state read once', async () => {
    await poll('gov_alpha');
    const statements: string[] = [];
    const counting = (sql: Sql): Sql => ({
      query: (text, params, name) => {
        statements.push(text.trim().replace(/\s+/g, ' '));
        return sql.query(text, params, name);
      },
    });
    const db: Db = { ...env.store.db, query: counting(env.store.db).query, transaction: (fn) => env.store.db.transaction((tx) => fn(counting(tx))) };
    const counted = createListener({ config: env.config({ TELEGRAM_WEB_BASE_URL: fake.url }), logger: env.logger, store: { ...env.store, db }, queues: env.queues, channels: CHANNELS, source });
    for (let id = 36; id < 46; id++) fake.addPost('gov_alpha', { id, date: minutes(id), text: `Сводка №${id}` });
    expect(await counted.pollNow('gov_alpha')).toMatchObject({ read: 20, newPosts: 10, queued: 10, cursor: 45 });
    // state, archive, cursor, the window's archived ids, poll success (begin/commit not counted)
    expect(statements.length, statements.join('\n')).toBe(5);
    expect(statements.filter((s) => s.includes('dw_archive_posts(')).length).toBe(1);
    expect(statements.filter((s) => /from channels c where/.test(s)).length).toBe(1);

    statements.length = 0;
    expect(await counted.pollNow('gov_alpha')).toMatchObject({ newPosts: 0, queued: 0 });
    expect(statements.length, statements.join('\n')).toBe(4);
    expect((await archived(env.store, 'gov_alpha')).filter((p) => Number(p.message_id) >= 36).length).toBe(10);
  });

  it('fills a gap wider than a page from older pages (?before=), never skipping', async () => {
    await poll('gov_beta');
    fake.addPost('gov_beta', { id: 111, date: minutes(300), text: 'x' });
    // 60 posts arrive between two polls: three pages.
    fake.channel('gov_beta').posts.push(...series(112, 171));
    fake.requests.length = 0;
    const r = await poll('gov_beta');
    expect(r).toMatchObject({ newPosts: 61, cursor: 171 });
    const ids = (await archived(env.store, 'gov_beta')).map((p) => Number(p.message_id));
    expect(ids).toEqual(Array.from({ length: 72 }, (_, i) => 100 + i));
    // The window page (reused for the gap), then ?before= pages until the cursor (111 is on the last).
    expect(fake.requestsFor('gov_beta').map((q) => q.before ?? null)).toEqual([null, 152, 132, 112]);
  });

  it('takes a very long gap in parts, moving the cursor only as far as it read', async () => {
    const short = createListener({
      config: env.config({ TELEGRAM_WEB_BASE_URL: fake.url }),
      logger: env.logger,
      store: env.store,
      queues: env.queues,
      channels: CHANNELS,
      source: makeSource(),
    });
    await short.pollNow('gov_beta');
    fake.channel('gov_beta').posts.push(...series(111, 140));
    // Only 10 per poll: the oldest part first.
    const { pollChannel } = await import('../../src/sources/poll.js');
    const ctx = { db: env.store.db, source: makeSource(), postsQueue: env.queues.posts, logger: env.logger, rereadWindow: 5, maxCatchUp: 10 };
    const entry = CHANNELS[1]!;
    expect((await pollChannel(ctx, entry)).cursor).toBe(120);
    expect((await pollChannel(ctx, entry)).cursor).toBe(130);
    expect((await pollChannel(ctx, entry)).cursor).toBe(140);
    const ids = (await archived(env.store, 'gov_beta')).map((p) => Number(p.message_id));
    expect(ids).toEqual(Array.from({ length: 41 }, (_, i) => 100 + i));
    await short.stop();
  });

  it('an edited text becomes version 2 and a new job; an unchanged re-read does not', async () => {
    await poll('gov_alpha');
    fake.editPost('gov_alpha', 31, '⚡️ Уточнение: над Белгородским районом сбиты 6 беспилотников.');
    const r = await poll('gov_alpha');
    expect(r).toMatchObject({ newPosts: 0, editedPosts: 1, queued: 1 });
    const versions = (await archived(env.store, 'gov_alpha')).filter((p) => p.message_id === '31');
    expect(versions.map((v) => [v.version, v.text])).toEqual([
      [1, '⚡️ Ночью над Белгородским районом сбиты 4 беспилотника.\nПострадавших нет 🙏\nhttps://t.me/gov_alpha/31'],
      [2, '⚡️ Уточнение: над Белгородским районом сбиты 6 беспилотников.'],
    ]);
    expect(versions[1]!.edit_date).not.toBeNull();
    const jobs = (await env.postJobs()).filter((j) => j.data.post.messageId === 31);
    expect(jobs.length).toBe(2);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(2);
    expect(jobs.map((j) => j.data.post.text)).toContain('⚡️ Уточнение: над Белгородским районом сбиты 6 беспилотников.');
    // Re-reading the edited post (still marked edited, a later "edit time") adds nothing.
    expect(await poll('gov_alpha')).toMatchObject({ editedPosts: 0, queued: 0 });
    expect((await archived(env.store, 'gov_alpha')).filter((p) => p.message_id === '31').length).toBe(2);
  });
});

function recordOf(postId: string, channel: string, messageId: number, n: number): IncidentRecord {
  return {
    id: `${postId}#${n}`,
    post: { id: postId, channel, messageId, date: minutes(messageId), url: `https://t.me/${channel}/${messageId}` },
    region: { code: 'RU-BEL', name: 'Belgorod Oblast', nameLocal: 'Белгородская область' },
    places: [],
    count: 3,
    approx: false,
    outcome: 'destroyed',
    droneType: null,
    evidence: 'сбито 3 БПЛА',
    lang: 'ru',
    extractor: 'test@1',
  };
}

describe('deletions', () => {
  it('a post missing between its neighbours in two polls running is marked deleted and its records retracted', async () => {
    await poll('gov_alpha');
    const post = (await env.store.db.query<{ text: string }>("select text from posts where post_id = 'gov_alpha/20'"))[0]!;
    await env.store.saveExtraction(
      { id: 'gov_alpha/20', channel: 'gov_alpha', messageId: 20, date: minutes(20), text: post.text, channelRegion: 'RU-BEL' },
      [recordOf('gov_alpha/20', 'gov_alpha', 20, 0)],
      'test@1',
    );
    fake.deletePost('gov_alpha', 20);

    const first = await poll('gov_alpha');
    expect(first.deleted).toEqual([]);
    expect((await archived(env.store, 'gov_alpha')).find((p) => p.message_id === '20')!.deleted_at).toBeNull();

    const second = await poll('gov_alpha');
    expect(second.deleted).toEqual([20]);
    expect((await archived(env.store, 'gov_alpha')).find((p) => p.message_id === '20')!.deleted_at).not.toBeNull();
    const [incident] = await env.store.db.query<{ status: string }>("select status from incidents where id = 'gov_alpha/20#0'");
    expect(incident?.status).toBe('retracted');
    const events = await env.store.db.query<{ type: string }>("select type from events where record_id = 'gov_alpha/20#0' order by seq");
    expect(events.map((e) => e.type)).toEqual(['incident.created', 'incident.retracted']);
    // A third poll does not retract again.
    expect((await poll('gov_alpha')).deleted).toEqual([]);

    // The post comes back (a glitch, or the channel restored it): undeleted and queued again.
    fake.channel('gov_alpha').posts.find((p) => p.id === 20)!.deleted = false;
    const back = await poll('gov_alpha');
    expect(back.queued).toBe(1);
    expect((await archived(env.store, 'gov_alpha')).find((p) => p.message_id === '20')!.deleted_at).toBeNull();
    const requeued = (await env.postJobs()).filter((j) => j.data.post.messageId === 20);
    expect(requeued.length).toBe(2);
    expect(requeued.some((j) => j.data.replay === true && /-r\d+$/.test(j.id))).toBe(true);
  });

  it('an edited post deleted and then back is queued once, not on every later poll', async () => {
    await poll('gov_alpha');
    fake.editPost('gov_alpha', 22, 'Сводка №22, уточнение: сбито 3 БПЛА');
    expect(await poll('gov_alpha')).toMatchObject({ editedPosts: 1 });
    fake.deletePost('gov_alpha', 22);
    await poll('gov_alpha');
    expect((await poll('gov_alpha')).deleted).toEqual([22]);
    const versions = (await archived(env.store, 'gov_alpha')).filter((p) => p.message_id === '22');
    expect(versions.map((p) => [p.version, p.deleted_at !== null])).toEqual([
      [1, true],
      [2, true],
    ]);

    fake.channel('gov_alpha').posts.find((p) => p.id === 22)!.deleted = false;
    expect(await poll('gov_alpha')).toMatchObject({ queued: 1, newPosts: 0, editedPosts: 0 });
    expect((await archived(env.store, 'gov_alpha')).find((p) => p.message_id === '22' && p.version === 2)!.deleted_at).toBeNull();
    // The older version stays marked; the post is back all the same and is not queued again.
    expect(await poll('gov_alpha')).toMatchObject({ queued: 0 });
    expect((await env.postJobs()).filter((j) => j.data.post.messageId === 22 && j.data.replay === true).length).toBe(1);
  });

  it('a post that reappears after one miss is not deleted', async () => {
    await poll('gov_alpha');
    fake.deletePost('gov_alpha', 25);
    await poll('gov_alpha');
    fake.channel('gov_alpha').posts.find((p) => p.id === 25)!.deleted = false;
    await poll('gov_alpha');
    fake.deletePost('gov_alpha', 25);
    expect((await poll('gov_alpha')).deleted).toEqual([]);
    expect((await archived(env.store, 'gov_alpha')).find((p) => p.message_id === '25')!.deleted_at).toBeNull();
  });

  it('refuses when more than a third of a window vanishes at once, and says why', async () => {
    await poll('gov_alpha');
    for (const id of [14, 16, 18, 20, 22, 24, 26, 28]) fake.deletePost('gov_alpha', id);
    const first = await poll('gov_alpha');
    const second = await poll('gov_alpha');
    expect(first.deleted).toEqual([]);
    expect(second.deleted).toEqual([]);
    expect(second.deletionGuard).toMatch(/8 posts vanished at once from a window of 20 .*more than a third/);
    expect((await archived(env.store, 'gov_alpha')).every((p) => p.deleted_at === null)).toBe(true);
    expect(env.logs.some((l) => l.level === 40 && String(l.msg).includes('more than a third'))).toBe(true);
  });
});

describe('faults', () => {
  it('when Redis refuses the jobs, the archive write and the cursor roll back; the next poll reads them again', async () => {
    const { createQueues } = await import('../../src/queue/queues.js');
    const { pollChannel } = await import('../../src/sources/poll.js');
    const broken = await createQueues({ redisUrl: 'redis://127.0.0.1:6379', prefix: env.prefix });
    await broken.close();
    const ctx = { db: env.store.db, source: makeSource(), logger: env.logger, rereadWindow: 20 };
    await expect(pollChannel({ ...ctx, postsQueue: broken.posts }, CHANNELS[1]!)).rejects.toThrow();
    expect(await archived(env.store, 'gov_beta')).toEqual([]);
    expect((await getChannelState(env.store.db, 'gov_beta')).cursor).toBe(0);
    expect(await pollChannel({ ...ctx, postsQueue: env.queues.posts }, CHANNELS[1]!)).toMatchObject({ newPosts: 11, queued: 11, cursor: 110 });
    expect((await env.postJobs()).length).toBe(11);
  });

  it('retries a 5xx, a cut connection and a cut page, and never archives half a text', async () => {
    fake.failNext('gov_beta', { kind: 'status', status: 502 }, { kind: 'truncate' }, { kind: 'partial-html' });
    const r = await poll('gov_beta');
    expect(r.newPosts).toBe(11);
    expect(fake.requestsFor('gov_beta').map((q) => q.status)).toEqual([502, 200, 200, 200]);
    const texts = (await archived(env.store, 'gov_beta')).map((p) => p.text);
    expect(texts).toEqual(series(100, 110).map((p) => p.text));
  });

  it('gives up on a channel after repeated faults, counts the error, and reads nothing partial', async () => {
    fake.failNext('gov_beta', ...Array.from({ length: 4 }, () => ({ kind: 'partial-html' as const })));
    expect(await listener.pollNow('gov_beta')).toMatchObject({ error: expect.stringContaining('unavailable after 4 attempts') });
    expect(await archived(env.store, 'gov_beta')).toEqual([]);
    expect((await channelHealth(env.store.db)).find((h) => h.channel === 'gov_beta')).toMatchObject({ errorCount: 1, errorsTotal: 1 });
    // The next poll succeeds and resets the count.
    await poll('gov_beta');
    expect((await channelHealth(env.store.db)).find((h) => h.channel === 'gov_beta')).toMatchObject({ errorCount: 0, errorsTotal: 1 });
  });

  it('cuts an oversized body and times out a silent server', async () => {
    const small = makeSource({ maxBytes: 256 * 1024, maxAttempts: 1, timeoutMs: 300 });
    fake.failNext('gov_beta', { kind: 'huge', bytes: 8 * 1024 * 1024 });
    await expect(small.readLatest('gov_beta', 20)).rejects.toThrow(/byte limit/);
    fake.failNext('gov_beta', { kind: 'hang', ms: 2_000 });
    const t = Date.now();
    await expect(small.readLatest('gov_beta', 20)).rejects.toThrow(/timeout|aborted/i);
    expect(Date.now() - t).toBeLessThan(1_500);
    expect((await small.readLatest('gov_beta', 20)).length).toBe(11);
  });

  it('a 429 rate-limits the poll worker for Retry-After, then the poll runs: not a failure', async () => {
    fake.failNext('gov_beta', { kind: 'status', status: 429, retryAfter: '2' });
    const scheduled = createListener({
      config: env.config({ TELEGRAM_WEB_BASE_URL: fake.url, POLL_INTERVAL_MS: '60000' }),
      logger: env.logger,
      store: env.store,
      queues: env.queues,
      channels: [CHANNELS[1]!],
      source: makeSource(),
    });
    await scheduled.start();
    try {
      await waitFor(async () => (await archived(env.store, 'gov_beta')).length === 11, 10_000);
      const reqs = fake.requestsFor('gov_beta');
      expect(reqs.map((q) => q.status)).toEqual([429, 200]);
      expect(reqs[1]!.at - reqs[0]!.at).toBeGreaterThanOrEqual(1_900);
      const health = (await channelHealth(env.store.db)).find((h) => h.channel === 'gov_beta')!;
      expect(health).toMatchObject({ errorCount: 0, errorsTotal: 0 });
      expect(env.logs.some((l) => String(l.msg).includes('rate limit') && l.retryAfterMs === 2_000)).toBe(true);
      const schedulers = await env.queues.polls.getJobSchedulers();
      // one channel: polled in the middle of its interval (and once at start, above)
      expect(schedulers.map((s) => [s.key, s.every, s.offset])).toEqual([['poll-gov_beta', 60_000, 30_000]]);
    } finally {
      await scheduled.stop();
    }
  });
});

describe('channel health', () => {
  it('learns each channel rhythm from its history and flags one silent for longer than usual', async () => {
    const now = Date.now();
    const hourly = Array.from({ length: 15 }, (_, i) => ({ id: i + 1, date: new Date(now - (10 + 15 - i) * 3600_000).toISOString(), text: `hourly ${i}` }));
    const busy = Array.from({ length: 15 }, (_, i) => ({ id: i + 1, date: new Date(now - (15 - i) * 600_000).toISOString(), text: `busy ${i}` }));
    fake.addChannel('gov_hourly', hourly);
    fake.addChannel('gov_busy', busy);
    const channels = [{ username: 'gov_hourly' }, { username: 'gov_busy' }, { username: 'gov_new' }];
    fake.addChannel('gov_new', [{ id: 1, date: new Date(now - 30 * 86_400_000).toISOString(), text: 'first and only' }]);
    await listener.stop();
    listener = makeListener(makeSource(), channels);
    for (const c of channels) await poll(c.username);
    const health = new Map((await channelHealth(env.store.db, new Date(now))).map((h) => [h.channel, h]));
    // Hourly posts, quiet for 11 hours: silent. Every 10 minutes, last 10 minutes ago: not silent.
    expect(health.get('gov_hourly')).toMatchObject({ silent: true, usualGapMs: 3600_000 });
    expect(health.get('gov_busy')).toMatchObject({ silent: false, usualGapMs: 600_000 });
    // One post in a month is no rhythm: never flagged.
    expect(health.get('gov_new')).toMatchObject({ silent: false });
    expect(health.get('gov_new')!.usualGapMs).toBeUndefined();
  });
});

describe('restart', () => {
  it('resumes from the stored cursor: nothing archived or queued twice, posts added while down arrive once', async () => {
    for (const c of ['gov_alpha', 'gov_beta', 'ua_oda']) await poll(c);
    const jobsBefore = await env.postJobs();
    const versionsBefore = await env.store.db.query<{ n: number }>('select count(*)::int as n from posts');
    await listener.stop();

    // While the listener is down: two new posts and an edit.
    fake.addPost('gov_beta', { id: 111, date: minutes(400), text: 'Новый пост 1' });
    fake.addPost('gov_beta', { id: 112, date: minutes(401), text: 'Новый пост 2' });
    fake.editPost('ua_oda', 510, 'Збито 7 шахедів над Харківщиною (уточнено)');

    listener = makeListener(makeSource());
    for (const c of ['gov_alpha', 'gov_beta', 'ua_oda']) await poll(c);
    const jobsAfter = await env.postJobs();
    const versionsAfter = await env.store.db.query<{ n: number }>('select count(*)::int as n from posts');
    expect(versionsAfter[0]!.n - versionsBefore[0]!.n).toBe(3);
    expect(jobsAfter.length - jobsBefore.length).toBe(3);
    expect(new Set(jobsAfter.map((j) => j.id)).size).toBe(jobsAfter.length);
    expect((await getChannelState(env.store.db, 'gov_beta')).cursor).toBe(112);

    // And once more, with nothing changed: nothing at all.
    await listener.stop();
    listener = makeListener(makeSource());
    for (const c of ['gov_alpha', 'gov_beta', 'ua_oda']) await poll(c);
    expect((await env.postJobs()).length).toBe(jobsAfter.length);
  });
});
