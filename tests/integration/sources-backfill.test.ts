/**
 * Backfill against the fake t.me: down to a date or an id, resumable after an interruption (the
 * CLI command, run as a process), rate limits waited out, nothing archived or queued twice.
 */
import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runBackfill } from '../../src/sources/backfill.js';
import { createListener } from '../../src/sources/listener.js';
import { createWebSource } from '../../src/sources/web.js';
import { getBackfillProgress } from '../../src/store/channels.js';
import { FakeTme, type FakePost } from '../helpers/fake-tme.js';
import { archived, createSourcesEnv, type SourcesEnv } from '../helpers/sources-env.js';

const T0 = Date.UTC(2026, 0, 1);
const day = (n: number) => new Date(T0 + n * 86_400_000).toISOString();
const posts = (from: number, to: number): FakePost[] => Array.from({ length: to - from + 1 }, (_, i) => ({ id: from + i, date: day(from + i), text: `Сводка за день ${from + i}` }));

let fake: FakeTme;
let env: SourcesEnv;

beforeAll(async () => {
  fake = new FakeTme();
  await fake.start();
});
afterAll(async () => fake.stop());
beforeEach(async () => {
  fake.channels.clear();
  fake.requests.length = 0;
  fake.addChannel('gov_hist', posts(1, 120));
  env = await createSourcesEnv();
});
afterEach(async () => env.cleanup());

const source = () => createWebSource({ baseUrl: fake.url, logger: env.logger, minGapMs: 0, jitterMs: 0, backoffBaseMs: 10 });
const entry = { username: 'gov_hist', homeRegion: 'RU-ORL' };

describe('backfill', () => {
  it('reads back from the oldest archived post to a date, queues every post once, and is done', async () => {
    const listener = createListener({ config: env.config(), logger: env.logger, store: env.store, queues: env.queues, channels: [entry], source: source() });
    await listener.pollNow('gov_hist');
    await listener.stop();
    expect((await archived(env.store, 'gov_hist')).map((p) => Number(p.message_id))[0]).toBe(101);

    fake.requests.length = 0;
    const pages: number[] = [];
    const ctx = { db: env.store.db, source: source(), postsQueue: env.queues.posts, logger: env.logger };
    const result = await runBackfill(ctx, { channel: entry, since: new Date(day(30)), batch: 20, onPage: (p) => pages.push(p.posts) });
    expect(result).toMatchObject({ done: true, posts: 71, oldestId: 21 });
    const ids = (await archived(env.store, 'gov_hist')).map((p) => Number(p.message_id));
    expect(ids).toEqual(Array.from({ length: 91 }, (_, i) => 30 + i));
    expect((await archived(env.store, 'gov_hist')).every((p) => p.channel_region === 'RU-ORL')).toBe(true);
    expect(pages).toEqual([20, 40, 60, 71]);
    expect(fake.requests.map((r) => r.before)).toEqual([101, 81, 61, 41]);
    const jobs = await env.postJobs();
    expect(jobs.length).toBe(91);

    // Done: the same backfill again asks nothing.
    fake.requests.length = 0;
    expect(await runBackfill(ctx, { channel: entry, since: new Date(day(30)) })).toMatchObject({ done: true, posts: 71 });
    expect(fake.requests.length).toBe(0);
    // A deeper target continues from where the archive ends.
    const deeper = await runBackfill(ctx, { channel: entry, fromId: 10, batch: 20 });
    expect(deeper).toMatchObject({ done: true, posts: 20 });
    expect(fake.requests.map((r) => r.before)).toEqual([30]);
    expect((await archived(env.store, 'gov_hist')).map((p) => Number(p.message_id))[0]).toBe(10);
    expect((await env.postJobs()).length).toBe(111);
  });

  it('waits out a 429 and reads the channel from its latest post when nothing is archived', async () => {
    fake.failNext('gov_hist', { kind: 'pass' }, { kind: 'status', status: 429, retryAfter: '1' });
    const slept: number[] = [];
    const ctx = {
      db: env.store.db,
      source: source(),
      postsQueue: env.queues.posts,
      logger: env.logger,
      sleep: async (ms: number) => {
        slept.push(ms);
      },
    };
    const result = await runBackfill(ctx, { channel: entry, fromId: 61, batch: 20 });
    expect(result).toMatchObject({ done: true, posts: 60 });
    expect(slept).toEqual([1_000]);
    expect(fake.requests.map((r) => [r.before ?? null, r.status])).toEqual([
      [null, 200],
      [101, 429],
      [101, 200],
      [81, 200],
    ]);
  });

  it('the CLI resumes after an interruption without archiving or queueing anything twice', async () => {
    const cliEnv = {
      ...process.env,
      TELEGRAM_SOURCE: 'web',
      TELEGRAM_WEB_BASE_URL: fake.url,
      DATABASE_URL: env.config().DATABASE_URL!,
      DATABASE_SCHEMA: env.schema,
      QUEUE_PREFIX: env.prefix,
      CHANNELS: 'gov_hist',
    };
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn('npm', ['run', '--silent', 'cli', '--', 'backfill', ...args], { env: cliEnv, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    // Two pages, then the server fails every retry of the third.
    fake.failNext('gov_hist', { kind: 'pass' }, { kind: 'pass' }, ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 500 })));
    const first = await run(['--channel', 'gov_hist', '--from-id', '41', '--batch', '20']);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/progress is saved; run the same command again to resume/);
    const saved = await getBackfillProgress(env.store.db, 'gov_hist');
    expect(saved).toMatchObject({ done: false, posts: 40, nextBefore: 81 });
    expect((await archived(env.store, 'gov_hist')).length).toBe(40);

    const second = await run(['--channel', 'gov_hist', '--from-id', '41', '--batch', '20']);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/backfill gov_hist: complete; 80 posts archived and queued over 4 pages, back to message 41/);
    const ids = (await archived(env.store, 'gov_hist')).map((p) => Number(p.message_id));
    expect(ids).toEqual(Array.from({ length: 80 }, (_, i) => 41 + i));
    const jobs = await env.postJobs();
    expect(jobs.length).toBe(80);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(80);
  }, 60_000);
});
