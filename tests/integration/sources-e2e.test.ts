/**
 * End to end: the real service process (`npm run --silent cli -- start`, web source) against a
 * local fake of t.me/s, with the real extractor, PostgreSQL and Redis. The latest page of each
 * channel is ingested within one poll interval; a post added later shows in `incidents --json`; a
 * corrected count leaves exactly the corrected record; a restart duplicates nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../../src/domain/incident.js';
import { FakeTme, type FakePost } from '../helpers/fake-tme.js';
import { createSourcesEnv, waitFor, type SourcesEnv } from '../helpers/sources-env.js';

const POLL_INTERVAL_MS = 5_000;
/** Each `incidents --json` is a new npm + node (tsx loader) process: seconds apiece on a loaded machine. */
const CLI_WAIT_MS = 90_000;
const T0 = Date.UTC(2026, 4, 10, 0, 0);
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

function filler(from: number, to: number, text: (id: number) => string): FakePost[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({ id: from + i, date: at(from + i), text: text(from + i) }));
}

let fake: FakeTme;
let env: SourcesEnv;
let service: ChildProcess | undefined;
let serviceLog: Array<Record<string, unknown>> = [];
let serviceEnv: Record<string, string>;

function startService(): Promise<number> {
  serviceLog = [];
  // Its own process group, signalled whole as Ctrl-C or an orchestrator would: npm, sh and node
  // each receive SIGTERM, and npm passes it on once more (the service takes the repeat as one).
  const child = spawn('npm', ['run', '--silent', 'cli', '--', 'start'], { cwd: process.cwd(), env: { ...process.env, ...serviceEnv }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  service = child;
  let buffer = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        serviceLog.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        serviceLog.push({ raw: line });
      }
      if (process.env.TEST_LOG_LEVEL) process.stderr.write(`${line}\n`);
    }
  });
  return waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}: ${JSON.stringify(serviceLog.slice(-5))}`);
    const started = serviceLog.find((l) => l.msg === 'listener started');
    return started ? Date.parse(String(started.time)) || Date.now() : undefined;
  }, 60_000);
}

async function stopService(): Promise<void> {
  const child = service;
  service = undefined;
  if (!child || child.pid === undefined) return;
  // 'close' fires once every process holding the output pipes (npm, tsx, node) is gone.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const outcome = await Promise.race([closed.then(() => 'closed' as const), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
  if (outcome === 'timeout') {
    process.kill(-child.pid, 'SIGKILL');
    throw new Error('service did not stop within 30 s of SIGTERM');
  }
  const tail = JSON.stringify(serviceLog.slice(-8), null, 1);
  expect(serviceLog.some((l) => l.msg === 'listener stopped'), `no 'listener stopped' in the service log; its end:\n${tail}`).toBe(true);
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'cli', '--', ...args], { cwd: process.cwd(), env: { ...process.env, ...serviceEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function incidentsJson(channel: string): Promise<IncidentRecord[]> {
  const r = await cli(['incidents', '--json', '--channel', channel]);
  if (r.code !== 0) throw new Error(`incidents exited ${r.code}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as IncidentRecord);
}

async function counts(): Promise<Record<string, number>> {
  const [row] = await env.store.db.query<Record<string, number>>(
    `select (select count(*)::int from posts) as versions,
            (select count(*)::int from incidents) as incidents,
            (select count(*)::int from incidents where status = 'active') as active,
            (select count(*)::int from events) as events`,
  );
  return row!;
}

beforeAll(async () => {
  fake = new FakeTme();
  await fake.start();
  fake.addChannel('gov_e2e_bel', [
    ...filler(1, 19, (id) => `Оперативная информация №${id}: обстановка спокойная.`),
    { id: 20, date: at(20), text: 'Ночью над Белгородским районом силами ПВО сбиты 5 беспилотников. Пострадавших нет.' },
    ...filler(21, 24, (id) => `График отключений электроэнергии, выпуск ${id}.`),
    { id: 25, date: at(25), text: '⚡️ Над Белгородской областью уничтожены 2 БПЛА самолётного типа.' },
  ]);
  fake.addChannel('gov_e2e_krs', [
    ...filler(40, 46, (id) => `Новости области, выпуск ${id}.`),
    { id: 47, date: at(47), text: 'Над Курской областью сбиты 3 беспилотника.' },
  ]);
  env = await createSourcesEnv();
  const dir = mkdtempSync(join(tmpdir(), 'dw-e2e-'));
  const registry = join(dir, 'registry.json');
  writeFileSync(
    registry,
    JSON.stringify({
      channels: [
        { username: 'gov_e2e_bel', homeRegion: 'RU-BEL', lang: 'ru', kind: 'governor' },
        { username: 'gov_e2e_krs', homeRegion: 'RU-KRS', lang: 'ru', kind: 'governor' },
      ],
    }),
  );
  const config = env.config();
  serviceEnv = {
    TELEGRAM_SOURCE: 'web',
    TELEGRAM_WEB_BASE_URL: fake.url,
    CHANNELS: registry,
    POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
    REREAD_WINDOW: '20',
    DATABASE_URL: config.DATABASE_URL!,
    DATABASE_SCHEMA: env.schema,
    REDIS_URL: config.REDIS_URL,
    QUEUE_PREFIX: env.prefix,
    HTTP_PORT: '0',
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    DATA_DIR: join(dir, 'data'),
    SHUTDOWN_GRACE_MS: '5000',
  };
}, 60_000);

afterAll(async () => {
  const pid = service?.pid;
  await stopService().catch(() => {
    if (pid) process.kill(-pid, 'SIGKILL');
  });
  await env.cleanup();
  await fake.stop();
}, 60_000);

describe('the service against a fake t.me', () => {
  it('ingests, follows additions and corrections, and duplicates nothing across a restart', async () => {
    const listening = await startService();

    // 1. The latest page of each channel is archived, and extracted, within one poll interval.
    await waitFor(async () => {
      const [row] = await env.store.db.query<{ bel: number; krs: number }>(
        "select count(*) filter (where channel = 'gov_e2e_bel')::int as bel, count(*) filter (where channel = 'gov_e2e_krs')::int as krs from posts",
      );
      return row!.bel === 20 && row!.krs === 8;
    }, POLL_INTERVAL_MS);
    const ingestedMs = Date.now() - listening;
    expect(ingestedMs).toBeLessThan(POLL_INTERVAL_MS);
    const bel = await waitFor(async () => {
      const records = await incidentsJson('gov_e2e_bel');
      return records.length >= 2 ? records : undefined;
    }, CLI_WAIT_MS);
    expect(bel.map((r) => [r.post.id, r.count, r.region?.code])).toEqual(
      expect.arrayContaining([
        ['gov_e2e_bel/20', 5, 'RU-BEL'],
        ['gov_e2e_bel/25', 2, 'RU-BEL'],
      ]),
    );
    expect((await incidentsJson('gov_e2e_krs')).map((r) => [r.post.id, r.count, r.region?.code])).toEqual([['gov_e2e_krs/47', 3, 'RU-KRS']]);

    // 2. A post added to the page later appears in `incidents --json`.
    fake.addPost('gov_e2e_bel', { id: 26, date: at(26), text: 'Над Шебекино сбит 1 беспилотник.' });
    const added = await waitFor(async () => (await incidentsJson('gov_e2e_bel')).find((r) => r.post.id === 'gov_e2e_bel/26'), CLI_WAIT_MS);
    expect(added).toMatchObject({ count: 1, outcome: 'destroyed' });

    // 3. A corrected count leaves exactly the corrected record (same id, updated).
    fake.editPost('gov_e2e_bel', 20, 'Ночью над Белгородским районом силами ПВО сбиты 7 беспилотников. Пострадавших нет.');
    await waitFor(async () => {
      const r = (await incidentsJson('gov_e2e_bel')).filter((x) => x.post.id === 'gov_e2e_bel/20');
      return r.length === 1 && r[0]!.count === 7;
    }, CLI_WAIT_MS);
    const rows = await env.store.db.query<{ id: string; status: string; count: number }>("select id, status, count from incidents where post_id = 'gov_e2e_bel/20' order by id");
    expect(rows).toEqual([{ id: 'gov_e2e_bel/20#0', status: 'active', count: 7 }]);
    const events = await env.store.db.query<{ type: string }>("select type from events where record_id = 'gov_e2e_bel/20#0' order by seq");
    expect(events.map((e) => e.type)).toEqual(['incident.created', 'incident.updated']);

    // 4. A restart: the service stops cleanly, comes back, polls again, and adds nothing.
    await waitFor(async () => (await env.queues.posts.getJobCounts('waiting', 'active', 'delayed')).waiting === 0, 10_000);
    const before = await counts();
    await stopService();
    const restartedAt = await startService();
    // Two poll intervals: every channel polled at least once after the restart.
    await new Promise((r) => setTimeout(r, 2 * POLL_INTERVAL_MS));
    const after = fake.requests.filter((r) => r.at >= restartedAt - 1_000 && r.status === 200);
    expect(new Set(after.map((r) => r.channel))).toEqual(new Set(['gov_e2e_bel', 'gov_e2e_krs']));
    expect(await counts()).toEqual(before);
    const ids = (await incidentsJson('gov_e2e_bel')).map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  }, 420_000);
});
