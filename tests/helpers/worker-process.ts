/** Spawns a child process (a worker) and follows its stdout lines. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** Every stdout line so far. */
  lines: string[];
  /** Resolves when a stdout line matches. */
  waitForLine(match: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/**
 * Runs a TypeScript file of the project in a child process with the given environment. Node runs
 * it with tsx as a loader (not the tsx command, which would put a process in between), so that a
 * signal sent to `child` reaches the worker itself: a SIGKILL kills the worker, not a wrapper.
 */
export function spawnWorker(script: string, env: Record<string, string>, args: string[] = []): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, `file://${ROOT}`)), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<{ match: RegExp; resolve: (l: string) => void }> = [];
  let buffer = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.match.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err = (err + chunk).slice(-20_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    lines,
    exited,
    stderr: () => err,
    waitForLine(match, timeoutMs = 20_000) {
      const seen = lines.find((l) => match.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${match} within ${timeoutMs} ms; stderr: ${err.slice(-2000)}`)), timeoutMs);
        waiters.push({
          match,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`worker exited (${code ?? signal}) before a line matching ${match}; stderr: ${err.slice(-2000)}`));
        });
      });
    },
  };
}
