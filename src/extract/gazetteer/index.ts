/**
 * The gazetteer: regions, settlements, districts and waters of Russia and Ukraine, found in text in
 * any case form ("Малоярославца", "Кингисеппском районе", "Харківщиною", "Kaluga region").
 * Contract: /work/main/scratch/GAZETTEER_API.md. Pure: the data is a generated module
 * (scripts/build-gazetteer.ts), parsed once on first use.
 *
 * Scanning looks up word n-grams (≤ 5 words) in one hash table of normalized region and place
 * forms (hashed while tokenizing, screened by a small bit filter, and compared with the text in
 * place: no string is made per word or n-gram), and district phrases ("<adjective> район/округ/громада",
 * "<Name> district") in a table of adjective stems, so its cost grows with the text, not with the
 * gazetteer. Every case form was generated at build time; nothing is declined here.
 */
import type { Lang } from '../../domain/post.js';
import { REGIONS, REGION_FORM_KEYS, REGION_FORM_CODES, PLACES, FORM_KEYS, FORM_REFS, STEM_KEYS, STEM_REFS, FIRST_WORDS, REGION_FORMS_YIELDING_TO_TOWNS } from './data/gazetteer-data.js';
import { normalizeKey, normalizeToken } from './normalize.js';
import { adjectiveStems, latinAdjectiveStem } from './inflect.js';

export interface RegionEntry {
  code: string;
  country: 'RU' | 'UA' | string;
  name: string;
  nameRu: string;
  nameUk: string;
}

export type GazetteerKind = 'settlement' | 'district' | 'water' | 'launch-area';

export interface PlaceEntry {
  key: string;
  kind: GazetteerKind;
  name: string;
  nameRu?: string;
  nameUk?: string;
  geonameId?: number;
  lat?: number;
  lon?: number;
  region: string | null;
  population?: number;
}

export interface Candidate {
  place: PlaceEntry;
  score: number;
  why: string[];
}

export interface RegionMention { kind: 'region'; start: number; end: number; surface: string; region: RegionEntry }
export interface PlaceMention {
  kind: GazetteerKind;
  start: number;
  end: number;
  surface: string;
  candidates: Candidate[];
  cue: boolean;
}
export type Mention = RegionMention | PlaceMention;

/** `near`: regions of the text's unambiguous places; a namesake there is preferred over one elsewhere. */
export interface ResolveContext { lang?: Lang; regions?: string[]; channelRegion?: string; near?: string[] }

// ------------------------------------------------------------------ loading

/** A form's targets: place index and whether the form is a nominative/alias ("exact") or a case form. */
interface Ref { place: number; exact: boolean }

/**
 * Open-addressing hash table over newline-joined keys: built in one pass of FNV hashes into typed
 * arrays (no Map of 130k strings to build at start-up), probed with the hash the scanner has
 * already computed for the word.
 */
interface HashIndex {
  /**
   * The keys, newline-joined as generated: key r is blob[offsets[r], offsets[r + 1] - 1). Kept as
   * one string (no 100k small strings to make at start-up and copy through young-generation GCs);
   * keys are compared in place and cut out only on a hit.
   */
  blob: string;
  offsets: Int32Array;
  /** per slot: row (-1 = empty), hash — side by side, one cache line per probe */
  table: Int32Array;
  mask: number;
  /**
   * One bit per hash value modulo a power of two (128 KB for the big table, stays in cache): most
   * words of a text are no key, and the bit says so without touching the megabytes of the table.
   */
  filter: Uint32Array;
  filterMask: number;
}

function filterBit(h: number, mask: number): number {
  return (h ^ (h >>> 15)) & mask;
}

const FNV_OFFSET = 0x811c9dc5 | 0;

/** FNV-1a over UTF-16 code units, continued word by word for n-grams ("a b" = more(more(a), " b")). */
function hashMore(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

function hashOf(key: string): number {
  return hashMore(FNV_OFFSET, key);
}

function buildHashIndex(blob: string): HashIndex {
  // offsets and hashes in one pass over the blob
  let count = 1;
  for (let i = blob.indexOf('\n'); i >= 0; i = blob.indexOf('\n', i + 1)) count++;
  const offsets = new Int32Array(count + 1);
  const hashes = new Int32Array(count);
  let row = 0;
  let h = FNV_OFFSET;
  for (let i = 0; i < blob.length; i++) {
    const c = blob.charCodeAt(i);
    if (c === 10) {
      hashes[row++] = h;
      offsets[row] = i + 1;
      h = FNV_OFFSET;
    } else h = Math.imul(h ^ c, 16777619);
  }
  hashes[row] = h;
  offsets[count] = blob.length + 1;
  let size = 1024;
  while (size < count * 2) size <<= 1;
  const mask = size - 1;
  const table = new Int32Array(2 * size).fill(-1);
  for (let i = 0; i < count; i++) {
    const hi = hashes[i] as number;
    let slot = hi & mask;
    while (table[2 * slot] !== -1) slot = (slot + 1) & mask;
    table[2 * slot] = i;
    table[2 * slot + 1] = hi;
  }
  // about 8 bits per key: a word that is no key passes with a chance of 1 in 8
  let bits = 1 << 10;
  while (bits < count * 8) bits <<= 1;
  const filterMask = bits - 1;
  const filter = new Uint32Array(bits >>> 5);
  for (let i = 0; i < count; i++) {
    const fb = filterBit(hashes[i] as number, filterMask);
    filter[fb >>> 5] = (filter[fb >>> 5] as number) | (1 << (fb & 31));
  }
  return { blob, offsets, table, mask, filter, filterMask };
}

/** Key r of an index, as a string (cut out on a hit only). */
function keyAt(ix: HashIndex, row: number): string {
  return ix.blob.slice(ix.offsets[row] as number, (ix.offsets[row + 1] as number) - 1);
}

/** Whether key r of an index is `key`. */
function keyIs(ix: HashIndex, row: number, key: string): boolean {
  const from = ix.offsets[row] as number;
  return (ix.offsets[row + 1] as number) - 1 - from === key.length && ix.blob.startsWith(key, from);
}

/** Row of `key` (whose hash is `h`), or -1. */
function lookup(ix: HashIndex, key: string, h: number): number {
  const table = ix.table;
  let slot = h & ix.mask;
  for (;;) {
    const row = table[2 * slot] as number;
    if (row === -1) return -1;
    if (table[2 * slot + 1] === h && keyIs(ix, row, key)) return row;
    slot = (slot + 1) & ix.mask;
  }
}

interface Index {
  regions: RegionEntry[];
  regionByCode: Map<string, RegionEntry>;
  /** region forms and place forms in one table: rows below regionCount are region forms */
  keys: HashIndex;
  regionCount: number;
  regionOfRow: RegionEntry[];
  /** place rows, parsed into entries on first use (most are never asked for) */
  placeRows: string[];
  places: Array<PlaceEntry | undefined>;
  centreOf: Array<number | undefined>;
  formRefs: string[];
  parsedRefs: Array<Ref[] | undefined>;
  stems: HashIndex | undefined;
  stemRefs: string[] | undefined;
  parsedStems: Array<number[] | undefined>;
  /** first word of any multi-word key → the most words a key starting with it has */
  firstWords: HashIndex;
  firstWordMax: Uint8Array;
  /** bare region adjectives that are also case forms of towns (Ukrainian "Курська"): the town wins in text */
  yieldToTowns: Set<string>;
}

let index: Index | undefined;

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function load(): Index {
  if (index) return index;
  const regions: RegionEntry[] = REGIONS.split('\n').map((line) => {
    const [code, country, name, nameRu, nameUk] = line.split('\t') as [string, string, string, string, string];
    return { code, country, name, nameRu, nameUk };
  });
  const regionByCode = new Map(regions.map((r) => [r.code, r]));
  const regionCount = countLines(REGION_FORM_KEYS);
  const regionOfRow = REGION_FORM_CODES.split('\n').map((code) => regionByCode.get(code) as RegionEntry);
  const firstLines = FIRST_WORDS.split('\n');
  const firstWordMax = new Uint8Array(firstLines.length);
  const firstWordKeys = firstLines.map((line, i) => {
    const tab = line.indexOf('\t');
    firstWordMax[i] = Number(line.slice(tab + 1));
    return line.slice(0, tab);
  });
  const placeRows = PLACES.split('\n');
  const formRefs = FORM_REFS.split('\n');
  index = {
    regions, regionByCode,
    // region forms first: a key that is both (Кубань) is found as the region
    keys: buildHashIndex(REGION_FORM_KEYS + '\n' + FORM_KEYS), regionCount, regionOfRow,
    placeRows, places: new Array(placeRows.length), centreOf: new Array(placeRows.length),
    formRefs, parsedRefs: new Array(formRefs.length),
    stems: undefined, stemRefs: undefined, parsedStems: [],
    firstWords: buildHashIndex(firstWordKeys.join('\n')), firstWordMax,
    yieldToTowns: new Set(REGION_FORMS_YIELDING_TO_TOWNS.split('\n')),
  };
  return index;
}

/** A key's region, if it is a region form. */
function regionFor(idx: Index, key: string, h = hashOf(key)): RegionEntry | undefined {
  const row = lookup(idx.keys, key, h);
  return row >= 0 && row < idx.regionCount ? idx.regionOfRow[row] : undefined;
}

/** A key that is a region form read as the region in text (not a bare adjective yielding to a town). */
function isRegionForm(idx: Index, key: string): boolean {
  return regionFor(idx, key) !== undefined && !idx.yieldToTowns.has(key);
}

/** Row into formRefs of a place form, or -1 (probing past a region form of the same key). */
function formRow(idx: Index, key: string, h: number): number {
  const ix = idx.keys;
  const table = ix.table;
  let slot = h & ix.mask;
  for (;;) {
    const row = table[2 * slot] as number;
    if (row === -1) return -1;
    if (row >= idx.regionCount && table[2 * slot + 1] === h && keyIs(ix, row, key)) return row - idx.regionCount;
    slot = (slot + 1) & ix.mask;
  }
}

function placeAt(idx: Index, i: number): PlaceEntry {
  const cached = idx.places[i];
  if (cached) return cached;
  const [key, kind, name, nameRu, nameUk, gid, lat, lon, region, pop, centre] = (idx.placeRows[i] as string).split('\t') as string[];
  const entry: PlaceEntry = { key: key as string, kind: kind as GazetteerKind, name: name as string, region: region ? region : null };
  if (nameRu) entry.nameRu = nameRu;
  if (nameUk) entry.nameUk = nameUk;
  if (gid) entry.geonameId = Number(gid);
  if (lat) entry.lat = Number(lat);
  if (lon) entry.lon = Number(lon);
  if (pop) entry.population = Number(pop);
  if (centre) idx.centreOf[i] = Number(centre);
  idx.places[i] = entry;
  return entry;
}

/** The district centre of a generated district (for "X громада"), if known. */
function centreOf(idx: Index, i: number): number | undefined {
  placeAt(idx, i);
  return idx.centreOf[i];
}

function parseRefs(raw: string): Ref[] {
  const body = raw.startsWith('c') ? raw.slice(1) : raw;
  return body.split(',').map((r) => (r.startsWith('*') ? { place: Number(r.slice(1)), exact: true } : { place: Number(r), exact: false }));
}

function refsOf(idx: Index, form: string, h = hashOf(form)): Ref[] | undefined {
  const row = formRow(idx, form, h);
  if (row < 0) return undefined;
  return (idx.parsedRefs[row] ??= parseRefs(idx.formRefs[row] as string));
}

/** Whether a form is also an ordinary word (marked at build time from the OpenCorpora dictionary and hand lists). */
function isCommonForm(idx: Index, form: string): boolean {
  const row = formRow(idx, form, hashOf(form));
  return row >= 0 && (idx.formRefs[row] as string).startsWith('c');
}

function stemTargets(idx: Index, stem: string): number[] | undefined {
  if (!idx.stems) {
    // built on the first district phrase: many texts have none
    idx.stems = buildHashIndex(STEM_KEYS);
    idx.stemRefs = STEM_REFS.split('\n');
  }
  const row = lookup(idx.stems, stem, hashOf(stem));
  if (row < 0) return undefined;
  return (idx.parsedStems[row] ??= (idx.stemRefs?.[row] as string).split(',').map(Number));
}

// ------------------------------------------------------------------ regions

export function regionByCode(code: string): RegionEntry | undefined {
  return load().regionByCode.get(code.toUpperCase());
}

export function allRegions(): RegionEntry[] {
  return [...load().regions];
}

/** Region by any written form: "Калужской области", "Калужская обл.", "Брянщина", "Kaluga region", "the Kaluga Region". */
export function findRegion(form: string): RegionEntry | undefined {
  const idx = load();
  let key = normalizeKey(form).replace(/\.$/, '');
  if (key.startsWith('the ')) key = key.slice(4);
  const found = regionFor(idx, key) ?? idx.regionByCode.get(form.trim().toUpperCase());
  if (found) return found;
  // cities that are regions of their own (Москва, Київ, Севастополь): their names are settlement forms
  const city = refsOf(idx, key)?.map((r) => placeAt(idx, r.place)).find((p) => CITY_REGIONS.has(p.key));
  return city?.region ? idx.regionByCode.get(city.region) : undefined;
}

/** The settlements that are regions of their own: Moscow, Saint Petersburg, Kyiv, Sevastopol. */
const CITY_REGIONS = new Set(['gn:524901', 'gn:498817', 'gn:703448', 'gn:694423']);

export function localName(place: PlaceEntry | RegionEntry, lang: Lang): string {
  if (lang === 'ru') return place.nameRu ?? place.name;
  if (lang === 'uk') return place.nameUk ? ukrainianSpelling(place.nameUk) : (place.nameRu ?? place.name);
  return place.name;
}

/** withUkrainianApostrophe of gazetteer names, remembered: every Ukrainian record names its places again. Bounded. */
const ukrainianSpellings = new Map<string, string>();

function ukrainianSpelling(nameUk: string): string {
  let spelled = ukrainianSpellings.get(nameUk);
  if (spelled === undefined) {
    spelled = withUkrainianApostrophe(nameUk);
    if (ukrainianSpellings.size >= 20_000) ukrainianSpellings.clear();
    ukrainianSpellings.set(nameUk, spelled);
  }
  return spelled;
}

/**
 * GeoNames often writes Ukrainian names without the apostrophe ("Купянськ", "Пятихатки"). Ukrainian
 * spelling puts one between a labial (б п в м ф) and я/ю/є/ї after a vowel or at a word's start,
 * so the nominative shown to users gets it back: "Куп'янськ", "П'ятихатки", "В'язова".
 */
export function withUkrainianApostrophe(name: string): string {
  if (name.includes("'")) return name;
  // ю at a word's start is mostly a loanword ("бюро"): only after a vowel there.
  return name
    .replace(/(^|[\s-]|[аеиіоуяюєїАЕИІОУЯЮЄЇ])([бпвмфБПВМФ])(?=[яєї])/gu, "$1$2'")
    .replace(/([аеиіоуяюєї])([бпвмф])(?=ю)/gu, "$1$2'");
}

// ------------------------------------------------------------------ ranking

/** What a ranking knows: regions given by the caller, regions named in the text, the channel's home. */
interface RankContext { ctx: readonly string[]; text: readonly string[]; channel?: string; countries: readonly string[]; near?: readonly string[] }

const NO_CONTEXT: RankContext = { ctx: [], text: [], countries: [] };

function rankContext(ctx: ResolveContext | undefined, textRegions: readonly string[] = []): RankContext {
  if (!ctx?.regions?.length && !ctx?.channelRegion && textRegions.length === 0 && !ctx?.near?.length) return NO_CONTEXT;
  const countries: string[] = [];
  for (const r of [...(ctx?.regions ?? []), ...textRegions, ...(ctx?.channelRegion ? [ctx.channelRegion] : [])]) {
    const c = r.slice(0, 2);
    if (!countries.includes(c)) countries.push(c);
  }
  const rc: RankContext = { ctx: ctx?.regions ?? [], text: textRegions, channel: ctx?.channelRegion, countries };
  if (ctx?.near?.length) rc.near = ctx.near;
  return rc;
}

type How = 'exact form' | 'case form' | 'district adjective' | 'district adjective, head word elided' | 'hromada of its centre';

const HOW_SCORE: Record<How, number> = {
  'exact form': 10,
  'case form': 9,
  'district adjective': 10,
  'district adjective, head word elided': 7,
  'hromada of its centre': 9,
};

/** Region agreement outweighs any population: a 500-person village in the named region beats a city elsewhere. */
function contextScore(region: string | null, rc: RankContext): number {
  if (!region) return 0;
  if (rc.ctx.includes(region) || rc.text.includes(region)) return 30;
  if (rc.channel === region) return 15;
  if (rc.near?.includes(region)) return 8;
  if (rc.countries.includes(region.slice(0, 2))) return 3;
  return 0;
}

function formatPopulation(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${Math.round(n / 1e3)}k` : String(n);
}

/** The explanation strings repeat endlessly: made once each. */
const reasons = new Map<string, string>();

function reason(kind: string, value: string): string {
  const key = kind + value;
  let text = reasons.get(key);
  if (text === undefined) {
    text = kind === 'ctx' ? `region agrees ${value} (context)` : kind === 'text' ? `region agrees ${value} (named in text)` : kind === 'channel' ? `channel region ${value}` : kind === 'near' ? `near other places of ${value}` : `same country ${value}`;
    if (reasons.size < 20_000) reasons.set(key, text);
  }
  return text;
}

function explain(place: PlaceEntry, how: How, rc: RankContext): string[] {
  const why: string[] = [how];
  const region = place.region;
  if (region && rc !== NO_CONTEXT) {
    if (rc.ctx.includes(region)) why.push(reason('ctx', region));
    else if (rc.text.includes(region)) why.push(reason('text', region));
    else if (rc.channel === region) why.push(reason('channel', region));
    else if (rc.near?.includes(region)) why.push(reason('near', region));
    else if (rc.countries.includes(region.slice(0, 2))) why.push(reason('country', region.slice(0, 2)));
  }
  if (place.population) why.push(populationReason(place));
  return why;
}

const populationReasons = new WeakMap<PlaceEntry, string>();

function populationReason(place: PlaceEntry): string {
  let text = populationReasons.get(place);
  if (text === undefined) {
    text = `population ${formatPopulation(place.population ?? 0)}`;
    populationReasons.set(place, text);
  }
  return text;
}

/**
 * A ranked candidate whose reasons are written when first read: the extractor reads only places
 * and scores; the "why" strings are for `places` in the CLI and for tests. Serialized as
 * { place, score, why }.
 */
class RankedCandidate implements Candidate {
  #why: string[] | undefined;
  readonly #how: How;
  readonly #rc: RankContext;

  constructor(
    readonly place: PlaceEntry,
    readonly score: number,
    how: How,
    rc: RankContext,
  ) {
    this.#how = how;
    this.#rc = rc;
  }

  get why(): string[] {
    return (this.#why ??= explain(this.place, this.#how, this.#rc));
  }

  toJSON(): { place: PlaceEntry; score: number; why: string[] } {
    return { place: this.place, score: this.score, why: this.why };
  }
}

/** At most this many candidates are explained and returned; the rest never win. */
const MAX_CANDIDATES = 8;

/** Scores every target and keeps the best few (explained only when asked: RankedCandidate). */
function buildCandidates(idx: Index, targets: number[], hows: How[], rc: RankContext): Candidate[] {
  const n = targets.length;
  if (n === 1) {
    const place = placeAt(idx, targets[0] as number);
    const score = HOW_SCORE[hows[0] as How] + contextScore(place.region, rc) + (place.population ? Math.log10(place.population + 1) : 0);
    return [new RankedCandidate(place, Math.round(score * 100) / 100, hows[0] as How, rc)];
  }
  const scores = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    const place = placeAt(idx, targets[k] as number);
    scores[k] = HOW_SCORE[hows[k] as How] + contextScore(place.region, rc) + (place.population ? Math.log10(place.population + 1) : 0);
  }
  // insertion of each index into the best-first list, keeping at most MAX_CANDIDATES
  const order: number[] = [];
  for (let k = 0; k < n; k++) {
    const sk = scores[k] as number;
    let at = order.length;
    while (at > 0 && (scores[order[at - 1] as number] as number) < sk) at--;
    if (at < MAX_CANDIDATES) {
      order.splice(at, 0, k);
      if (order.length > MAX_CANDIDATES) order.pop();
    }
  }
  const out: Candidate[] = [];
  for (const k of order) {
    const place = placeAt(idx, targets[k] as number);
    out.push(new RankedCandidate(place, Math.round((scores[k] as number) * 100) / 100, hows[k] as How, rc));
  }
  return out;
}

function candidatesFromRefs(idx: Index, refs: Ref[], rc: RankContext): Candidate[] {
  const targets: number[] = [];
  const hows: How[] = [];
  for (const ref of refs) {
    const at = targets.indexOf(ref.place);
    if (at >= 0) {
      if (ref.exact) hows[at] = 'exact form';
      continue;
    }
    targets.push(ref.place);
    hows.push(ref.exact ? 'exact form' : 'case form');
  }
  return buildCandidates(idx, targets, hows, rc);
}

// ------------------------------------------------------------------ tokens

/**
 * A word of the text. Its normalized form is read from the text on demand (most words are only
 * hashed and compared in place, never copied); `cls` marks the few function words the scanner
 * asks about (district heads, conjunctions), found by hash while tokenizing.
 */
class Token {
  private normText: string | undefined;
  constructor(
    readonly text: string,
    readonly start: number,
    readonly end: number,
    readonly hash: number,
    readonly latin: boolean,
    readonly capital: boolean,
    /** the word has characters normCode does not map (stress marks, accented Latin): `norm` was made eagerly */
    readonly odd: boolean,
    norm: string | undefined,
    public cls = 0,
  ) {
    this.normText = norm;
  }

  get norm(): string {
    return (this.normText ??= normalizeToken(this.text.slice(this.start, this.end)));
  }
}

/** Letters a name may contain: Latin (with accents), Cyrillic, combining stress marks. */
function isLetter(c: number): boolean {
  return (c >= 0x430 && c <= 0x45f) || (c >= 0x410 && c <= 0x42f) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0x400 && c <= 0x4ff) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || c === 0x301 || c === 0x300;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Apostrophes and hyphens that join the parts of one word (Солом'янський, Каменск-Шахтинский). */
function isJoiner(c: number): boolean {
  return c === 39 || c === 0x2019 || c === 0x2bc || c === 96 || c === 45 || c === 0x2010 || c === 0x2011;
}

/**
 * The key character of a text character: lower case, ё → е, any apostrophe → ', hyphen → -.
 * Exactly what normalizeToken does to the characters a plain word has (see `isOdd` for the rest).
 */
function normCode(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c === 96 ? 39 : c;
  if (c >= 0x430 && c <= 0x44f) return c;
  if (c >= 0x410 && c <= 0x42f) return c + 0x20;
  if (c === 0x451 || c === 0x401) return 0x435;
  if (c >= 0x400 && c <= 0x40f) return c + 0x50;
  if (c === 0x490) return 0x491;
  if (c === 0x2019 || c === 0x2bc) return 39;
  if (c === 0x2010 || c === 0x2011) return 45;
  return c;
}

/** normCode and the word-character class of every code below 0x500 (the letters a name may have), read by table in the tokenizer's loop. */
const TABLE_END = 0x500;
const NORM_CODE = new Uint16Array(TABLE_END);
/** 0: no word character, 1: letter or digit normCode maps, 2: letter normalizeToken must handle (isOdd) */
const WORD_CHAR = new Uint8Array(TABLE_END);
for (let c = 0; c < TABLE_END; c++) {
  NORM_CODE[c] = normCode(c);
  if (isLetter(c) || isDigit(c)) WORD_CHAR[c] = isOdd(c) ? 2 : 1;
}

/** WORD_CHAR of any code: stress marks above the table are odd letters. */
function wordChar(c: number): number {
  return c < TABLE_END ? (WORD_CHAR[c] as number) : c === 0x300 || c === 0x301 ? 2 : 0;
}

/** Characters normCode leaves to normalizeToken: stress marks, accented Latin, the rarer Cyrillic capitals. */
function isOdd(c: number): boolean {
  return (c >= 0xc0 && c <= 0x24f) || c === 0x300 || c === 0x301 || (c >= 0x460 && c <= 0x4ff && c !== 0x490 && c !== 0x491);
}

function isUpper(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 0x400 && c <= 0x42f) || c === 0x490;
}

/** FNV hash of text[start, end) read through normCode. */
function hashRange(text: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ normCode(text.charCodeAt(i)), 16777619);
  return h;
}

/** Whether `key` from position p equals the token's normalized form; returns the position after it, or -1. */
function matchToken(key: string, p: number, t: Token): number {
  if (t.odd) {
    const s = t.norm;
    return key.startsWith(s, p) ? p + s.length : -1;
  }
  const text = t.text;
  for (let c = t.start; c < t.end; c++, p++) {
    const d = text.charCodeAt(c);
    if (key.charCodeAt(p) !== (d < TABLE_END ? NORM_CODE[d] : normCode(d))) return -1;
  }
  return p;
}

/** Whether key r of an index is tokens i … i+k-1 joined by single spaces (compared in place, no string built). */
function keyIsTokens(ix: HashIndex, row: number, tokens: Token[], i: number, k: number): boolean {
  const blob = ix.blob;
  let p = matchToken(blob, ix.offsets[row] as number, tokens[i] as Token);
  for (let w = 1; w < k && p >= 0; w++) {
    if (blob.charCodeAt(p) !== 32) return false;
    p = matchToken(blob, p + 1, tokens[i + w] as Token);
  }
  return p === (ix.offsets[row + 1] as number) - 1;
}

/** Row of the key made of tokens i … i+k-1 (hash h), or -1. */
function lookupTokens(ix: HashIndex, h: number, tokens: Token[], i: number, k: number): number {
  const b = filterBit(h, ix.filterMask);
  if (((ix.filter[b >>> 5] as number) & (1 << (b & 31))) === 0) return -1;
  const table = ix.table;
  let slot = h & ix.mask;
  for (;;) {
    const row = table[2 * slot] as number;
    if (row === -1) return -1;
    if (table[2 * slot + 1] === h && keyIsTokens(ix, row, tokens, i, k)) return row;
    slot = (slot + 1) & ix.mask;
  }
}

/**
 * Words of the text, by a hand-written scanner (a Unicode-class regex or a lower-cased copy of the
 * text costs more than the lookups). Each word's key hash is computed in the same pass through
 * normCode; words with other special characters (stress marks, accented Latin) are normalized and
 * hashed apart. Words starting with a digit are skipped: they are never names, and the gap they
 * leave keeps n-grams from spanning them.
 */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (wordChar(c) === 0) {
      i++;
      continue;
    }
    const start = i;
    let h = FNV_OFFSET;
    let odd = false;
    for (;;) {
      while (i < n) {
        const d = text.charCodeAt(i);
        const w = wordChar(d);
        if (w === 0) break;
        if (w === 2) odd = true; // hashed again from the normalized word below
        h = Math.imul(h ^ (d < TABLE_END ? (NORM_CODE[d] as number) : d), 16777619);
        i++;
      }
      // a joiner continues the word only between two word characters
      if (i + 1 < n) {
        const j = text.charCodeAt(i);
        if (isJoiner(j)) {
          const d = text.charCodeAt(i + 1);
          if (wordChar(d) !== 0) {
            h = Math.imul(h ^ normCode(j), 16777619);
            i++;
            continue;
          }
        }
      }
      break;
    }
    if (isDigit(c)) continue;
    let end = i;
    const latin = c < 0x400;
    // English possessive: "Kharkiv's Saltivskyi district"
    if (latin && end - start > 3 && (text.charCodeAt(end - 1) | 32) === 115 && normCode(text.charCodeAt(end - 2)) === 39) {
      end -= 2;
      if (!odd) h = hashRange(text, start, end);
    }
    let norm: string | undefined;
    let capital = isUpper(c);
    if (odd) {
      norm = normalizeToken(text.slice(start, end));
      h = hashOf(norm);
      capital = norm.charCodeAt(0) !== c;
    }
    const t = new Token(text, start, end, h, latin, capital, odd, norm);
    if (end - start <= MAX_CLASS_WORD) t.cls = wordClass(t);
    out.push(t);
  }
  return out;
}

// ------------------------------------------------------------------ word classes

const CLS_DISTRICT_HEAD = 1;
const CLS_HROMADA_HEAD = 2;
const CLS_HEAD_PREFIX = 4;
const CLS_CONJUNCTION = 8;
const CLS_PLURAL_REGION_HEAD = 16;
const CLS_STRONG_CUE = 32;
const CLS_WEAK_CUE = 64;
const CLS_NEEDS_PERIOD = 128;

/** Function words by class, hashed into a small table once: one probe per token replaces several Set lookups of sliced strings. */
interface ClassTable { words: string[]; bits: number[]; table: Int32Array; mask: number }
let classTable: ClassTable | undefined;
const MAX_CLASS_WORD = 24;

function buildClassTable(): ClassTable {
  const words: string[] = [];
  const bits: number[] = [];
  const add = (set: Set<string>, bit: number) => {
    for (const w of set) {
      const at = words.indexOf(w);
      if (at >= 0) bits[at] = (bits[at] as number) | bit;
      else {
        words.push(w);
        bits.push(bit);
      }
    }
  };
  add(DISTRICT_HEADS, CLS_DISTRICT_HEAD);
  add(HROMADA_HEADS, CLS_HROMADA_HEAD);
  add(HEAD_PREFIXES, CLS_HEAD_PREFIX);
  add(CONJUNCTIONS, CLS_CONJUNCTION);
  add(PLURAL_REGION_HEADS, CLS_PLURAL_REGION_HEAD);
  add(STRONG_CUES, CLS_STRONG_CUE);
  add(WEAK_CUES, CLS_WEAK_CUE);
  add(new Set([...NEEDS_PERIOD, 'с']), CLS_NEEDS_PERIOD);
  const size = 1024;
  const table = new Int32Array(2 * size).fill(-1);
  for (let r = 0; r < words.length; r++) {
    const h = hashOf(words[r] as string);
    let slot = h & (size - 1);
    while (table[2 * slot] !== -1) slot = (slot + 1) & (size - 1);
    table[2 * slot] = r;
    table[2 * slot + 1] = h;
  }
  return { words, bits, table, mask: size - 1 };
}

function wordClass(t: Token): number {
  const ct = (classTable ??= buildClassTable());
  let slot = t.hash & ct.mask;
  for (;;) {
    const row = ct.table[2 * slot] as number;
    if (row === -1) return 0;
    if (ct.table[2 * slot + 1] === t.hash && matchToken(ct.words[row] as string, 0, t) === (ct.words[row] as string).length) return ct.bits[row] as number;
    slot = (slot + 1) & ct.mask;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 160 || c === 9 || c === 0x202f;
}

/** Only spaces (and the period of "обл.") between two tokens of one name. */
function joinable(text: string, a: Token, b: Token): boolean {
  if (b.start <= a.end) return false;
  for (let i = a.end; i < b.start; i++) {
    const c = text.charCodeAt(i);
    if (!isSpace(c) && !(c === 46 && i === a.end && b.start - a.end <= 2)) return false;
  }
  return true;
}

/** The gap between two tokens is a comma (with spaces). */
function commaGap(text: string, a: Token, b: Token): boolean {
  let commas = 0;
  for (let i = a.end; i < b.start; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) commas++;
    else if (!isSpace(c)) return false;
  }
  return commas === 1;
}

// ------------------------------------------------------------------ districts

const DISTRICT_HEADS = new Set([
  'район', 'района', 'району', 'районом', 'районе', 'районы', 'районов', 'районам', 'районами', 'районах', 'райони', 'районів', 'районі',
  'округ', 'округа', 'округу', 'округом', 'округе', 'округи', 'округов', 'округам', 'округах', 'округів', 'окрузі',
  'district', 'districts', 'raion', 'raions', 'rayon', 'okrug', 'municipality',
]);
const HROMADA_HEADS = new Set(['громада', 'громади', 'громаді', 'громаду', 'громадою', 'громад', 'громадах', 'hromada', 'community']);
const HEAD_PREFIXES = new Set([
  'городской', 'городского', 'городскому', 'городским', 'городском', 'муниципальный', 'муниципального', 'муниципальному', 'муниципальным',
  'муниципальном', 'муниципальные', 'муниципальных', 'городские', 'городских', 'міський', 'міського', 'міському', 'міським', 'міська', 'міської',
  'міській', 'територіальна', 'територіальної', 'територіальній', 'територіальну', 'територіальною', 'територіальні', 'територіальних',
  'сільська', 'сільської', 'сільській', 'селищна', 'селищної', 'селищній', 'municipal', 'urban', 'territorial', 'city',
]);
const CONJUNCTIONS = new Set(['и', 'і', 'та', 'й', 'and']);

interface DistrictHit { end: number; ids: number[]; hromada: boolean; elided?: boolean }

/** Stems a word can have as a district adjective: Cyrillic inflected, Latin "-sky/-skyi", or a plain Latin name. */
function stemsOf(t: Token, strict = false): string[] {
  if (t.latin) {
    const ls = latinAdjectiveStem(t.norm);
    return ls ? [ls, t.norm] : strict ? [] : [t.norm];
  }
  return adjectiveStems(t.norm, strict ? 2 : 1);
}

function firstStemTargets(idx: Index, stems: string[]): number[] | undefined {
  for (const stem of stems) {
    const ids = stemTargets(idx, stem);
    if (ids) return ids;
  }
  return undefined;
}

/** Index of the head word after token `after` ("район", "городского округа", "urban district"), or -1. */
function headAfter(text: string, tokens: Token[], after: number): { at: number; hromada: boolean } | undefined {
  const a = tokens[after] as Token;
  let h = after + 1;
  let head = tokens[h];
  if (!head) return undefined;
  if ((head.cls & (CLS_HEAD_PREFIX | CLS_DISTRICT_HEAD | CLS_HROMADA_HEAD)) === 0) return undefined;
  if (!joinable(text, a, head)) return undefined;
  // up to two words before the head: "городского округа", "міська територіальна громада"
  for (let extra = 0; extra < 2 && head.cls & CLS_HEAD_PREFIX; extra++) {
    const next = tokens[h + 1];
    if (!next || !joinable(text, head, next)) return undefined;
    h++;
    head = next;
  }
  if (head.cls & CLS_DISTRICT_HEAD) return { at: h, hromada: false };
  if (head.cls & CLS_HROMADA_HEAD) return { at: h, hromada: true };
  return undefined;
}

/** A district phrase starting at token i: adjective + head ("Кингисеппского района"), or a Latin name of 1–2 words + head. */
function matchDistrict(idx: Index, text: string, tokens: Token[], i: number): DistrictHit | undefined {
  const t = tokens[i] as Token;
  if (t.latin) {
    const second = tokens[i + 1];
    if (second && joinable(text, t, second)) {
      const head2 = headAfter(text, tokens, i + 1);
      if (head2) {
        // "Bila Tserkva district", "Novhorod-Siverskyi district"
        const ls = latinAdjectiveStem(second.norm);
        const ids = firstStemTargets(idx, ls ? [`${t.norm} ${ls}`, `${t.norm} ${second.norm}`] : [`${t.norm} ${second.norm}`]);
        if (ids) return { end: head2.at, ids, hromada: head2.hromada };
      }
    }
  }
  const head = headAfter(text, tokens, i);
  if (!head) return undefined;
  const ids = firstStemTargets(idx, stemsOf(t));
  return ids ? { end: head.at, ids, hromada: head.hromada } : undefined;
}

const AREA_SUFFIX = /^(.*)(щина|щини|щині|щину|щиною|чина|чини|чині|чину|чиною)$/;

/** "-щина" areas of a district centre: "на Нікопольщині" → Nikopol district (oblast names are regions, matched first). */
function matchArea(idx: Index, t: Token, i: number): DistrictHit | undefined {
  if (t.latin || t.end - t.start < 7 || !hasAreaInfix(t)) return undefined;
  const m = AREA_SUFFIX.exec(t.norm);
  if (!m) return undefined;
  // "-щина" names of raion areas are a Ukrainian usage: only Ukrainian districts ("мужчина" is no area)
  const ids = firstStemTargets(idx, [(m[1] as string) + 'ськ', (m[1] as string) + 'ск'])?.filter((id) => placeAt(idx, id).region?.startsWith('UA'));
  return ids?.length ? { end: i, ids, hromada: false } : undefined;
}

/** "щин"/"чин" in the word (any case), checked on the text before the word is copied. */
function hasAreaInfix(t: Token): boolean {
  const text = t.text;
  for (let c = t.start + 2; c < t.end - 3; c++) {
    const x = normCode(text.charCodeAt(c));
    if ((x === 0x449 || x === 0x447) && normCode(text.charCodeAt(c + 1)) === 0x438 && normCode(text.charCodeAt(c + 2)) === 0x43d) return true;
  }
  return false;
}

const hromadas = new Map<number, PlaceEntry>();

/**
 * The hromada (territorial community) named after a district centre: "Марганецька громада" →
 * Marhanets hromada, at the centre's coordinates. Made from the district entry on first use.
 */
function hromadaOf(idx: Index, districtId: number): PlaceEntry | undefined {
  const cached = hromadas.get(districtId);
  if (cached) return cached;
  const centreId = centreOf(idx, districtId);
  if (centreId === undefined) return undefined;
  const district = placeAt(idx, districtId);
  const centre = placeAt(idx, centreId);
  const feminine = (name: string | undefined, ending: string) => name?.split(' ')[0]?.replace(/(ий|ій|ый|ой)$/, ending);
  const entry: PlaceEntry = { key: `sup:hromada-${centre.key.replace(/^[a-z]+:/, '')}`, kind: 'district', name: `${centre.name} hromada`, region: centre.region };
  const uk = feminine(district.nameUk, 'а');
  const ru = feminine(district.nameRu, 'ая');
  if (uk) entry.nameUk = `${uk} громада`;
  if (ru) entry.nameRu = `${ru} громада`;
  if (centre.lat !== undefined) entry.lat = centre.lat;
  if (centre.lon !== undefined) entry.lon = centre.lon;
  if (centre.population) entry.population = centre.population;
  hromadas.set(districtId, entry);
  return entry;
}

function districtCandidates(idx: Index, hit: DistrictHit, rc: RankContext): Candidate[] {
  if (hit.hromada) {
    // hromadas exist in Ukraine only
    const ua = hit.ids.filter((id) => placeAt(idx, id).region?.startsWith('UA'));
    const entries = (ua.length ? ua : hit.ids).map((id) => hromadaOf(idx, id) ?? placeAt(idx, id));
    const scored = entries.map((place) => ({ place, score: HOW_SCORE['hromada of its centre'] + contextScore(place.region, rc) + (place.population ? Math.log10(place.population + 1) : 0) }));
    scored.sort((a, b) => b.score - a.score);
    return scored.slice(0, MAX_CANDIDATES).map(({ place, score }) => new RankedCandidate(place, Math.round(score * 100) / 100, 'hromada of its centre', rc));
  }
  const targets: number[] = [];
  for (const id of hit.ids) if (!targets.includes(id)) targets.push(id);
  const how: How = hit.elided ? 'district adjective, head word elided' : 'district adjective';
  return buildCandidates(idx, targets, targets.map(() => how), rc);
}

// ------------------------------------------------------------------ cues

/** Settlement-type words and locative phrases after which a name is surely a place. */
const STRONG_CUES = new Set([
  // ru
  'г', 'гор', 'город', 'города', 'городе', 'городу', 'городом', 'пос', 'п', 'пгт', 'рп', 'поселок', 'поселка', 'поселке', 'поселку', 'поселком',
  'село', 'села', 'селе', 'селу', 'селом', 'д', 'дер', 'деревня', 'деревни', 'деревне', 'деревню', 'х', 'хут', 'хутор', 'хутора', 'хуторе',
  'ст', 'станица', 'станицы', 'станице', 'нп', 'мкр', 'микрорайон', 'микрорайоне', 'районе', 'окрестностях', 'окрестности', 'мыс', 'мыса',
  'мысе', 'акватории', 'акваторией', 'акватория', 'акваторії', 'акваторією', 'аэродром', 'аэродрома', 'аэродроме', 'направлении', 'направлениях', 'пункта', 'пункте', 'пункт',
  // uk
  'м', 'місто', 'міста', 'місті', 'місту', 'містом', 'с', 'селі', 'смт', 'селище', 'селища', 'селищі', 'селищем', 'районі', 'околиці',
  'околицях', 'напрямку', 'напрямків', 'напрямках', 'напрямі', 'мис', 'мису', 'аеродром', 'аеродрому', 'аеродромі', 'пункті', 'пункту',
  // en
  'town', 'city', 'village', 'settlement', 'cape', 'port', 'airfield', 'outskirts',
]);
/** Prepositions: a place is likely but not sure ("в мире", "над звоном"). */
const WEAK_CUES = new Set([
  'в', 'во', 'у', 'на', 'над', 'под', 'під', 'біля', 'около', 'возле', 'близ', 'поблизу', 'неподалеку', 'неподалік', 'из', 'із', 'з', 'зі',
  'со', 'от', 'від', 'до', 'к', 'ко', 'по', 'через', 'між', 'между', 'напротив', 'near', 'in', 'over', 'at', 'outside', 'from', 'to',
  'towards', 'around', 'of',
]);
/** Abbreviations count as settlement-type cues only with their period: "г. Курск", "с. Козинка" ("с начала" is a preposition). */
const NEEDS_PERIOD = new Set(['г', 'п', 'д', 'х', 'ст', 'м', 'с', 'пос', 'гор', 'дер', 'хут']);

type Cue = 'strong' | 'weak' | 'none';

function cueBefore(text: string, tokens: Token[], i: number, prevEnd: number, prevCue: boolean): Cue {
  const prev = tokens[i - 1];
  if (!prev) return 'none';
  const cur = tokens[i] as Token;
  if (cur.start - prev.end > 4) return 'none';
  let period = false;
  let comma = false;
  let colon = false;
  for (let k = prev.end; k < cur.start; k++) {
    const c = text.charCodeAt(k);
    if (c === 46) period = true;
    else if (c === 44) comma = true;
    else if (c === 58) colon = true;
    else if (!isSpace(c)) return 'none';
  }
  // "із напрямків: Орел, Курськ"
  const cls = prev.cls;
  if (colon) return cls & CLS_STRONG_CUE && !comma && !period ? 'strong' : 'none';
  // a list continues a cued mention: "з напрямків Курськ, Орел, Міллерово"
  if (prev.end === prevEnd && comma && prevCue) return 'strong';
  if (comma) return 'none';
  // abbreviations count only with their period; "с" is also a preposition ("с начала")
  if (cls & CLS_STRONG_CUE && (!(cls & CLS_NEEDS_PERIOD) || period)) return 'strong';
  if (period) return 'none';
  if (cls & CLS_WEAK_CUE || (cls & CLS_NEEDS_PERIOD && prev.end - prev.start === 1 && normCode(text.charCodeAt(prev.start)) === 0x441)) return 'weak';
  // "Курськ та Орел": a conjunction right after a cued mention carries the cue
  if (cls & CLS_CONJUNCTION && prevCue && prevEnd >= 0 && prev.start - prevEnd <= 2) return 'strong';
  return 'none';
}

function isSentenceStart(text: string, start: number): boolean {
  for (let i = start - 1; i >= 0; i--) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\u00a0' || c === '"' || c === '«' || c === '(' || c === '„' || c === '“' || c === '*' || c === '•' || c === '-' || c === '–' || c === '—' || c === "'") continue;
    return c === '.' || c === '!' || c === '?' || c === '\n' || c === '…' || c === ':';
  }
  return true;
}

// ------------------------------------------------------------------ scan

interface RawMatch { start: number; end: number; tokenStart: number; tokenEnd: number; key: string; cue: boolean; common?: boolean; region?: RegionEntry; refs?: Ref[]; district?: DistrictHit; ranked?: Candidate[] }

const MAX_WORDS = 5;

/** n-gram hashes of the current start token, reused (no array per token) */
const gramHashes = new Int32Array(MAX_WORDS);

/**
 * Longest region or place form starting at token i (n-grams up to MAX_WORDS, joined by spaces
 * only). Keys are probed by hash and compared with the text in place; a key string is only
 * taken (the table's own) on a hit.
 */
function formMatch(idx: Index, text: string, tokens: Token[], i: number): RawMatch | undefined {
  const t = tokens[i] as Token;
  if (t.end - t.start < 2 || (t.odd && t.norm.length < 2)) return undefined;
  const h0 = t.hash;
  const fw = lookupTokens(idx.firstWords, h0, tokens, i, 1);
  const maxWords = fw < 0 ? 1 : Math.min(MAX_WORDS, idx.firstWordMax[fw] as number, tokens.length - i);
  gramHashes[0] = h0;
  let n = 1;
  for (; n < maxWords; n++) {
    const next = tokens[i + n] as Token;
    if (!joinable(text, tokens[i + n - 1] as Token, next)) break;
    gramHashes[n] = next.odd ? hashMore(Math.imul((gramHashes[n - 1] as number) ^ 32, 16777619), next.norm) : continueHash(Math.imul((gramHashes[n - 1] as number) ^ 32, 16777619), next);
  }
  // the longest known key wins
  for (let k = n; k >= 1; k--) {
    const h = gramHashes[k - 1] as number;
    const row = lookupTokens(idx.keys, h, tokens, i, k);
    if (row < 0) continue;
    const m = keyMatch(idx, keyAt(idx.keys, row), h, row, t.start, (tokens[i + k - 1] as Token).end, i, i + k - 1);
    if (m) return m;
  }
  return undefined;
}

/** FNV continued over a plain token's characters read through normCode. */
function continueHash(h: number, t: Token): number {
  const text = t.text;
  for (let c = t.start; c < t.end; c++) {
    const d = text.charCodeAt(c);
    h = Math.imul(h ^ (d < TABLE_END ? (NORM_CODE[d] as number) : normCode(d)), 16777619);
  }
  return h;
}

function keyMatch(idx: Index, key: string, h: number, row: number, start: number, end: number, tokenStart: number, tokenEnd: number): RawMatch | undefined {
  if (row < idx.regionCount) {
    if (!idx.yieldToTowns.has(key)) return { start, end, tokenStart, tokenEnd, key, cue: true, region: idx.regionOfRow[row] as RegionEntry };
    const refs = refsOf(idx, key, h);
    return refs ? { start, end, tokenStart, tokenEnd, key, cue: false, refs } : undefined;
  }
  const formIx = row - idx.regionCount;
  const rawRefs = idx.formRefs[formIx] as string;
  const refs = (idx.parsedRefs[formIx] ??= parseRefs(rawRefs));
  // 'c': the form is also an ordinary word (see isCommonForm)
  return { start, end, tokenStart, tokenEnd, key, cue: false, common: rawRefs.charCodeAt(0) === 99, refs };
}

function longestMatch(idx: Index, text: string, tokens: Token[], i: number): RawMatch | undefined {
  const best = formMatch(idx, text, tokens, i);
  const t = tokens[i] as Token;
  const district = matchDistrict(idx, text, tokens, i) ?? (best ? undefined : matchArea(idx, t, i));
  if (district && (!best || district.end >= best.tokenEnd)) {
    return { start: t.start, end: (tokens[district.end] as Token).end, tokenStart: i, tokenEnd: district.end, key: '', cue: true, district };
  }
  return best;
}

/** Common words and lower-case Latin need more than a preposition (see the contract). */
function keepPlaceMatch(idx: Index, m: RawMatch, t: Token, text: string, cue: Cue): boolean {
  const capital = t.capital;
  if (t.latin) {
    // English names are written with a capital; common English words need a cue as well
    if (!capital) return false;
    if (m.common ?? isCommonForm(idx, m.key)) return cue !== 'none' || !isSentenceStart(text, t.start);
    return true;
  }
  if (!(m.common ?? isCommonForm(idx, m.key))) return true;
  if (cue === 'strong') return true;
  return capital && !isSentenceStart(text, t.start);
}

/**
 * Adjectives coordinated with a district phrase share its head: "Лискинского, Россошанского и
 * Кантемировского районов", "the Kamensky, Millerovsky and Chertkovsky districts".
 */
function addCoordinated(idx: Index, text: string, tokens: Token[], first: number, hit: DistrictHit, raw: RawMatch[]): void {
  let k = first;
  for (;;) {
    let j = k - 1;
    let tj = tokens[j];
    if (!tj) return;
    if (tj.cls & CLS_CONJUNCTION && joinable(text, tj, tokens[k] as Token)) {
      j--;
      const before = tokens[j];
      if (!before || !joinable(text, before, tj)) return;
      tj = before;
    } else if (!commaGap(text, tj, tokens[k] as Token)) return;
    // one-letter endings are nouns' too ("Новошахтинске"); Ukrainian feminine "-ська громади" needs them
    const ids = firstStemTargets(idx, stemsOf(tj, !hit.hromada));
    if (!ids) return;
    const m: RawMatch = { start: tj.start, end: tj.end, tokenStart: j, tokenEnd: j, key: '', cue: true, district: { end: j, ids, hromada: hit.hromada } };
    const at = raw.findIndex((r) => r.tokenStart <= j && r.tokenEnd >= j);
    if (at >= 0) {
      if ((raw[at] as RawMatch).district || (raw[at] as RawMatch).region) return;
      raw[at] = m;
    } else raw.push(m);
    k = j;
  }
}

/**
 * Cheap test before adjectiveStems: a district adjective's stem ends in к, н or в, followed by an
 * ending of two to four letters ("Дарницькому", "Кировском").
 */
function mayBeAdjective(t: Token): boolean {
  if (t.end - t.start < 5) return false;
  for (let back = 3; back <= 5; back++) {
    const c = normCode(t.text.charCodeAt(t.end - back));
    if (c === 0x43a || c === 0x43d || c === 0x432) return true;
  }
  return false;
}

/**
 * A district adjective standing alone after a district phrase of the same region: "У Дарницькому
 * районі …, у Деснянському — …". Only capitalised adjectives whose district lies in a region the
 * text's district phrases already point to are taken.
 */
function addElided(idx: Index, tokens: Token[], raw: RawMatch[], rc: RankContext): void {
  const districtRegions = new Set<string>();
  for (const r of raw) {
    if (!r.district) continue;
    const top = (r.ranked ??= districtCandidates(idx, r.district, rc))[0];
    if (top?.place.region) districtRegions.add(top.place.region);
  }
  if (districtRegions.size === 0) return;
  const covered = new Uint8Array(tokens.length);
  for (const r of raw) for (let k = r.tokenStart; k <= r.tokenEnd; k++) covered[k] = 1;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as Token;
    if (covered[k] || t.latin || !t.capital || !mayBeAdjective(t)) continue;
    const stems = adjectiveStems(t.norm, 2);
    if (stems.length === 0) continue;
    const ids = firstStemTargets(idx, stems);
    if (!ids) continue;
    const inRegion = ids.filter((id) => districtRegions.has(placeAt(idx, id).region ?? ''));
    if (inRegion.length === 0) continue;
    raw.push({ start: t.start, end: t.end, tokenStart: k, tokenEnd: k, key: '', cue: true, district: { end: k, ids: inRegion, hromada: false, elided: true } });
  }
}

const PLURAL_REGION_HEADS = new Set(['regions', 'oblasts', 'provinces']);

/** Token after `at` is "regions"/"oblasts", joined by spaces only. */
function pluralRegionHead(text: string, tokens: Token[], at: number): boolean {
  const next = tokens[at + 1];
  return !!next && (next.cls & CLS_PLURAL_REGION_HEAD) !== 0 && joinable(text, tokens[at] as Token, next);
}

/** The region an English town name stands for before "region": "Kursk" → Kursk Oblast. */
function englishRegionOf(idx: Index, key: string): RegionEntry | undefined {
  return regionFor(idx, key + ' region') ?? regionFor(idx, key + ' oblast');
}

/**
 * Coordinated names before a plural head share it: "the Belgorod, Kursk and Voronezh regions" names
 * three regions, not three towns. `m` is the last name; the earlier ones are already in `raw`, each
 * separated from the next by a comma, "and", or ", and". Returns false (nothing changed) when `m`
 * itself is no region's name.
 */
function takeEnglishRegionList(idx: Index, text: string, tokens: Token[], m: RawMatch, raw: RawMatch[]): boolean {
  const last = englishRegionOf(idx, m.key);
  if (!last) return false;
  const head = tokens[m.tokenEnd + 1] as Token;
  const list: RawMatch[] = [{ start: m.start, end: head.end, tokenStart: m.tokenStart, tokenEnd: m.tokenEnd + 1, key: m.key, cue: true, region: last }];
  let nextStart = m.tokenStart;
  for (let r = raw.length - 1; r >= 0; r--) {
    const prev = raw[r] as RawMatch;
    if (!prev.refs || prev.tokenEnd >= nextStart || !tokens[prev.tokenStart]?.latin) break;
    if (!listGap(text, tokens, prev.tokenEnd, nextStart)) break;
    const region = englishRegionOf(idx, prev.key);
    if (!region) break;
    raw[r] = { start: prev.start, end: prev.end, tokenStart: prev.tokenStart, tokenEnd: prev.tokenEnd, key: prev.key, cue: true, region };
    nextStart = prev.tokenStart;
  }
  raw.push(...list);
  return true;
}

/** Between tokens a and b of a list: a comma, "and", or ", and". */
function listGap(text: string, tokens: Token[], a: number, b: number): boolean {
  if (b === a + 1) return commaGap(text, tokens[a] as Token, tokens[b] as Token);
  if (b !== a + 2) return false;
  const mid = tokens[a + 1] as Token;
  if (mid.norm !== 'and' || !joinable(text, mid, tokens[b] as Token)) return false;
  return joinable(text, tokens[a] as Token, mid) || commaGap(text, tokens[a] as Token, mid);
}

function inTextOrder(raw: RawMatch[]): boolean {
  for (let k = 1; k < raw.length; k++) if ((raw[k] as RawMatch).start < (raw[k - 1] as RawMatch).start) return false;
  return true;
}

/**
 * Every region, settlement, district and water mention in text order, longest match first.
 * Common words that are also place names are kept only after a settlement-type cue ("г.",
 * "села", "в районе") or when capitalised away from a sentence start.
 */
export function scanText(text: string, ctx?: ResolveContext): Mention[] {
  const idx = load();
  const tokens = tokenize(text);
  const raw: RawMatch[] = [];
  let prevEnd = -1;
  let prevCue = false;
  for (let i = 0; i < tokens.length; i++) {
    const m = longestMatch(idx, text, tokens, i);
    if (!m) continue;
    const t = tokens[i] as Token;
    const cue = cueBefore(text, tokens, i, prevEnd, prevCue);
    if (!m.region && !m.district && !keepPlaceMatch(idx, m, t, text, cue)) continue;
    if (m.district) addCoordinated(idx, text, tokens, i, m.district, raw);
    if (!m.region && !m.district) m.cue = cue !== 'none';
    if (t.latin && m.refs && pluralRegionHead(text, tokens, m.tokenEnd) && takeEnglishRegionList(idx, text, tokens, m, raw)) {
      prevEnd = (raw[raw.length - 1] as RawMatch).end;
      prevCue = true;
      i = m.tokenEnd;
      continue;
    }
    raw.push(m);
    prevEnd = m.end;
    prevCue = m.cue;
    i = m.tokenEnd;
  }
  const textRegions: string[] = [];
  for (const r of raw) if (r.region && !textRegions.includes(r.region.code)) textRegions.push(r.region.code);
  const rc = rankContext(ctx, textRegions);
  if (raw.some((r) => r.district)) addElided(idx, tokens, raw, rc);
  // matches come in text order except those added behind (coordinated, elided adjectives)
  if (!inTextOrder(raw)) raw.sort((a, b) => a.start - b.start);
  const out: Mention[] = [];
  const ranked: Array<Candidate[] | undefined> = raw.map((r) => (r.region ? undefined : (r.ranked ?? (r.district ? districtCandidates(idx, r.district, rc) : candidatesFromRefs(idx, r.refs as Ref[], rc)))));
  // namesakes lean towards the regions of the text's unambiguous places ("Марганецька, Покровська громади")
  const near: string[] = [];
  for (const c of ranked) {
    const top = c?.[0];
    const second = c?.[1];
    if (top?.place.region && (!second || top.score - second.score >= 10) && !near.includes(top.place.region)) near.push(top.place.region);
  }
  const rcNear: RankContext | undefined = near.length ? { ctx: rc.ctx, text: rc.text, channel: rc.channel, countries: rc.countries, near } : undefined;
  raw.forEach((r, k) => {
    const surface = text.slice(r.start, r.end);
    if (r.region) {
      out.push({ kind: 'region', start: r.start, end: r.end, surface, region: r.region });
      return;
    }
    let candidates = ranked[k] as Candidate[];
    if (rcNear && candidates.length > 1) candidates = r.district ? districtCandidates(idx, r.district, rcNear) : candidatesFromRefs(idx, r.refs as Ref[], rcNear);
    const top = candidates[0];
    if (top) out.push({ kind: top.place.kind, start: r.start, end: r.end, surface, candidates, cue: r.cue });
  });
  return out;
}

// ------------------------------------------------------------------ resolve

const LEADING_CUE = /^(?:the |акватори[яиюей]{1,2} |акваторі[яїюєю]{1,2} |г\. ?|г |гор\. ?|город |с\. ?|село |пос\. ?|поселок |пгт |смт |м\. ?|місто |мис |мыс |cape |town of |village of |city of )/;
const PARENTHESIS = /^(.*?)\s*\(([^()]*)\)$/;

/**
 * Ranked candidates for one span ("Малоярославца", "Кингисеппский район", "Kirov",
 * "Donetsk (Rostov Oblast)"); [] when the gazetteer does not know it.
 */
/** span → key for spans seen before (the same strings come again and again); bounded. */
const keyCache = new Map<string, string>();

function keyOf(span: string): string {
  let key = keyCache.get(span);
  if (key === undefined) {
    key = normalizeKey(span);
    if (key.endsWith('.')) key = key.slice(0, -1);
    if (keyCache.size >= 50_000) keyCache.clear();
    keyCache.set(span, key);
  }
  return key;
}

export function resolve(span: string, ctx?: ResolveContext): Candidate[] {
  const idx = load();
  let key = keyOf(span);
  // a region's own form ("Крым", "Київщину") names the region, not a village or district of that name:
  // findRegion is the door for it (the federal cities stay settlements here)
  if (isRegionForm(idx, key)) return [];
  const refs = refsOf(idx, key);
  if (refs) return candidatesFromRefs(idx, refs, rankContext(ctx));
  const paren = PARENTHESIS.exec(key);
  if (paren) {
    // "Donetsk (Rostov Oblast)": the bracket names the region
    const region = findRegion(paren[2] as string);
    key = paren[1] as string;
    if (region) ctx = { ...ctx, regions: [...(ctx?.regions ?? []), region.code] };
  }
  const rc = rankContext(ctx);
  for (let attempt = 0; attempt < 2; attempt++) {
    const found = refsOf(idx, key);
    if (found) return candidatesFromRefs(idx, found, rc);
    const tokens = tokenize(key);
    if (tokens.length >= 2) {
      const hit = matchDistrict(idx, key, tokens, 0);
      if (hit && hit.end === tokens.length - 1) return districtCandidates(idx, hit, rc);
    }
    if (tokens.length === 1) {
      const t = tokens[0] as Token;
      const area = matchArea(idx, t, 0);
      if (area) return districtCandidates(idx, area, rc);
      // a district adjective written without its head: "Суражский", "Ніжинський"
      if (t.latin ? latinAdjectiveStem(t.norm) : /(ский|цкий|ський|цький|зький)$/.test(t.norm)) {
        const ids = firstStemTargets(idx, stemsOf(t));
        if (ids) return districtCandidates(idx, { end: 0, ids, hromada: false, elided: true }, rc);
      }
    }
    const stripped = key.replace(LEADING_CUE, '');
    if (stripped === key) break;
    key = stripped;
  }
  return [];
}
