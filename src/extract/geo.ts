/**
 * Where things are: region, settlement, district, water and launch-area spans of a post, mapped
 * onto its tokens, each with the role it plays in its sentence (the place counted over, the place
 * drones came from, the target they flew at, the border they were near).
 */
import type { PlaceKind, PlaceRef } from '../domain/incident.js';
import type { Lang } from '../domain/post.js';
import { findDistricts } from './districts.js';
import { findRegion, localName, regionByCode, resolve, scanText, type Candidate, type PlaceEntry, type RegionEntry, type ResolveContext } from './places.js';
import type { Sentence, Token } from './tokens.js';
import { isSourcePrep } from './lexicon.js';

export type GeoRole = 'loc' | 'source' | 'target' | 'border' | 'launch';

export interface GeoSpan {
  /** Token range [from, to). */
  from: number;
  to: number;
  kind: 'region' | PlaceKind;
  region?: RegionEntry;
  place?: PlaceRef;
  /** ISO code of the region the place lies in, when known. */
  placeRegion?: string;
  role: GeoRole;
  sentence: number;
  /** The text as written. */
  surface: string;
}

export interface GeoContext {
  lang: Lang;
  channelRegion?: string;
}

/** A span with every field set, in one order: the rules reading spans then see one shape. */
function makeSpan(from: number, to: number, kind: GeoSpan['kind'], region: RegionEntry | undefined, place: PlaceRef | undefined, placeRegion: string | undefined, role: GeoRole, sentence: number, surface: string): GeoSpan {
  return { from, to, kind, region, place, placeRegion: placeRegion || undefined, role, sentence, surface };
}

/** Token index containing character offset `pos` (tokens sorted by start). */
function tokenAt(tokens: Token[], pos: number, fromHint: number): number {
  let k = fromHint;
  while (k < tokens.length && (tokens[k] as Token).end <= pos) k++;
  return k;
}

function placeRefOf(p: PlaceEntry, kind: PlaceKind, lang: Lang): PlaceRef {
  const ref: PlaceRef = { name: p.name, nameLocal: localName(p, lang), kind, resolved: true };
  if (p.geonameId !== undefined) ref.geonameId = p.geonameId;
  if (p.lat !== undefined) ref.lat = p.lat;
  if (p.lon !== undefined) ref.lon = p.lon;
  if (p.region) ref.region = p.region;
  return ref;
}

function sentenceOf(sentences: Sentence[], k: number): number {
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((sentences[mid] as Sentence).from <= k) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const TARGET_VERBS = ['летевш', 'летящ', 'летел', 'летів', 'летіл', 'летит', 'курс', 'направлявш', 'прямувал'];
const BORDER_WORDS = ['границ', 'кордон', 'border', 'приграничн', 'прикордонн'];
const LAUNCH_WORDS = ['напрямк', 'напрямів', 'направлени', 'direction', 'directions'];

/** The role of a span from the words just before it. */
function roleOf(tokens: Token[], from: number, sentFrom: number, launchFrom: number): GeoRole {
  const p1 = tokens[from - 1];
  const p2 = tokens[from - 2];
  const p3 = tokens[from - 3];
  if (launchFrom >= 0 && from > launchFrom) return 'launch';
  if (p1 && from - 1 >= sentFrom) {
    if (p1.low === 'toward' || p1.low === 'towards') return 'target';
    if ((p1.low === 'на' || p1.low === 'в' || p1.low === 'у') && p2 && TARGET_VERBS.some((v) => p2.low.startsWith(v))) return 'target';
    if (isSourcePrep(p1.low) && !(p1.low === 'с' && p2 && p2.low.startsWith('границ'))) {
      // "с территории", "з боку"
      return 'source';
    }
    if ((p1.low === 'с' || p1.low === 'з' || p1.low === 'із' || p1.low === 'with') && p2 && BORDER_WORDS.some((b) => p2.low.startsWith(b))) return 'border';
    if (p2 && isSourcePrep(p2.low) && (p1.low.startsWith('территор') || p1.low.startsWith('територ') || p1.low === 'the' || p1.low.startsWith('сторон') || p1.low.startsWith('бок'))) return 'source';
    if (p3 && p3.low === 'from' && p2 && p2.low === 'the' && p1.low.startsWith('direction')) return 'launch';
    // "з Брянської, Курської обл.", "из тимчасово окупованого Криму": the preposition a few words back.
    for (let k = from - 1; k >= Math.max(sentFrom, from - 5); k--) {
      const w = tokens[k] as Token;
      if (isSourcePrep(w.low)) return 'source';
      // "з ТОТ Донеччини", "с временно оккупированной территории"
      if (!(w.text === ',' || w.low === 'та' || w.low === 'і' || w.low === 'и' || w.low === 'and' || w.low === 'тот' || /(ської|ской|ого|ої|ованого|ованої|ованной|ово|но)$/u.test(w.low))) break;
    }
  }
  return 'loc';
}

/** Start token of the launch-area list in a sentence ("з напрямків: ...", "from the directions of ..."), or -1. */
function launchListStart(tokens: Token[], s: Sentence): number {
  for (let k = s.from; k < s.to; k++) {
    const w = (tokens[k] as Token).low;
    const c = w.charCodeAt(0);
    // н(апрямків), н(аправлени), d(irections)
    if ((c === 0x43d || c === 0x64) && LAUNCH_WORDS.some((l) => w.startsWith(l))) return k;
  }
  return -1;
}

/** Every geographic span of the text, in text order, non-overlapping. */
export function findGeo(text: string, tokens: Token[], sentences: Sentence[], ctx: GeoContext): GeoSpan[] {
  const spans: GeoSpan[] = [];
  const covered: boolean[] = new Array<boolean>(tokens.length).fill(false);
  const launchStarts = sentences.map((s) => launchListStart(tokens, s));

  const baseCtx = ctx.channelRegion ? { lang: ctx.lang, channelRegion: ctx.channelRegion } : { lang: ctx.lang };
  const mentions = scanText(text, baseCtx);
  // Regions the text names decide between namesakes ("Kamensky district" of Rostov, not Dnipro).
  const textRegions: string[] = [];
  // A district namesake leans towards the regions of the text's unambiguous places ("Кировский район" beside Шлиссельбург).
  const near: string[] = [];
  for (const m of mentions) {
    if (m.kind === 'region') {
      if (!textRegions.includes(m.region.code)) textRegions.push(m.region.code);
      continue;
    }
    const top = m.candidates[0];
    const second = m.candidates[1];
    const region = top?.place.region;
    if (region && m.kind !== 'district' && (!second || top.score - second.score >= 10) && !near.includes(region)) near.push(region);
  }
  const resolveCtx: ResolveContext & { lang: Lang } = ctx.channelRegion ? { lang: ctx.lang, channelRegion: ctx.channelRegion, regions: textRegions } : { lang: ctx.lang, regions: textRegions };
  if (near.length) resolveCtx.near = near;

  // District phrases first: the extractor's own reading handles coordination and city districts.
  for (let si = 0; si < sentences.length; si++) {
    const s = sentences[si] as Sentence;
    for (const d of findDistricts(tokens, s.from, s.to, ctx.lang)) {
      if (covered[d.from]) continue;
      const place = d.noun === 'громада' ? unresolved(d.nominative) : districtRef(d.nominative, resolveCtx);
      // The post's own nominative ("Шебекинский городской округ") is its local name; the gazetteer gives the canonical English one.
      place.nameLocal = d.nominative;
      spans.push(makeSpan(d.from, d.to, 'district', undefined, place, place.region, roleOf(tokens, d.from, s.from, launchStarts[si] ?? -1), si, d.nominative));
      for (let k = d.from; k < d.to; k++) covered[k] = true;
      covered[d.nounEnd - 1] = true;
      if (d.noun === 'муниципальный округ' || d.noun === 'городской округ') covered[d.nounEnd - 2] = true;
    }
  }

  let hint = 0;
  for (const m of mentions) {
    const from = tokenAt(tokens, m.start, hint);
    hint = from;
    let to = from;
    while (to < tokens.length && (tokens[to] as Token).start < m.end) to++;
    if (from >= tokens.length || to <= from) continue;
    let overlap = false;
    for (let k = from; k < to; k++) if (covered[k]) overlap = true;
    if (overlap) continue;
    const si = sentenceOf(sentences, from);
    const s = sentences[si] as Sentence;
    // "Moscow time", "по московскому времени": a clock, not a place.
    const after = tokens[to];
    if (after && /^(time|времени|часу|час)$/.test(after.low)) continue;
    const role = roleOf(tokens, from, s.from, launchStarts[si] ?? -1);
    const asRegion = m.kind === 'region' ? m.region : regionOfPlaceMention(m.surface, m.candidates[0]?.place);
    if (asRegion) {
      spans.push(makeSpan(from, to, 'region', asRegion, undefined, undefined, role, si, m.surface));
    } else if (m.kind !== 'region') {
      const best = m.candidates[0];
      if (!best) continue;
      if (!m.cue && !isCapitalized(tokens[from])) continue;
      // District phrases are read above; a bare word the scan took for a district is not one.
      if (m.kind === 'district' && !/(район|округ|district|громад|raion|okrug)/iu.test(m.surface)) continue;
      const kind: PlaceKind = m.kind === 'launch-area' ? 'settlement' : m.kind;
      const place = placeRefOf(best.place, kind, ctx.lang);
      // An English post's own spelling is its local name ("Sudzha district", "Kirishi").
      if (ctx.lang === 'en') place.nameLocal = text.slice((tokens[from] as Token).start, (tokens[to - 1] as Token).end);
      spans.push(makeSpan(from, to, kind, undefined, place, best.place.region ?? undefined, role, si, m.surface));
    }
    for (let k = from; k < to; k++) covered[k] = true;
  }
  coordinatedEnglishRegions(tokens, spans);
  addNamedSettlements(tokens, sentences, spans, covered, resolveCtx);
  addLaunchAreas(tokens, sentences, launchStarts, spans, covered, resolveCtx);
  addAreaNames(tokens, sentences, spans, covered, ctx);
  addCapital(tokens, sentences, launchStarts, spans, covered, ctx.lang);
  spans.sort((a, b) => a.from - b.from);
  return spans;
}

const CITY_REGIONS = new Set(['RU-MOW', 'RU-SPE', 'UA-30', 'UA-40']);

const CAPITAL_WORD = /^столиц(я|і|ю|ею|а|ы|е|у|ей)$/u;

/**
 * "атакував столицю", "над столицей": the capital is the post's own country's, Kyiv in a Ukrainian
 * post and Moscow in a Russian one, unless the word after names whose ("столице Украины"); the
 * capital of anything else ("столица региона", "столиці Криму") is left alone.
 */
function addCapital(tokens: Token[], sentences: Sentence[], launchStarts: number[], spans: GeoSpan[], covered: boolean[], lang: Lang): void {
  if (lang === 'en') return;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as Token;
    if (covered[k] || t.kind !== 'word' || t.low.charCodeAt(0) !== 0x0441 || !CAPITAL_WORD.test(t.low)) continue;
    const next = tokens[k + 1];
    let code = lang === 'uk' ? 'UA-30' : 'RU-MOW';
    if (next && next.kind === 'word' && next.start === t.end + 1) {
      if (/^украин|^україн/u.test(next.low)) code = 'UA-30';
      else if (/^росси|^росі|^рф$/u.test(next.low)) code = 'RU-MOW';
      else if (isCapitalized(next) || /^(регион|област|облаcт|края|краю|республик|обл)/u.test(next.low)) continue;
    }
    const region = regionByCode(code);
    if (!region) continue;
    const si = sentenceOf(sentences, k);
    const s = sentences[si] as Sentence;
    spans.push(makeSpan(k, k + 1, 'region', region, undefined, undefined, roleOf(tokens, k, s.from, launchStarts[si] ?? -1), si, t.text));
    covered[k] = true;
  }
}

/**
 * A "place" that is a region: a federal city (Москва, Київ, Севастополь) or a region form the
 * scan took for a place ("Київщину", "Крым").
 */
function regionOfPlaceMention(surface: string, place: PlaceEntry | undefined): RegionEntry | undefined {
  if (!place) return undefined;
  if (place.kind === 'settlement' && place.region && CITY_REGIONS.has(place.region)) {
    const r = regionByCode(place.region);
    if (r) {
      const head = surface.toLowerCase().slice(0, 3);
      if (place.name === r.name || [r.name, r.nameRu, r.nameUk].some((n) => n.toLowerCase().slice(0, 3) === head)) return r;
    }
  }
  const area = /щин/iu.test(surface);
  if (area || place.kind === 'settlement' || place.kind === 'district') {
    const r = regionOfSurface(surface);
    if (r && (area || !place.population || place.population < 100_000)) return r;
  }
  return undefined;
}

/**
 * findRegion of a mention's surface, remembered: nearly every place mention asks, and the same
 * names recur post after post. Bounded, and cleared when full, like the district memo.
 */
const surfaceRegions = new Map<string, RegionEntry | null>();

function regionOfSurface(surface: string): RegionEntry | undefined {
  let r = surfaceRegions.get(surface);
  if (r === undefined) {
    r = findRegion(surface) ?? null;
    if (surfaceRegions.size >= 10_000) surfaceRegions.clear();
    surfaceRegions.set(surface, r);
  }
  return r ?? undefined;
}

function isCapitalized(t: Token | undefined): boolean {
  if (!t || t.kind !== 'word') return false;
  // `low` is the same text lower-cased: no new string per question.
  return t.text.charCodeAt(0) !== t.low.charCodeAt(0);
}

function unresolved(nominative: string): PlaceRef {
  return { name: nominative, nameLocal: nominative, kind: 'district', resolved: false };
}

/**
 * Resolutions of district phrases, by phrase and context: the same few hundred districts recur in
 * every governor's posts. Bounded, and cleared when full, so a long-running worker stays small.
 */
const districtMemo = new Map<string, Candidate[]>();

function resolveMemo(nominative: string, ctx: ResolveContext & { lang: Lang }): Candidate[] {
  const key = `${nominative}|${ctx.lang}|${ctx.channelRegion ?? ''}|${(ctx.regions ?? []).join(',')}|${(ctx.near ?? []).join(',')}`;
  let cands = districtMemo.get(key);
  if (!cands) {
    cands = resolve(nominative, ctx);
    if (districtMemo.size >= 10_000) districtMemo.clear();
    districtMemo.set(key, cands);
  }
  return cands;
}

/** A district phrase resolved through the gazetteer when it knows it, else kept as written (nominative). */
function districtRef(nominative: string, ctx: ResolveContext & { lang: Lang }): PlaceRef {
  const cands = resolveMemo(nominative, ctx);
  const best = cands.find((c) => c.place.kind === 'district');
  if (best) {
    const ref = placeRefOf(best.place, 'district', ctx.lang);
    return ref;
  }
  return { name: nominative, nameLocal: nominative, kind: 'district', resolved: false };
}

/**
 * Launch-area lists ("з напрямків: Орел, Міллерово") name towns with no cue word before them, so
 * the scan may leave out those that are also common words; each capitalised name in the list
 * is resolved on its own.
 */
function addLaunchAreas(tokens: Token[], sentences: Sentence[], launchStarts: number[], spans: GeoSpan[], covered: boolean[], ctx: ResolveContext & { lang: Lang }): void {
  for (let si = 0; si < sentences.length; si++) {
    const start = launchStarts[si] ?? -1;
    if (start < 0) continue;
    const s = sentences[si] as Sentence;
    for (let k = start + 1; k < s.to; k++) {
      const t = tokens[k] as Token;
      if (covered[k] || !isCapitalized(t) || t.text.length < 3) continue;
      const prev = tokens[k - 1] as Token;
      if (!(prev.text === ':' || prev.text === ',' || prev.low === 'та' || prev.low === 'і' || prev.low === 'and' || prev.low === 'of' || prev.low === ';' || prev.text === '-')) continue;
      const best = resolveMemo(t.text, ctx).find((c) => c.place.kind === 'settlement' || c.place.kind === 'launch-area');
      if (!best) continue;
      spans.push(makeSpan(k, k + 1, 'settlement', undefined, placeRefOf(best.place, 'settlement', ctx.lang), undefined, 'launch', si, t.text));
      covered[k] = true;
    }
  }
}

/** Settlement-type nouns after which a capitalised name is a settlement even if the gazetteer lacks it. */
const SETTLEMENT_NOUNS = new Set([
  'село', 'села', 'селу', 'селе', 'селом', 'поселок', 'поселка', 'поселку', 'поселке', 'поселком', 'деревня', 'деревни', 'деревне', 'деревню', 'деревней',
  'хутор', 'хутора', 'хутору', 'хуторе', 'хутором', 'пгт', 'снт', 'слобода', 'слободе', 'станица', 'станице', 'станицы',
  'селі', 'селище', 'селища', 'селищі', 'смт', 'місто', 'міста', 'місті', 'містом', 'village', 'town', 'settlement',
]);

const SETTLEMENT_ABBREVIATIONS = new Set(['с', 'п', 'д', 'х', 'г', 'м', 'пгт', 'смт', 'ст']);

/**
 * "в селе Стрелецкое", "над посёлком Уразово": a settlement noun vouches for the name after it.
 * Names in apposition stay in the nominative, so the text's form is the name; the gazetteer
 * resolves it where it can, else the place stays unresolved.
 */
function addNamedSettlements(tokens: Token[], sentences: Sentence[], spans: GeoSpan[], covered: boolean[], ctx: ResolveContext & { lang: Lang }): void {
  for (let k = 1; k < tokens.length; k++) {
    const t = tokens[k] as Token;
    if (covered[k] || !isCapitalized(t) || t.text.length < 3) continue;
    const prev = tokens[k - 1] as Token;
    const abbreviation = prev.text === '.' ? tokens[k - 2] : undefined;
    const vouched = abbreviation ? SETTLEMENT_ABBREVIATIONS.has(abbreviation.low) : SETTLEMENT_NOUNS.has(prev.low);
    if (!vouched) continue;
    let to = k + 1;
    // two-word and hyphenated names: "Белая Березка", "Ивано-Франковск"
    while (to < tokens.length && !covered[to] && (tokens[to]?.text === '-' || (isCapitalized(tokens[to]) && (tokens[to] as Token).start === (tokens[to - 1] as Token).end + 1)) && to - k < 4) to++;
    if (tokens[to - 1]?.text === '-') to--;
    const surface = tokens.slice(k, to).map((x, i) => (i > 0 && x.start > (tokens[k + i - 1] as Token).end ? ' ' : '') + x.text).join('');
    const best = resolveMemo(surface, ctx).find((c) => c.place.kind === 'settlement');
    // after an abbreviation ("м.", "с.") only a known name counts: "200 кв. м. Пострадавших нет"
    if (!best && abbreviation) continue;
    const place: PlaceRef = best ? placeRefOf(best.place, 'settlement', ctx.lang) : { name: surface, nameLocal: surface, kind: 'settlement', resolved: false };
    if (ctx.lang === 'en') place.nameLocal = surface;
    const si = sentenceOf(sentences, k);
    spans.push(makeSpan(k, to, 'settlement', undefined, place, place.region, 'loc', si, surface));
    for (let j = k; j < to; j++) covered[j] = true;
  }
}

const PLURAL_REGION_NOUNS = new Set(['regions', 'oblasts', 'provinces', 'territories']);

/**
 * "over the Belgorod, Kursk and Voronezh regions": names coordinated before a plural region noun
 * are regions, though each alone reads as a city.
 */
function coordinatedEnglishRegions(tokens: Token[], spans: GeoSpan[]): void {
  let byEnd: Map<number, GeoSpan> | null = null;
  for (let k = 1; k < tokens.length; k++) {
    if (!PLURAL_REGION_NOUNS.has((tokens[k] as Token).low)) continue;
    if (!byEnd) {
      byEnd = new Map<number, GeoSpan>();
      for (const g of spans) byEnd.set(g.to, g);
    }
    let end = k;
    for (;;) {
      const g = byEnd.get(end);
      if (!g || !g.place) break;
      const surface = tokens.slice(g.from, g.to).map((t) => t.text).join(' ');
      const r = findRegion(`${surface} region`);
      if (!r) break;
      g.kind = 'region';
      g.region = r;
      g.place = undefined;
      let c = g.from - 1;
      while (c >= 0 && (tokens[c]?.text === ',' || tokens[c]?.low === 'and')) c--;
      if (c === g.from - 1) break;
      end = c + 1;
    }
  }
}

const AREA_SUFFIX = /^(\p{Lu}\p{L}+щин)(а|и|і|у|ою)$/u;

/** "Нікопольщина"-type area names that are not regions: kept as district-level places. */
function addAreaNames(tokens: Token[], sentences: Sentence[], spans: GeoSpan[], covered: boolean[], ctx: GeoContext): void {
  for (let si = 0; si < sentences.length; si++) {
    const s = sentences[si] as Sentence;
    for (let k = s.from; k < s.to; k++) {
      if (covered[k]) continue;
      const t = tokens[k] as Token;
      if (t.kind !== 'word' || !t.low.includes('щин')) continue;
      const m = AREA_SUFFIX.exec(t.text);
      if (!m) continue;
      if (regionOfSurface(t.text)) continue;
      const nominative = `${m[1]}а`;
      spans.push(makeSpan(k, k + 1, 'district', undefined, { name: nominative, nameLocal: nominative, kind: 'district', resolved: false }, undefined, 'loc', si, t.text));
      covered[k] = true;
    }
  }
  void ctx;
}
