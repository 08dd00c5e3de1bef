/**
 * A private redis-server for fault tests: a child process on a free port with its own --dir and
 * AOF on, so that a test can stop it for real (SIGTERM, or SIGKILL) and start it again on the same
 * port and data directory. Never touches the shared Redis on 6379.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateRedis {
  readonly port: number;
  readonly dir: string;
  readonly url: string;
  /** The server's pid while it runs. */
  pid(): number | undefined;
  running(): boolean;
  /** Stops the server: SIGTERM (it flushes the AOF and exits) or SIGKILL (no flush). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again with the same port, --dir and AOF. */
  start(): Promise<void>;
  restart(downMs?: number): Promise<void>;
  /** Stops it and removes its data directory. */
  destroy(): Promise<void>;
  /** What the server wrote (for a failing test's message). */
  output(): string;
}

/** A TCP port nobody listens on right now (the kernel's choice). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once something accepts TCP connections on the port and answers PING with PONG. */
async function waitForPong(port: number, timeoutMs: number, exited: () => boolean): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (exited()) throw new Error(`redis-server on port ${port} exited during start-up`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      let reply = '';
      const done = (v: boolean) => {
        socket.destroy();
        resolve(v);
      };
      socket.setTimeout(500, () => done(false));
      socket.once('error', () => done(false));
      socket.on('data', (chunk) => {
        reply += chunk.toString('utf8');
        if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
      });
      socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startPrivateRedis(options: { port?: number; dir?: string } = {}): Promise<PrivateRedis> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'dw-redis-'));
  let child: ChildProcess | undefined;
  let exited = true;
  let log = '';

  // The settings the README asks of production Redis: AOF on, no eviction.
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--appendonly', 'yes',
    '--appendfsync', 'everysec',
    '--save', '',
    '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no',
    '--protected-mode', 'no',
    '--loglevel', 'warning',
  ];

  async function start(): Promise<void> {
    if (child && !exited) throw new Error('redis-server already running');
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    exited = false;
    proc.stdout?.on('data', (c: Buffer) => (log += c.toString('utf8')));
    proc.stderr?.on('data', (c: Buffer) => (log += c.toString('utf8')));
    proc.once('exit', () => {
      if (child === proc) exited = true;
    });
    await waitForPong(port, 10_000, () => exited && child === proc);
  }

  async function stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const proc = child;
    if (!proc || exited) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
    exited = true;
  }

  await start();
  return {
    port,
    dir,
    url: `redis://127.0.0.1:${port}`,
    pid: () => (exited ? undefined : child?.pid),
    running: () => !exited,
    stop,
    start,
    async restart(downMs = 0) {
      await stop('SIGTERM');
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async destroy() {
      await stop('SIGKILL');
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
    output: () => log,
  };
}
