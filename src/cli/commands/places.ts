import type { Command } from 'commander';
import type { Lang } from '../../domain/post.js';
import { findRegion, regionByCode, resolve, scanText, type Candidate, type Mention, type ResolveContext } from '../../extract/gazetteer/index.js';

interface Options {
  region?: string[];
  channelRegion?: string;
  lang?: string;
  json?: boolean;
  limit?: string;
}

const REGION_CODE = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function contextFrom(opts: Options): ResolveContext {
  const problems: string[] = [];
  const regions = (opts.region ?? []).map((r) => r.toUpperCase());
  for (const r of [...regions, ...(opts.channelRegion ? [opts.channelRegion.toUpperCase()] : [])]) {
    if (!REGION_CODE.test(r) || !regionByCode(r)) problems.push(`unknown region code ${r} (expected ISO 3166-2 such as RU-KLU, UA-63)`);
  }
  if (opts.lang && !['ru', 'uk', 'en'].includes(opts.lang)) problems.push('--lang: expected ru, uk or en');
  if (problems.length) throw new Error(problems.join('; '));
  const ctx: ResolveContext = {};
  if (regions.length) ctx.regions = regions;
  if (opts.channelRegion) ctx.channelRegion = opts.channelRegion.toUpperCase();
  if (opts.lang) ctx.lang = opts.lang as Lang;
  return ctx;
}

function describeCandidate(c: Candidate, rank: number): string {
  const p = c.place;
  const names = [p.nameRu, p.nameUk].filter((n, i, all) => n && all.indexOf(n) === i).join(' / ');
  const where = p.lat !== undefined && p.lon !== undefined ? ` ${p.lat.toFixed(3)},${p.lon.toFixed(3)}` : '';
  return `  ${rank}. ${p.name}${names ? ` (${names})` : ''} — ${p.kind}, ${p.region ?? 'no region'}, ${p.key}${where}\n     score ${c.score}: ${c.why.join('; ')}`;
}

function describeMention(m: Mention, limit: number): string {
  if (m.kind === 'region') return `"${m.surface}" [${m.start}-${m.end}] region ${m.region.code} ${m.region.name} (${m.region.nameRu} / ${m.region.nameUk})`;
  const head = `"${m.surface}" [${m.start}-${m.end}] ${m.kind}${m.cue ? ', cued' : ''}`;
  return [head, ...m.candidates.slice(0, limit).map((c, i) => describeCandidate(c, i + 1))].join('\n');
}

/** `places <text>`: what the gazetteer makes of a form or a whole sentence, with the reasons. */
export function register(cmd: Command): void {
  cmd
    .argument('<text...>', 'a name in any case form ("Малоярославца", "Кингисеппский район", "Kaluga region") or a sentence to scan')
    .option('--region <code>', 'a region the context names (ISO 3166-2, repeatable)', collect)
    .option('--channel-region <code>', "the channel's home region (ISO 3166-2)")
    .option('--lang <lang>', 'language of the text: ru, uk, en')
    .option('--limit <n>', 'candidates to show per mention', '5')
    .option('--json', 'print JSON instead of text')
    .addHelpText('after', '\nExamples:\n  npm run --silent cli -- places Малоярославца\n  npm run --silent cli -- places Киров --region RU-KLU\n  npm run --silent cli -- places "Обломки упали в Кирове и Людиновском районе" --json')
    .action((words: string[], opts: Options) => {
      const text = words.join(' ');
      const ctx = contextFrom(opts);
      const limit = Math.max(1, Number(opts.limit) || 5);
      const candidates = resolve(text, ctx);
      const region = findRegion(text);
      const mentions = scanText(text, ctx);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ text, context: ctx, region: region ?? null, candidates: candidates.slice(0, limit), mentions })}\n`);
        return;
      }
      const out: string[] = [];
      if (region) out.push(`region: ${region.code} ${region.name} (${region.nameRu} / ${region.nameUk})`);
      if (candidates.length) out.push(`"${text}" resolves to:`, ...candidates.slice(0, limit).map((c, i) => describeCandidate(c, i + 1)));
      const whole = mentions.length === 1 && mentions[0]?.start === 0 && mentions[0].end === text.length;
      if (mentions.length && !(whole && (candidates.length || region))) out.push('mentions found by scanning:', ...mentions.map((m) => describeMention(m, limit)));
      if (!out.length) {
        out.push(`"${text}": not in the gazetteer`);
        process.exitCode = 1;
      }
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
