/**
 * A TCP proxy in front of PostgreSQL that a test can cut: every open connection is torn down and new
 * ones are refused (ECONNREFUSED) or swallowed (accepted, never answered: a network black hole) until
 * the test restores it. Processes under test get `url` instead of the real server's address.
 */
import { createServer, Socket, type Server } from 'node:net';
import { freePort } from './redis-server.js';

export type CutMode = 'refuse' | 'blackhole';

export interface PgProxy {
  readonly port: number;
  /** The upstream URL with host and port replaced by the proxy's. */
  readonly url: string;
  /** Connections currently forwarded. */
  openConnections(): number;
  /** Connections accepted since start (forwarded or swallowed). */
  acceptedConnections(): number;
  isCut(): boolean;
  /** Tears down every forwarded connection; new ones are refused or black-holed until restore(). */
  cut(mode?: CutMode): Promise<void>;
  restore(): Promise<void>;
  /** cut(), wait ms, restore(). */
  outage(ms: number, mode?: CutMode): Promise<void>;
  close(): Promise<void>;
}

export interface PgProxyOptions {
  /** The real server, default postgres://postgres@127.0.0.1:5432/test. */
  upstreamUrl?: string;
  port?: number;
}

export async function startPgProxy(options: PgProxyOptions = {}): Promise<PgProxy> {
  const upstream = new URL(options.upstreamUrl ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const upstreamHost = upstream.hostname || '127.0.0.1';
  const upstreamPort = Number(upstream.port || 5432);
  const port = options.port ?? (await freePort());
  const pairs = new Set<{ client: Socket; server: Socket }>();
  const swallowed = new Set<Socket>();
  let accepted = 0;
  let mode: CutMode | null = null;
  let server: Server | null = null;

  function onConnection(client: Socket): void {
    accepted++;
    if (mode === 'blackhole') {
      // Accept and never answer: the client's own connect/query timeouts have to fire.
      swallowed.add(client);
      client.on('error', () => undefined);
      client.once('close', () => swallowed.delete(client));
      return;
    }
    const upstreamSocket = new Socket();
    const pair = { client, server: upstreamSocket };
    pairs.add(pair);
    const teardown = () => {
      pairs.delete(pair);
      client.destroy();
      upstreamSocket.destroy();
    };
    client.on('error', teardown);
    upstreamSocket.on('error', teardown);
    client.once('close', teardown);
    upstreamSocket.once('close', teardown);
    upstreamSocket.connect(upstreamPort, upstreamHost, () => {
      client.pipe(upstreamSocket);
      upstreamSocket.pipe(client);
    });
  }

  async function listen(): Promise<void> {
    const s = createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    server = s;
  }

  async function stopListening(): Promise<void> {
    const s = server;
    server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  function dropAll(): void {
    for (const p of [...pairs]) {
      // A reset, as when the network goes away under an open connection.
      p.client.resetAndDestroy();
      p.server.destroy();
    }
    pairs.clear();
    for (const s of [...swallowed]) s.resetAndDestroy();
    swallowed.clear();
  }

  await listen();
  const url = new URL(upstream.toString());
  url.hostname = '127.0.0.1';
  url.port = String(port);

  const proxy: PgProxy = {
    port,
    url: url.toString(),
    openConnections: () => pairs.size,
    acceptedConnections: () => accepted,
    isCut: () => mode !== null,
    async cut(cutMode: CutMode = 'refuse') {
      mode = cutMode;
      // Refuse: nobody listens on the port any more. Black hole: keep listening, answer nothing.
      const closing = cutMode === 'refuse' ? stopListening() : Promise.resolve();
      // server.close() waits for open connections: drop them before awaiting it.
      dropAll();
      await closing;
    },
    async restore() {
      if (mode === null) return;
      const was = mode;
      mode = null;
      for (const s of [...swallowed]) s.destroy();
      swallowed.clear();
      if (was === 'refuse') await listen();
    },
    async outage(ms, cutMode = 'refuse') {
      await proxy.cut(cutMode);
      await new Promise((r) => setTimeout(r, ms));
      await proxy.restore();
    },
    async close() {
      mode = null;
      const closing = stopListening();
      dropAll();
      await closing;
    },
  };
  return proxy;
}
