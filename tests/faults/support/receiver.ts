/**
 * The webhook receiver of the fault suite: verifies each request (Standard Webhooks), de-duplicates
 * by webhook-id as a careful consumer would, and keeps what the assertions need: every distinct
 * event per subscriber (path) in the order it was first accepted. It can go down for real (the port
 * stops listening, open connections are reset) and come back on the same port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { verify } from '../../../src/alerts/signing.js';
import { freePort } from '../../helpers/redis-server.js';

export interface AcceptedEvent {
  subscriber: string;
  webhookId: string;
  type: string;
  recordId: string;
  /** Order of first acceptance across the receiver. */
  order: number;
  at: number;
}

export interface FaultReceiver {
  readonly port: number;
  url(subscriber: string): string;
  /** Distinct events accepted (first delivery of each webhook-id per subscriber). */
  accepted(subscriber?: string): AcceptedEvent[];
  /** Requests answered 2xx, duplicates included. */
  deliveries(): number;
  /** Requests that failed verification (must stay 0). */
  rejected(): Array<{ reason: string; path: string }>;
  /** Requests that arrived; connection attempts while down never get here. */
  requests(): number;
  isUp(): boolean;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFaultReceiver(secret: string): Promise<FaultReceiver> {
  const port = await freePort();
  const accepted: AcceptedEvent[] = [];
  const seen = new Set<string>();
  const rejected: Array<{ reason: string; path: string }> = [];
  let deliveries = 0;
  let requests = 0;
  let server: Server | null = null;
  const sockets = new Set<Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++;
    const path = (req.url ?? '/').replace(/^\//, '');
    const raw = await readBody(req);
    let id: string;
    try {
      ({ id } = verify(secret, req.headers, raw));
    } catch (err) {
      rejected.push({ reason: (err as Error).message, path });
      res.writeHead(400).end();
      return;
    }
    const body = JSON.parse(raw) as { type: string; data: { id: string } };
    deliveries++;
    const key = `${path}|${id}`;
    if (!seen.has(key)) {
      seen.add(key);
      accepted.push({ subscriber: path, webhookId: id, type: body.type, recordId: body.data.id, order: accepted.length, at: Date.now() });
    }
    res.writeHead(204).end();
  }

  async function up(): Promise<void> {
    if (server) return;
    const s = createServer((req, res) => {
      handle(req, res).catch(() => res.writeHead(500).end());
    });
    s.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    server = s;
  }

  async function down(): Promise<void> {
    const s = server;
    server = null;
    if (!s) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  }

  await up();
  return {
    port,
    url: (subscriber) => `http://127.0.0.1:${port}/${subscriber}`,
    accepted: (subscriber) => (subscriber ? accepted.filter((e) => e.subscriber === subscriber) : [...accepted]),
    deliveries: () => deliveries,
    rejected: () => [...rejected],
    requests: () => requests,
    isUp: () => server !== null,
    down,
    up,
    close: down,
  };
}
