/**
 * A real HTTP receiver for webhook tests. It verifies every request the way the Standard Webhooks
 * spec tells receivers to (src/alerts/signing.ts `verify`: headers present, timestamp within the
 * tolerance, a `v1,` signature equal in constant time over `id.timestamp.rawBody`), answers 400 to
 * anything that fails, and otherwise answers from a script of status codes (then 200 for ever).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '../../src/alerts/signing.js';

export interface ReceivedRequest {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  verified: boolean;
  verifyError?: string;
  /** The status this receiver answered. */
  status: number;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Bodies of requests answered 2xx, parsed, in arrival order. */
  delivered(): Array<{ id: string; body: { type: string; timestamp: string; data: { id: string } & Record<string, unknown> } }>;
  /** Resolves once `n` requests have been answered 2xx (or rejects after timeoutMs). */
  waitForDelivered(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebhookReceiver(options: {
  secret: string;
  /** Status codes to answer, in order, to verified requests; after the script runs out: 200. */
  script?: number[];
  /** Per request, in order: answer after this many ms (to test timeouts); then at once. */
  delays?: number[];
}): Promise<WebhookReceiver> {
  const script = [...(options.script ?? [])];
  const delays = [...(options.delays ?? [])];
  const requests: ReceivedRequest[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const deliveredCount = () => requests.filter((r) => r.status >= 200 && r.status < 300).length;

  const server: Server = createServer(async (req, res) => {
    const rawBody = await readBody(req);
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const entry: ReceivedRequest = {
      id: header('webhook-id'),
      timestamp: header('webhook-timestamp'),
      signature: header('webhook-signature'),
      rawBody,
      verified: false,
      status: 0,
      at: Date.now(),
    };
    try {
      verify(options.secret, req.headers, rawBody);
      entry.verified = true;
      entry.status = script.length > 0 ? (script.shift() as number) : 200;
    } catch (err) {
      entry.verifyError = (err as Error).message;
      entry.status = 400;
    }
    requests.push(entry);
    const delay = delays.shift();
    if (delay) await new Promise((r) => setTimeout(r, delay));
    res.writeHead(entry.status, { 'content-type': 'text/plain' }).end(entry.verified ? 'ok' : 'bad signature');
    const count = deliveredCount();
    for (const w of waiters.filter((w) => count >= w.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    delivered() {
      return requests
        .filter((r) => r.status >= 200 && r.status < 300)
        .map((r) => ({ id: r.id as string, body: JSON.parse(r.rawBody) }));
    },
    waitForDelivered(n, timeoutMs = 15_000) {
      if (deliveredCount() >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${deliveredCount()} of ${n} deliveries within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
