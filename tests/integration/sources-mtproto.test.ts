/**
 * The gramjs adapter and the mtproto source, through a fake at the gramjs client boundary only:
 * everything from src/sources/telegram-client.ts up (peer cache in the store, iterMessages from the
 * cursor, flood waits as worker rate limits, live events as early-poll hints, destroy on stop) is
 * the production code. Real PostgreSQL and Redis.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postJobId } from '../../src/domain/ids.js';
import { ChannelUnavailableError, SourceRateLimitedError } from '../../src/sources/errors.js';
import { createListener, type Listener } from '../../src/sources/listener.js';
import { createMtprotoSource, type MtprotoSource } from '../../src/sources/mtproto.js';
import type { ChannelEntry } from '../../src/sources/registry.js';
import { PinoGramLogger, createTelegramGateway } from '../../src/sources/telegram-client.js';
import { channelHealth, getChannelState, getPeer } from '../../src/store/channels.js';
import { FakeTelegram, type FakeMessage } from '../helpers/fake-gramjs.js';
import { archived, createSourcesEnv, waitFor, type SourcesEnv } from '../helpers/sources-env.js';

const T0 = Date.UTC(2026, 3, 1) / 1000;
const msgs = (from: number, to: number): FakeMessage[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ id: from + i, date: T0 + (from + i) * 60, text: `Над областью сбито ${(from + i) % 9} БПЛА`, views: 1000 + i }));

const CHANNELS: ChannelEntry[] = [
  { username: 'gov_kaluga', homeRegion: 'RU-KLU', lang: 'ru', kind: 'governor' },
  { username: 'air_force', lang: 'uk', kind: 'air-force' },
];

let tg: FakeTelegram;
let env: SourcesEnv;
let listener: Listener | undefined;

function makeSource(): MtprotoSource {
  const gateway = createTelegramGateway({ apiId: 12345, apiHash: 'fake-api-hash-0123456789', session: '', logger: env.logger, clientFactory: tg.factory });
  return createMtprotoSource({ gateway, db: env.store.db, logger: env.logger });
}

function makeListener(extra: Record<string, string> = {}, channels = CHANNELS): Listener {
  return createListener({
    config: env.config({ TELEGRAM_SOURCE: 'web', REREAD_WINDOW: '5', ...extra }),
    logger: env.logger,
    store: env.store,
    queues: env.queues,
    channels,
    source: makeSource(),
  });
}

beforeEach(async () => {
  tg = new FakeTelegram();
  tg.addChannel('gov_kaluga', [
    { id: 1, date: T0, text: '', service: true },
    ...msgs(2, 30),
    { id: 31, date: T0 + 31 * 60, text: 'Фото: последствия', groupedId: '13579', views: 5 },
    { id: 32, date: T0 + 31 * 60, text: '', groupedId: '13579' },
    { id: 33, date: T0 + 33 * 60, text: 'Переслано', forwardedFromName: 'Минобороны России' },
  ]);
  tg.addChannel('air_force', msgs(100, 104));
  env = await createSourcesEnv();
});

afterEach(async () => {
  await listener?.stop();
  listener = undefined;
  await env.cleanup();
});

describe('mtproto source through the gramjs boundary', () => {
  it('resolves each username once (cached in the store), then reads incrementally from the cursor with iterMessages', async () => {
    listener = makeListener();
    const first = await listener.pollNow('gov_kaluga');
    expect(first).toMatchObject({ newPosts: 5, cursor: 33 });
    const peer = await getPeer(env.store.db, 'gov_kaluga');
    expect(peer).toEqual({ id: tg.channel('gov_kaluga').id, accessHash: tg.channel('gov_kaluga').accessHash });
    // The window: the latest 5, newest first from gramjs, archived oldest first; the album's members apart.
    const rows = await archived(env.store, 'gov_kaluga');
    expect(rows.map((r) => Number(r.message_id))).toEqual([29, 30, 31, 32, 33]);
    expect(rows.find((r) => r.message_id === '31')!.meta).toMatchObject({ source: 'mtproto', groupedId: '13579', views: 5 });
    expect(rows.find((r) => r.message_id === '33')!.meta).toMatchObject({ forwardedFrom: 'Минобороны России' });
    expect(rows.every((r) => r.channel_region === 'RU-KLU')).toBe(true);

    // 12 new messages: more than the window, so the gap is read with minId = cursor, oldest first.
    for (const m of msgs(34, 45)) tg.post('gov_kaluga', m);
    tg.iterCalls.length = 0;
    const second = await listener.pollNow('gov_kaluga');
    expect(second).toMatchObject({ newPosts: 12, cursor: 45 });
    expect(tg.iterCalls.map((c) => c.params)).toEqual([{ limit: 5 }, { limit: 100, minId: 33, reverse: true }]);
    expect((await archived(env.store, 'gov_kaluga')).map((r) => Number(r.message_id))).toEqual(Array.from({ length: 17 }, (_, i) => 29 + i));
    expect(tg.resolveCalls).toEqual(['gov_kaluga']);

    const jobs = await env.postJobs();
    expect(jobs.length).toBe(17);
    expect(jobs.find((j) => j.data.post.messageId === 40)!.data.post).toEqual({
      id: 'gov_kaluga/40',
      channel: 'gov_kaluga',
      messageId: 40,
      date: new Date((T0 + 40 * 60) * 1000).toISOString(),
      text: 'Над областью сбито 4 БПЛА',
      channelRegion: 'RU-KLU',
    });
  });

  it('an edited message becomes a new version and a job keyed by its edit date', async () => {
    listener = makeListener();
    await listener.pollNow('gov_kaluga');
    tg.edit('gov_kaluga', 30, 'Уточнение: над областью сбито 5 БПЛА', T0 + 10_000);
    const r = await listener.pollNow('gov_kaluga');
    expect(r).toMatchObject({ editedPosts: 1, queued: 1 });
    const v = (await archived(env.store, 'gov_kaluga')).filter((x) => x.message_id === '30');
    expect(v.map((x) => [x.version, x.text])).toEqual([
      [1, 'Над областью сбито 3 БПЛА'],
      [2, 'Уточнение: над областью сбито 5 БПЛА'],
    ]);
    const editIso = new Date((T0 + 10_000) * 1000).toISOString();
    const jobIds = (await env.postJobs()).map((j) => j.id);
    expect(jobIds).toContain(postJobId({ channel: 'gov_kaluga', messageId: 30, editDate: editIso }));
    expect(jobIds).toContain(postJobId({ channel: 'gov_kaluga', messageId: 30 }));
  });

  it('a flood wait is a pollNow rate-limit error, not a channel failure', async () => {
    listener = makeListener();
    tg.floodWait(120);
    await expect(listener.pollNow('gov_kaluga')).rejects.toBeInstanceOf(SourceRateLimitedError);
    await expect(
      (async () => {
        tg.floodWait(7);
        return listener!.pollNow('gov_kaluga');
      })(),
    ).rejects.toMatchObject({ retryAfterMs: 7_000 });
    const h = (await channelHealth(env.store.db)).find((x) => x.channel === 'gov_kaluga');
    expect(h?.errorCount ?? 0).toBe(0);
  });

  it('the poll worker waits out a flood wait (worker rate limit), then reads; a live edit triggers an early poll', async () => {
    tg.floodWait(2);
    listener = makeListener({ POLL_INTERVAL_MS: '600000' }, [CHANNELS[0]!]);
    const started = Date.now();
    await listener.start();
    await waitFor(async () => (await archived(env.store, 'gov_kaluga')).length === 5, 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(env.logs.some((l) => String(l.msg).includes('rate limit') && l.retryAfterMs === 2_000)).toBe(true);
    expect((await channelHealth(env.store.db)).find((x) => x.channel === 'gov_kaluga')).toMatchObject({ errorCount: 0 });

    // The next scheduled poll is ten minutes away: only the live event can bring this edit in now.
    tg.edit('gov_kaluga', 33, 'Переслано (исправлено)', T0 + 50_000);
    await waitFor(async () => (await archived(env.store, 'gov_kaluga')).some((r) => r.message_id === '33' && r.version === 2), 5_000);
    const live = (await env.queues.polls.getJobs(['completed', 'active', 'waiting'])).filter((j) => j?.id?.startsWith('poll-live-gov_kaluga-'));
    expect(live.length).toBe(1);
  });

  it('a restart resumes from the stored cursor with the cached peer, and destroy() stops the client', async () => {
    listener = makeListener();
    await listener.pollNow('gov_kaluga');
    await listener.pollNow('air_force');
    await listener.stop();
    expect(tg.clients.every((c) => c.destroyed)).toBe(true);

    // Posted while down: more than the window.
    for (const m of msgs(34, 41)) tg.post('gov_kaluga', m);
    tg.iterCalls.length = 0;
    listener = makeListener();
    expect(await listener.pollNow('gov_kaluga')).toMatchObject({ newPosts: 8, cursor: 41 });
    expect(await listener.pollNow('air_force')).toMatchObject({ newPosts: 0, queued: 0, cursor: 104 });
    const kalugaCalls = tg.iterCalls.filter((c) => c.channelId === tg.channel('gov_kaluga').id).map((c) => c.params);
    expect(kalugaCalls).toEqual([{ limit: 5 }, { limit: 100, minId: 33, reverse: true }]);
    expect(tg.resolveCalls).toEqual(['gov_kaluga', 'air_force']);
    expect((await getChannelState(env.store.db, 'gov_kaluga')).cursor).toBe(41);
    const jobs = await env.postJobs();
    expect(jobs.length).toBe(5 + 5 + 8);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length);
  });

  it('an unknown username is a clear per-channel error; the other channels go on', async () => {
    listener = makeListener({}, [...CHANNELS, { username: 'not_a_channel_x' }]);
    const r = await listener.pollNow('not_a_channel_x');
    expect(r).toMatchObject({ error: expect.stringContaining('no such username') });
    expect(await listener.pollNow('air_force')).toMatchObject({ newPosts: 5 });
    expect((await channelHealth(env.store.db)).find((h) => h.channel === 'not_a_channel_x')).toMatchObject({ unavailable: 'unknown', errorCount: 1 });
  });
});

describe('gateway details', () => {
  it('maps gramjs errors to ours', async () => {
    const { mapGramError } = await import('../../src/sources/telegram-client.js');
    const { Api, errors } = await import('telegram');
    const flood = mapGramError(new errors.FloodWaitError({ request: new Api.messages.GetHistory({}), capture: 90 }));
    expect(flood).toBeInstanceOf(SourceRateLimitedError);
    expect((flood as SourceRateLimitedError).retryAfterMs).toBe(90_000);
    const priv = mapGramError(new errors.RPCError('CHANNEL_PRIVATE', new Api.messages.GetHistory({}), 400), 'x');
    expect(priv).toMatchObject({ reason: 'private' });
    expect(priv).toBeInstanceOf(ChannelUnavailableError);
    const other = new Error('socket closed');
    expect(mapGramError(other)).toBe(other);
  });

  it('routes gramjs log lines into pino at the matching level', () => {
    const lines: Array<{ level: number; msg: string; gramjs?: boolean }> = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(JSON.parse(String(chunk)));
        cb();
      },
    });
    const gramLogger = new PinoGramLogger(pino({ level: 'info' }, sink));
    gramLogger.warn('Disconnecting from 149.154.167.51:80/TCPFull...');
    gramLogger.error('Error while receiving items from the network');
    gramLogger.info('Running gramJS version 2.26');
    return new Promise<void>((resolve) => {
      setImmediate(() => {
        expect(lines.map((l) => [l.level, l.msg, l.gramjs])).toEqual([
          [40, 'Disconnecting from 149.154.167.51:80/TCPFull...', true],
          [50, 'Error while receiving items from the network', true],
        ]);
        resolve();
      });
    });
  });

  it('a session that is not logged in fails clearly', async () => {
    tg.authorized = false;
    const source = makeSource();
    await expect(source.readLatest('gov_kaluga', 5)).rejects.toThrow(/not logged in; run the login command/);
    await source.close();
  });
});
