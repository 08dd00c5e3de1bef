/**
 * The HTTP surface under hostile requests, against the real service (startService, HTTP role):
 * request size limits, time limits (slow-loris headers, slow responses), the admin token compared
 * in constant time (crypto.timingSafeEqual on every check, whatever the length of the guess), and
 * errors that never carry a stack trace, a file path or a database message.
 */
import * as crypto from 'node:crypto';
import { Socket } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requestLimits } from '../../src/http/hardening.js';
import { createAlertsEnv, startTestService, type AlertsEnv } from '../helpers/alerts-env.js';

// Wrap timingSafeEqual so the test sees every call the admin guard makes.
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof crypto>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const ADMIN_TOKEN = 'surface-admin-token-5d1f0b7c9e2a';
const STACK_LIKE = /\bat \S+ \(|\bat (async )?[\w.<>]+ \(?\/|\.ts:\d+|\.js:\d+:\d+|node_modules|\/src\/|\/work\/|syntax error at or near|relation "|SELECT|select .* from/i;

describe('HTTP surface', () => {
  let env: AlertsEnv;
  let base: string;
  let port: number;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    env = await createAlertsEnv();
    const { service, base: b } = await startTestService(env, ['http'], { ADMIN_TOKEN });
    base = b;
    port = service.httpPort!;
    stop = () => service.stop();
  });
  afterAll(async () => {
    await stop?.();
    await env?.cleanup();
  });

  async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: string; type: string | null }> {
    const res = await fetch(`${base}${path}`, init);
    return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
  }

  describe('size limits', () => {
    it('refuses a body over the limit with 413 before reading it', async () => {
      const big = 'x'.repeat(200 * 1024);
      const r = await call('/admin/replay', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: big });
      expect(r.status).toBe(413);
      expect(r.body).not.toMatch(STACK_LIKE);
      const get = await call('/incidents', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: big });
      expect(get.status).toBe(413);
    });

    it('refuses a chunked JSON body over the route limit (no content-length to check up front)', async () => {
      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode(`{"pad":"${'y'.repeat(1_000)}"}`));
          controller.close();
        },
      });
      const r = await call('/admin/replay', {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: chunks,
        duplex: 'half',
      } as RequestInit);
      expect(r.status).toBe(413);
      expect(r.body).not.toMatch(STACK_LIKE);
    });

    it('refuses oversized headers (431) and survives hundreds of them', async () => {
      const huge = await rawRequest(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
      expect(huge).toMatch(/^HTTP\/1\.1 431/);
      const many = Array.from({ length: 500 }, (_, i) => `X-H${i}: v`).join('\r\n');
      const r = await rawRequest(port, `GET /healthz HTTP/1.1\r\nHost: x\r\n${many}\r\nConnection: close\r\n\r\n`);
      expect(r).toMatch(/^HTTP\/1\.1 200/);
    });
  });

  describe('time limits', () => {
    it('cuts off a client that never finishes its headers (slow loris)', async () => {
      const started = Date.now();
      const closed = await new Promise<{ data: string }>((resolve, reject) => {
        const socket = new Socket();
        let data = '';
        socket.on('data', (c) => (data += c.toString('utf8')));
        socket.once('close', () => resolve({ data }));
        socket.once('error', reject);
        socket.connect(port, '127.0.0.1', () => {
          socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
          // One more header line every 2 s, never the blank line that ends them.
          const drip = setInterval(() => socket.writable && socket.write(`X-Drip: ${Date.now()}\r\n`), 2_000);
          socket.once('close', () => clearInterval(drip));
        });
      });
      const tookMs = Date.now() - started;
      // headersTimeout is 15 s; Node checks it every 30 s at most.
      expect(tookMs).toBeLessThan(50_000);
      expect(closed.data === '' || /^HTTP\/1\.1 408/.test(closed.data)).toBe(true);
      console.info(`[http-surface] slow-loris connection closed after ${tookMs} ms`);
    }, 60_000);

    it('answers 503 when a response overruns its deadline (the limit middleware)', async () => {
      const app = express();
      app.use(requestLimits({ responseTimeoutMs: 200, maxBodyBytes: 1024 }));
      app.get('/slow', (_req, res) => {
        setTimeout(() => {
          if (!res.headersSent) res.json({ late: true });
        }, 1_000);
      });
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const addr = server.address() as { port: number };
      const started = Date.now();
      const res = await fetch(`http://127.0.0.1:${addr.port}/slow`);
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(900);
      expect(await res.text()).not.toMatch(STACK_LIKE);
      server.close();
    });
  });

  describe('admin token', () => {
    const guesses = ['', 'x', 'surface', ADMIN_TOKEN.slice(0, -1), `${ADMIN_TOKEN}x`, ADMIN_TOKEN.toUpperCase(), 'z'.repeat(10_000)];

    it('refuses every wrong token and accepts the right one, as Bearer and as Basic password', async () => {
      for (const g of guesses) {
        const r = await call('/admin/queues/api/queues', { headers: { authorization: `Bearer ${g}` } });
        expect(r.status, `Bearer ${g.slice(0, 20)}`).toBe(401);
        expect(r.body).not.toContain(ADMIN_TOKEN);
      }
      expect((await call('/admin/queues/api/queues')).status).toBe(401);
      expect((await call('/admin/queues/api/queues', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
      const basic = Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64');
      expect((await call('/admin/queues/api/queues', { headers: { authorization: `Basic ${basic}` } })).status).toBe(200);
    });

    it('compares with crypto.timingSafeEqual on equal-length digests, whatever the guess', async () => {
      const spy = vi.mocked(crypto.timingSafeEqual);
      for (const g of [...guesses, ADMIN_TOKEN]) {
        spy.mockClear();
        await call('/admin/queues/api/queues', { headers: { authorization: `Bearer ${g}` } });
        // An empty bearer value is refused before any comparison; every other guess is compared.
        if (g === '') continue;
        expect(spy, `guess of length ${g.length}`).toHaveBeenCalled();
        for (const [a, b] of spy.mock.calls) expect((a as Buffer).length).toBe((b as Buffer).length);
      }
    });
  });

  describe('errors', () => {
    it('never answers with a stack trace, a path or a database message', async () => {
      const cases: Array<[string, RequestInit?]> = [
        ['/no/such/route'],
        ['/incidents?since=not-a-date&region=%%%'],
        ['/incidents?after=garbage-cursor'],
        ['/incidents?limit=-5&minCount=abc'],
        ['/incidents/%E0%A4%A'],
        ['/incidents/stream?types=nonsense'],
        ['/admin/replay', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{"selection": ' }],
        ['/admin/replay', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{"selection": {"fromId": "1; drop table"}}' }],
      ];
      for (const [path, init] of cases) {
        const r = await call(path, init);
        expect(r.status, path).toBeGreaterThanOrEqual(400);
        expect(r.body, path).not.toMatch(STACK_LIKE);
      }
    });

    it('hides an internal failure behind a plain 500', async () => {
      // Break the store under the running service: the route fails inside the database.
      await env.store.db.query('alter table incidents rename column record to record_hidden');
      try {
        const r = await call('/incidents');
        expect(r.status).toBe(500);
        expect(JSON.parse(r.body)).toEqual({ error: 'internal error' });
      } finally {
        await env.store.db.query('alter table incidents rename column record_hidden to record');
      }
    });
  });
});

/** Sends raw bytes, returns what came back before the server closed or 2 s passed. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let data = '';
    const done = () => {
      socket.destroy();
      resolve(data);
    };
    socket.setTimeout(2_000, done);
    socket.on('data', (c) => {
      data += c.toString('utf8');
      if (/\r\n\r\n/.test(data)) setTimeout(done, 50);
    });
    socket.once('error', done);
    socket.once('close', done);
    socket.connect(port, '127.0.0.1', () => socket.write(text));
  });
}
