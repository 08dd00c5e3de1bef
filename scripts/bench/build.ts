/**
 * The bench's worker processes run compiled JavaScript with plain node, as the Dockerfile runs the
 * service (`node dist/workers/…`): tsx's loader thread alone adds ~100 MB of RSS and start-up time
 * that no deployment pays. The compile is tsc on scripts/bench/tsconfig.json (src, workers and the
 * bench's two entry points) without type checking (typecheck is its own step), into
 * node_modules/.cache/dronewire-bench; it is skipped when nothing changed since the last one.
 *
 * BENCH_RUNTIME=tsx runs the children from TypeScript through tsx instead (no compile).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_DIR, progress, ROOT, useTsx } from './env.js';

const STAMP = join(BUILD_DIR, '.built-at');
const SOURCES = [
  'src', 'workers', 'scripts/bench/bare-worker.ts', 'scripts/bench/extraction-child.ts',
  'scripts/bench-extraction.ts', 'tests/extract', 'scripts/bench/tsconfig.json', 'tsconfig.build.json', 'tsconfig.json',
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Compiles what the children run, unless the last compile is newer than every source. */
export function buildChildren(): void {
  if (useTsx()) return;
  const newest = Math.max(...SOURCES.map((s) => newestMtime(join(ROOT, s))));
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= newest) return;
  progress('compiling the worker processes (tsc, as `npm run build` does) …');
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'scripts/bench/tsconfig.json', '--noCheck'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc failed (${r.status}):\n${(r.stdout + r.stderr).slice(-3_000)}`);
  writeFileSync(STAMP, new Date().toISOString());
}
