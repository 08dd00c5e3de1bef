/**
 * Reads a V8 CPU profile (node --cpu-prof; `BENCH_CPU_PROF=<dir> npm run bench` writes one per
 * child process) and prints where the time went: self time per function and per source file.
 *
 *   npx tsx scripts/bench/profile-summary.ts <file.cpuprofile> [top=25] [function]
 *
 * With a function name, also: who calls it (self time of that function by the nearest caller in
 * src/ or in a package), e.g. `writev` to see which socket writes cost.
 *
 * Always: time by component, each sample charged to the nearest frame of a known component (so a
 * socket write counts for the client library that made it): the extractor, the store, the alerts,
 * pg, ioredis, bullmq, module loading (start-up), garbage collection.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const src = url.search(/\/(src|scripts|workers)\//);
  return src >= 0 ? url.slice(src + 1) : url || '(native)';
}

function table(title: string, totals: Map<string, number>, all: number, top: number): string {
  const rows = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = rows.map(([k, us]) => `${((us / all) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  return `${title}\n${lines.join('\n')}`;
}

const [file, topArg, callee] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: npx tsx scripts/bench/profile-summary.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
let all = 0;
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = shortUrl(url);
  const fn = `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  byFile.set(where, (byFile.get(where) ?? 0) + us);
  all += us;
}
const idle = [...byFunction.entries()].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0);
process.stdout.write(`${file}: ${(all / 1e6).toFixed(2)} s sampled, ${(idle / 1e6).toFixed(2)} s idle\n\n`);
process.stdout.write(`${table('self time by function', byFunction, all, top)}\n\n${table('self time by file', byFile, all, top)}\n`);

const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const COMPONENTS: Array<[string, RegExp]> = [
  ['extractor (src/extract)', /\/src\/extract\//],
  ['store (src/store)', /\/src\/store\//],
  ['alerts (src/alerts)', /\/src\/alerts\//],
  ['sources (src/sources)', /\/src\/sources\//],
  ['pg', /node_modules\/pg(-[a-z]+)?\//],
  ['bullmq', /node_modules\/bullmq\//],
  ['ioredis', /node_modules\/ioredis\//],
  ['pino', /node_modules\/(pino|sonic-boom)/],
  ['extract worker (src/queue)', /\/src\/queue\//],
  ['module loading (start-up)', /node:internal\/modules\/|tsx\/dist|cjs-module-lexer/],
];

function componentOf(id: number, functionName: string): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return '(idle)';
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
    const url = byId.get(n)?.callFrame.url ?? '';
    for (const [name, re] of COMPONENTS) if (re.test(url)) return name;
  }
  return 'other';
}

const byComponent = new Map<string, number>();
for (const [id, us] of selfUs) {
  const key = componentOf(id, byId.get(id)?.callFrame.functionName ?? '');
  byComponent.set(key, (byComponent.get(key) ?? 0) + us);
}
process.stdout.write(`\n${table('time by component (nearest known frame)', byComponent, all, top)}\n`);

if (callee) {
  /** The chain of callers, nearest first, as "function file:line" (internal node frames skipped). */
  const chain = (id: number): string => {
    const frames: string[] = [];
    for (let p = parent.get(id); p !== undefined && frames.length < 4; p = parent.get(p)) {
      const f = byId.get(p)?.callFrame;
      if (!f || !f.url || f.url.startsWith('node:')) continue;
      frames.push(`${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`);
    }
    return frames.join(' < ') || '(no user frame)';
  };
  const byCaller = new Map<string, number>();
  let calleeTotal = 0;
  for (const [id, us] of selfUs) {
    if (byId.get(id)?.callFrame.functionName !== callee) continue;
    const key = chain(id);
    byCaller.set(key, (byCaller.get(key) ?? 0) + us);
    calleeTotal += us;
  }
  process.stdout.write(`\n${table(`callers of ${callee}`, byCaller, calleeTotal || 1, top)}\n`);
}
