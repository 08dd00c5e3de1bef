/**
 * No secret leaks: a full service run (the real CLI `start`, as a child process) with a gramjs
 * session, an API hash, a webhook secret, an admin token and a PostgreSQL password (a role created
 * for this test, its password in DATABASE_URL) — exercised through ingest, webhook delivery, error
 * paths (invalid posts, refused admin requests, bad queries, an MTProto listener whose session
 * cannot connect), HTTP /status and /incidents, and the `status` and `incidents` commands. Then
 * every byte it produced is searched for each secret: stdout and stderr of every process, HTTP
 * responses, every Redis key under the run's prefix, failed-post reasons and payloads, stored events.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Db } from '../../src/store/db.js';
import { makeReportPosts, sleep } from '../faults/support/env.js';
import { killAllChildren, spawnTs, type ChildHandle } from '../helpers/processes.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const tag = randomBytes(5).toString('hex');

/** A syntactically valid gramjs StringSession (version 1) for DC 2 at 127.0.0.1:9 with a random auth key. */
function fakeSessionString(): string {
  const address = Buffer.from('127.0.0.1');
  const len = Buffer.alloc(2);
  len.writeInt16BE(address.length, 0);
  const port = Buffer.alloc(2);
  port.writeInt16BE(9, 0);
  return `1${Buffer.concat([Buffer.from([2]), len, address, port, randomBytes(256)]).toString('base64')}`;
}

const SECRETS = {
  session: fakeSessionString(),
  apiHash: randomBytes(16).toString('hex'),
  webhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
  adminToken: `adm_${randomBytes(18).toString('base64url')}`,
  dbPassword: `pw_${randomBytes(12).toString('base64url')}`,
};

/** The forms a secret could take in output: as is, URL-encoded, and (the session) its base64 body. */
function forms(name: string, value: string): string[] {
  const out = new Set([value, encodeURIComponent(value)]);
  if (name === 'session') out.add(value.slice(1, 60));
  if (name === 'webhookSecret') out.add(value.slice('whsec_'.length));
  return [...out];
}

async function dumpRedis(redis: Redis, prefix: string): Promise<string> {
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      parts.push(key);
      if (type === 'string') parts.push((await redis.get(key)) ?? '');
      else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES')));
      else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
  } while (cursor !== '0');
  return parts.join('\n');
}

describe('secrets never leak', () => {
  const role = `dw_secret_${tag}`;
  const schema = `dw_test_${tag}`;
  const prefix = `dws_${tag}`;
  let admin: Db;
  let receiver: WebhookReceiver;
  let dir: string;
  let databaseUrl: string;
  const children: ChildHandle[] = [];

  beforeAll(async () => {
    admin = await openPostgres(ADMIN_URL, 'public', 2);
    await admin.query(`create role ${role} login password '${SECRETS.dbPassword}'`);
    await admin.query(`create schema ${schema} authorization ${role}`);
    const database = new URL(ADMIN_URL).pathname.slice(1) || 'postgres';
    await admin.query(`grant create, connect on database "${database}" to ${role}`);
    const url = new URL(ADMIN_URL);
    url.username = role;
    url.password = SECRETS.dbPassword;
    databaseUrl = url.toString();
    receiver = await startWebhookReceiver({ secret: SECRETS.webhookSecret });
    dir = mkdtempSync(join(tmpdir(), 'dw-secrets-'));
  });

  afterAll(async () => {
    await killAllChildren();
    await receiver?.close();
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    const database = new URL(ADMIN_URL).pathname.slice(1) || 'postgres';
    await admin.query(`revoke all on database "${database}" from ${role}`).catch(() => undefined);
    await admin.query(`drop role if exists ${role}`);
    await admin.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the session, API hash, webhook secret, admin token and database password out of every output', async () => {
    const posts = makeReportPosts(30, 'secret_channel');
    const sourceFile = join(dir, 'posts.jsonl');
    // Two invalid lines: the error path records them as failed posts with a reason.
    writeFileSync(sourceFile, `${posts.map((p) => JSON.stringify(p)).join('\n')}\n{"channel":"secret_channel","messageId":-1}\nnot json at all\n`);
    const sessionFile = join(dir, 'telegram.session');
    writeFileSync(sessionFile, `${SECRETS.session}\n`, { mode: 0o600 });
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      HTTP_PORT: '0',
      DATA_DIR: join(dir, 'data'),
      TELEGRAM_SOURCE: 'file',
      SOURCE_FILE: sourceFile,
      TELEGRAM_API_ID: '123456',
      TELEGRAM_API_HASH: SECRETS.apiHash,
      TELEGRAM_SESSION_FILE: sessionFile,
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: SECRETS.webhookSecret,
      ADMIN_TOKEN: SECRETS.adminToken,
      SHUTDOWN_GRACE_MS: '5000',
    };
    const run = (name: string, args: string[], extra: Record<string, string> = {}) => {
      const child = spawnTs({ name, script: 'src/cli/main.ts', args, env: { ...env, ...extra } });
      children.push(child);
      return child;
    };

    // The service: ingest, extraction, webhook deliveries.
    const service = run('service', ['start']);
    const listening = await service.waitForLog((l) => l.msg === 'HTTP listening', 60_000, 'HTTP listening');
    const base = `http://127.0.0.1:${Number(listening.port)}`;
    await receiver.waitForDelivered(20, 60_000);
    expect(receiver.requests.every((r) => r.verified)).toBe(true);

    // HTTP surface, including the error paths.
    const responses: string[] = [];
    const get = async (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) => {
      const res = await fetch(`${base}${path}`, { ...init, headers });
      const body = await res.text();
      responses.push(`${res.status} ${path} ${JSON.stringify([...res.headers])} ${body}`);
      return res.status;
    };
    expect(await get('/status')).toBe(200);
    expect(await get('/incidents?limit=5')).toBe(200);
    expect(await get('/incidents?region=nonsense&since=yesterday')).toBe(400);
    expect(await get('/admin/queues', { authorization: 'Bearer wrong-token-of-some-length' })).toBe(401);
    expect(await get('/admin/queues/api/queues', { authorization: `Bearer ${SECRETS.adminToken}` })).toBe(200);
    expect(await get('/admin/replay', { authorization: `Bearer ${SECRETS.adminToken}`, 'content-type': 'application/json' }, { method: 'POST', body: '{"selection": {"bogus": 1}}' })).toBe(400);
    expect(await get('/admin/replay', { authorization: `Bearer ${SECRETS.adminToken}`, 'content-type': 'application/json' }, { method: 'POST', body: '{not json' })).toBe(400);

    // Operator commands against the same store and Redis.
    const status = run('status', ['status']);
    const statusJson = run('status-json', ['status', '--json']);
    const incidents = run('incidents', ['incidents', '--json']);
    for (const c of [status, statusJson, incidents]) expect((await c.exited).code, c.stderr()).toBe(0);
    expect(statusJson.stdout()).toContain('"failedPosts"');
    expect(incidents.stdout().split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(20);

    // An MTProto listener with the session and API hash: it cannot reach Telegram (127.0.0.1:9).
    const mtproto = run('mtproto-listener', ['start', '--role', 'listener'], { TELEGRAM_SOURCE: 'mtproto', CHANNELS: 'secret_channel', QUEUE_PREFIX: `${prefix}_mt` });
    await Promise.race([mtproto.exited, sleep(10_000)]);
    await mtproto.terminate('SIGTERM', 5_000);

    const stopped = await service.terminate('SIGTERM', 15_000);
    expect(stopped.code).toBe(0);

    // Everything that left the processes or was stored.
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const redisDump = `${await dumpRedis(redis, prefix)}\n${await dumpRedis(redis, `${prefix}_mt`)}`;
    redis.disconnect();
    const failed = await admin.query<{ reason: string; payload: string }>(`select reason, payload from ${schema}.failed_posts`);
    expect(failed.length).toBeGreaterThanOrEqual(2);
    const events = await admin.query<{ payload: unknown }>(`select payload from ${schema}.events`);
    const webhookBodies = receiver.requests.map((r) => `${r.id} ${r.timestamp} ${r.rawBody}`).join('\n');
    const haystacks: Record<string, string> = {
      ...Object.fromEntries(children.map((c) => [`${c.name} output`, `${c.stdout()}\n${c.stderr()}`])),
      'HTTP responses': responses.join('\n'),
      'Redis keys and values': redisDump,
      'failed posts': JSON.stringify(failed),
      'stored events': JSON.stringify(events),
      'webhook bodies': webhookBodies,
    };
    // The searches look at real output, not at nothing.
    expect(haystacks['service output']).toContain('dronewire started');
    expect(redisDump.length).toBeGreaterThan(1_000);

    const leaks: string[] = [];
    for (const [where, text] of Object.entries(haystacks)) {
      for (const [name, value] of Object.entries(SECRETS)) {
        for (const form of forms(name, value)) if (text.includes(form)) leaks.push(`${name} in ${where}`);
      }
    }
    expect([...new Set(leaks)]).toEqual([]);
    console.info(
      `[secrets] searched ${Object.keys(haystacks).length} outputs (${Math.round(Object.values(haystacks).join('').length / 1024)} kB) ` +
        `from ${children.length} processes for ${Object.keys(SECRETS).length} secrets: none found; mtproto listener ${mtproto.hasExited() ? 'exited' : 'ran'}: ` +
        `${(mtproto.logs().find((l) => (l.level ?? 0) >= 50)?.msg as string | undefined) ?? 'no error line'}`,
    );
  }, 240_000);
});
