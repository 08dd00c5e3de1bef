/**
 * Child processes for fault tests: a TypeScript entry point run by node itself (`node --import tsx`,
 * no npx wrapper, so the pid is the process that a signal must reach), its stdout and stderr kept
 * whole, stderr's pino lines parsed, its memory read from /proc, and SIGKILL/SIGTERM for real.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() at exit. */
  at: number;
}

export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

export interface ChildHandle {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  hasExited(): boolean;
  stdout(): string;
  stderr(): string;
  /** stderr lines that are JSON (pino), parsed, in order. */
  logs(): LogLine[];
  /** Resolves with the first log line (already written or still to come) that matches. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number, what?: string): Promise<LogLine>;
  signal(signal: NodeJS.Signals): void;
  /** Sends the signal and waits for the exit; SIGKILL when it has not exited within timeoutMs. */
  terminate(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitInfo>;
  /** Resident memory now and at its peak (VmRSS, VmHWM), in bytes; undefined once exited. */
  memory(): { rss: number; peak: number } | undefined;
}

export interface SpawnOptions {
  /** A name for messages. */
  name: string;
  /** The entry point, relative to the project root (e.g. `src/cli/main.ts`). */
  script: string;
  args?: string[];
  /** The child's whole environment besides PATH/HOME/LANG: nothing else is inherited. */
  env: Record<string, string | undefined>;
  /** Echo the child's output to this process's stderr (debugging). */
  echo?: boolean;
}

const running = new Set<ChildHandle>();

function readProcStatus(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Starts a TypeScript entry point as a child process. */
export function spawnTs(options: SpawnOptions): ChildHandle {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'TZ']) if (process.env[key]) env[key] = process.env[key]!;
  for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', options.script, ...(options.args ?? [])], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${options.name}`);
  let out = '';
  let err = '';
  let partial = '';
  const lines: LogLine[] = [];
  const waiters: Array<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  let exitInfo: ExitInfo | undefined;

  child.stdout!.on('data', (c: Buffer) => {
    const s = c.toString('utf8');
    out += s;
    if (options.echo) process.stderr.write(`[${options.name} out] ${s}`);
  });
  child.stderr!.on('data', (c: Buffer) => {
    const s = c.toString('utf8');
    err += s;
    if (options.echo) process.stderr.write(`[${options.name}] ${s}`);
    partial += s;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const raw of parts) {
      if (!raw.startsWith('{')) continue;
      let line: LogLine;
      try {
        line = JSON.parse(raw) as LogLine;
      } catch {
        continue;
      }
      lines.push(line);
      for (const w of waiters.filter((w) => w.match(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });

  const exited = new Promise<ExitInfo>((resolveExit) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal, at: Date.now() };
      running.delete(handle);
      resolveExit(exitInfo);
    });
  });

  const handle: ChildHandle = {
    name: options.name,
    pid: child.pid,
    child,
    exited,
    hasExited: () => exitInfo !== undefined,
    stdout: () => out,
    stderr: () => err,
    logs: () => lines,
    waitForLog(match, timeoutMs = 30_000, what = 'a log line') {
      const found = lines.find(match);
      if (found) return Promise.resolve(found);
      return new Promise<LogLine>((resolveLine, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`${options.name}: no ${what} within ${timeoutMs} ms${exitInfo ? ` (exited ${JSON.stringify(exitInfo)})` : ''}\n${err.slice(-3000)}`));
        }, timeoutMs);
        const waiter = {
          match,
          resolve: (l: LogLine) => {
            clearTimeout(timer);
            resolveLine(l);
          },
        };
        waiters.push(waiter);
        void exited.then(() => {
          if (!waiters.includes(waiter)) return;
          waiters.splice(waiters.indexOf(waiter), 1);
          clearTimeout(timer);
          reject(new Error(`${options.name} exited (${JSON.stringify(exitInfo)}) before ${what}\n${err.slice(-3000)}`));
        });
      });
    },
    signal(sig) {
      if (!exitInfo) child.kill(sig);
    },
    async terminate(sig = 'SIGTERM', timeoutMs = 30_000) {
      if (exitInfo) return exitInfo;
      child.kill(sig);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const info = await exited;
      clearTimeout(timer);
      return info;
    },
    memory: () => (exitInfo ? undefined : readProcStatus(child.pid!)),
  };
  running.add(handle);
  return handle;
}

/** SIGKILLs every child still running (afterAll / afterEach safety net). */
export async function killAllChildren(): Promise<void> {
  const all = [...running];
  for (const h of all) h.signal('SIGKILL');
  await Promise.all(all.map((h) => h.exited));
}

/** Every byte a child wrote, both streams. */
export function allOutput(children: ChildHandle[]): string {
  return children.map((c) => `${c.stdout()}\n${c.stderr()}`).join('\n');
}
