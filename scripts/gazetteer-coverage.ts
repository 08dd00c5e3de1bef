/**
 * How well the gazetteer covers the labelled corpus, and what it costs.
 *
 *   npm run coverage:gazetteer [-- --corpus ../shared/corpus] [--misses]
 *
 * Coverage: every place spelling in the gold files (each incident's `places`, every accepted
 * spelling) is looked up with resolve(), in the context the extractor has — the post's channel
 * region and the regions the post names — and counts when the best candidate lies in the
 * incident's region (for incidents with region null: when it resolves at all; seas must resolve to
 * a region-null water). A second figure scans the post text: a gold place counts when some mention's
 * best candidate carries one of its spellings and lies in the right region.
 *
 * Cost: data file size, time to import and index the data, heap after loading, one million
 * resolve() calls over mixed forms, and scanText() throughput on the corpus posts.
 */
import { readFileSync, readdirSync, statSync, existsSync, mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir, loadavg, cpus } from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const corpusDir = args.includes('--corpus') ? (args[args.indexOf('--corpus') + 1] as string) : join(root, '..', 'shared', 'corpus');
const showMisses = args.includes('--misses');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1e6;
}

// ------------------------------------------------------------------ load cost, as the built service pays it
/**
 * Transpiles the gazetteer to plain JavaScript in a temporary directory (as `npm run build` would)
 * and loads it in fresh node processes: import time, index time, heap growth. Median of three.
 */
function measureCompiledLoad(): { importMs: number; indexMs: number; heapMb: number } {
  const dir = mkdtempSync(join(tmpdir(), 'gazetteer-load-'));
  try {
    const srcDir = join(root, 'src/extract/gazetteer');
    for (const file of ['index.ts', 'normalize.ts', 'inflect.ts', 'data/gazetteer-data.ts']) {
      const out = ts.transpileModule(readFileSync(join(srcDir, file), 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
      const target = join(dir, file.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, out.outputText);
    }
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const probe = join(dir, 'probe.js');
    writeFileSync(
      probe,
      `gc(); gc(); const h0 = process.memoryUsage().heapUsed; const t0 = performance.now();
const gz = await import('./index.js'); const t1 = performance.now(); gz.resolve('Киров'); gz.scanText('Над Курском'); const t2 = performance.now();
gc(); gc(); console.log(JSON.stringify({ importMs: t1 - t0, indexMs: t2 - t1, heapMb: (process.memoryUsage().heapUsed - h0) / 1e6 }));`,
    );
    const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(process.execPath, ['--expose-gc', probe], { encoding: 'utf8' })) as { importMs: number; indexMs: number; heapMb: number });
    const median = (k: 'importMs' | 'indexMs' | 'heapMb') => (runs.map((r) => r[k]).sort((a, b) => a - b)[1] as number);
    return { importMs: median('importMs'), indexMs: median('indexMs'), heapMb: median('heapMb') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const compiled = measureCompiledLoad();

// ------------------------------------------------------------------ load cost in this (tsx) process
const heapBefore = heapMb();
const t0 = performance.now();
const gz = await import('../src/extract/gazetteer/index.js');
const tImport = performance.now() - t0;
const t1 = performance.now();
gz.resolve('Киров');
const tIndex = performance.now() - t1;
const heapAfter = heapMb();
const dataFile = join(root, 'src/extract/gazetteer/data/gazetteer-data.ts');
const dataBytes = statSync(dataFile).size;

// ------------------------------------------------------------------ corpus
interface GoldIncident { region: string | string[] | null; places: string[][] }
interface GoldLine { id: string; incidents: GoldIncident[] }
interface PostLine { id: string; text: string; lang?: 'ru' | 'uk' | 'en'; channelRegion?: string }

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);
}

function norm(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/ё/g, 'е').replace(/[’'`"«»“”.,()]/g, '').replace(/[-‐‑‒–—_/]+/g, ' ').replace(/\s+/g, ' ').trim();
}

const posts = new Map<string, PostLine>();
const golds: GoldLine[] = [];
for (const dir of readdirSync(corpusDir)) {
  const g = join(corpusDir, dir, 'gold.jsonl');
  const p = join(corpusDir, dir, 'posts.jsonl');
  if (!existsSync(g) || !existsSync(p)) continue;
  for (const post of readJsonl<PostLine>(p)) posts.set(post.id, post);
  golds.push(...readJsonl<GoldLine>(g));
}

let spellings = 0;
let spellingHits = 0;
let placesTotal = 0;
let placeAnyHits = 0;
let scanHits = 0;
const misses: string[] = [];
const scanMisses: string[] = [];

for (const gold of golds) {
  const post = posts.get(gold.id);
  if (!post) continue;
  const mentions = gz.scanText(post.text, { lang: post.lang, channelRegion: post.channelRegion });
  const textRegions = mentions.filter((m) => m.kind === 'region').map((m) => (m.kind === 'region' ? m.region.code : ''));
  const ctx = { lang: post.lang, channelRegion: post.channelRegion, regions: textRegions };
  for (const inc of gold.incidents) {
    const accepted = inc.region === null ? null : Array.isArray(inc.region) ? inc.region : [inc.region];
    const inRegion = (region: string | null, kind: string) => (accepted === null ? kind !== 'water' || region === null : region !== null && accepted.includes(region));
    for (const spellingsOfPlace of inc.places) {
      placesTotal++;
      let any = false;
      for (const s of spellingsOfPlace) {
        spellings++;
        const best = gz.resolve(s, ctx)[0];
        // a region named as a place ("Республика Крым" among launch areas) counts when findRegion knows it
        const region = best ? undefined : gz.findRegion(s);
        if ((best && inRegion(best.place.region, best.place.kind)) || (region && (accepted === null || accepted.includes(region.code)))) {
          spellingHits++;
          any = true;
        } else misses.push(`${gold.id} ${JSON.stringify(inc.region)} "${s}" → ${best ? `${best.place.name} ${best.place.region}` : 'nothing'}`);
      }
      if (any) placeAnyHits++;
      const wanted = new Set(spellingsOfPlace.map(norm));
      const found = mentions.some((m) => {
        if (m.kind === 'region') return accepted === null && [m.region.name, m.region.nameRu, m.region.nameUk, m.surface].map(norm).some((n) => wanted.has(n));
        const top = m.candidates[0];
        if (!top || !inRegion(top.place.region, top.place.kind)) return false;
        const names = [top.place.name, top.place.nameRu, top.place.nameUk, m.surface].filter((x): x is string => !!x).map(norm);
        return names.some((n) => wanted.has(n));
      });
      if (found) scanHits++;
      else scanMisses.push(`${gold.id} ${JSON.stringify(inc.region)} [${spellingsOfPlace[0]}]`);
    }
  }
}

// ------------------------------------------------------------------ speed
// Timings are wall clock on a shared machine: the best of several batches is reported beside the
// total, as the figure least disturbed by other processes.
const forms = ['Малоярославца', 'Кингисеппский район', 'Kirov', 'Киришах', 'Харкові', 'Сумах', 'Запоріжжі', 'Каменске-Шахтинском', 'Донецк', 'Брянськ',
  'Обнинске', 'Шебекинском округе', 'Kharkiv', 'Нікополі', 'Орла', 'Белгородом', 'Вознесенівському районі', 'Черного моря', 'Курська', 'unknownplace'];
const ctxs = [undefined, { channelRegion: 'RU-KLU' }, { regions: ['RU-ROS'] }];
let sink = 0;
const BATCH = 50_000;
let bestBatch = Infinity;
const tResolve0 = performance.now();
for (let b = 0; b < 1_000_000 / BATCH; b++) {
  const tb = performance.now();
  for (let i = 0; i < BATCH; i++) sink += gz.resolve(forms[(b * BATCH + i) % forms.length] as string, ctxs[i % 3]).length;
  bestBatch = Math.min(bestBatch, performance.now() - tb);
}
const tResolve = performance.now() - tResolve0;

const texts = [...posts.values()].map((p) => p.text);
const totalChars = texts.reduce((n, t) => n + t.length, 0);
const rounds = 20;
let bestRound = Infinity;
const tScan0 = performance.now();
for (let r = 0; r < rounds; r++) {
  const tr = performance.now();
  for (const t of texts) sink += gz.scanText(t).length;
  bestRound = Math.min(bestRound, performance.now() - tr);
}
const tScan = performance.now() - tScan0;
const perPost = (tScan / (rounds * texts.length)) * 1000;
const per500 = (tScan / ((rounds * totalChars) / 500)) * 1000;
const bestPer500 = (bestRound / (totalChars / 500)) * 1000;

const pct = (a: number, b: number) => `${((100 * a) / Math.max(b, 1)).toFixed(1)} %`;
console.log(`gazetteer coverage on ${golds.length} gold posts in ${corpusDir}`);
console.log(`  spellings resolved in the right region: ${spellingHits}/${spellings} = ${pct(spellingHits, spellings)}`);
console.log(`  places with at least one spelling resolved: ${placeAnyHits}/${placesTotal} = ${pct(placeAnyHits, placesTotal)}`);
console.log(`  places found by scanText in the post, right region: ${scanHits}/${placesTotal} = ${pct(scanHits, placesTotal)}`);
console.log(`data: ${(dataBytes / 1e6).toFixed(2)} MB (${dataFile.replace(root + '/', '')})`);
console.log(`load (compiled JS, fresh node, median of 3): import ${compiled.importMs.toFixed(0)} ms + index ${compiled.indexMs.toFixed(0)} ms = ${(compiled.importMs + compiled.indexMs).toFixed(0)} ms; heap +${compiled.heapMb.toFixed(1)} MB`);
console.log(`load (this tsx process): import ${tImport.toFixed(0)} ms + index ${tIndex.toFixed(0)} ms; heap +${(heapAfter - heapBefore).toFixed(1)} MB (total ${heapAfter.toFixed(1)} MB)`);
console.log(`resolve: 1,000,000 calls in ${tResolve.toFixed(0)} ms (${((tResolve / 1e6) * 1e3).toFixed(2)} µs each); best batch rate ${((bestBatch / BATCH) * 1e6).toFixed(0)} ms per million`);
console.log(`scanText: ${perPost.toFixed(1)} µs per corpus post (${(totalChars / texts.length).toFixed(0)} chars avg), ${per500.toFixed(1)} µs per 500 chars; best round ${bestPer500.toFixed(1)} µs per 500 chars`);
console.log(`load average now: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
if (showMisses) {
  console.log(`\nspellings missed (${misses.length}):\n  ${misses.join('\n  ')}`);
  console.log(`\nplaces not found by scanText (${scanMisses.length}):\n  ${scanMisses.join('\n  ')}`);
}
if (sink < 0) console.log(sink);
