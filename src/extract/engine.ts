/**
 * The rule engine: normalized text → tokens and sentences → geographic spans → count mentions
 * (a number with its drone noun, a breakdown item, "ещё два") → one draft record per mention with
 * its outcome, region and places → refiners over the whole post (breakdown totals, corrections,
 * debris sentences, duplicates). Pure and deterministic; every step is linear in the text.
 */
import type { Outcome, PlaceRef, RegionSource } from '../domain/incident.js';
import type { Lang } from '../domain/post.js';
import { findGeo, type GeoSpan } from './geo.js';
import {
  agreementOf,
  APPROX_PHRASES,
  DRONE_TYPES,
  isAlertWord,
  isCountryWord,
  isDamageWord,
  isDebrisWord,
  isModifier,
  isMoreWord,
  isNotDroneAfter,
  isNotDroneBefore,
  isRestWord,
  isVagueWord,
  ITEM_FILLERS,
  tokenDroneWord,
  tokenOutcome,
  SUBSET_PHRASES,
  TALLY_PHRASES,
} from './lexicon.js';
import { normalizeText } from './normalize.js';
import { isNumberWord, parseNumberAt, type ParsedNumber } from './numbers.js';
import { findPeriod, type Period } from './period.js';
import { regionByCode, type RegionEntry } from './places.js';
import { splitSentences, tokenize, type Sentence, type Token } from './tokens.js';

export interface EngineInput {
  text: string;
  lang: Lang;
  date: string;
  channelRegion?: string;
}

/** A record before it is dressed as an IncidentRecord (index.ts). */
export interface Draft {
  /** Token index of the count, for text order. */
  pos: number;
  sentence: number;
  count: number | null;
  approx: boolean;
  outcome: Outcome;
  droneType: string | null;
  region: RegionEntry | null;
  regionSource: RegionSource;
  places: PlaceRef[];
  period?: Period;
  /** Evidence: character range in the text (the sentence, or the count's own clause when the sentence is long). */
  evStart: number;
  evEnd: number;
  rule: string;
}

/** 'subset' marks a count that is part of another ("в том числе 4"): no record, but it ends the segment before it. */
type MentionKind = 'head' | 'item' | 'more' | 'rest' | 'debris' | 'repel' | 'subset';

interface CountMention {
  kind: MentionKind;
  /** First token of the mention (approx words, "ещё", "по" included) and the anchor token. */
  start: number;
  anchor: number;
  end: number;
  value: number | null;
  approx: boolean;
  /** The number is written; false for "a drone" / "беспилотник" (1) and plurals (null). */
  written: boolean;
  droneType: string | null;
  /** "по семь": the count applies to each region named. */
  distributive: boolean;
  /** "в результате атаки БПЛА", "drone attack": the drone is named as the cause of an attack. */
  attackFrame: boolean;
  /** Preceded by "итого", "всего", "in total". */
  totalWord: boolean;
  /** "не 7, а 9": the corrected count. */
  corrected?: number;
  outcome?: Outcome;
  isTotal?: boolean;
  /** The total this count is a part of: its outcome and drone type hold for the part when it states none. */
  listOf?: CountMention;
  /** A subset's own number ("из них 20 – над ..."): when the items after it add up to the total, it is the first item. */
  partValue?: number;
  /** The kind a subset takes when it turns out to be the first item of a breakdown. */
  partKind?: MentionKind;
}

interface Cue {
  k: number;
  outcome: Outcome;
  /** A noun like "атака" that names an attack rather than stating an outcome. */
  weak: boolean;
}

interface Analysis {
  text: string;
  lang: Lang;
  tokens: Token[];
  sentences: Sentence[];
  geo: GeoSpan[];
  /** Spans of each sentence, and the span starting at each token (indexes keep the rules linear). */
  geoBySentence: GeoSpan[][];
  geoByStart: Map<number, GeoSpan>;
  /** Sentence index of each token. */
  sentenceOf: number[];
  input: EngineInput;
}

const OUTCOME_RANK: Record<Outcome, number> = { destroyed: 6, suppressed: 5, crashed: 4, launched: 3, hit: 2, unknown: 1 };
const CONJUNCTIONS = new Set(['и', 'та', 'і', 'й', 'and', 'or', 'або', 'или', '/', ',', 'а']);
const ATTACK_NOUNS = /^(атак(а|и|у|ой|ою|ами|ах)?|удар(а|у|ом|ами|ов|ів|ах)?|attacks?|strikes?)$/u;
const STRIKE_COUNT_NOUNS = /^(удар(ів|и|ов|а)|влучан(ня|ь))$/u;
const CAUSE_WORDS = new Set(['результате', 'внаслідок', 'наслідок', 'наслідками', 'после', 'після', 'від', 'от', 'під', 'под', 'after', 'following', 'under', 'ходе', 'час']);
const TOTAL_WORDS = new Set(['итого', 'всего', 'усього', 'всього', 'загалом', 'total', 'altogether', 'общей']);
const ATTEMPT_STEMS = ['попытк', 'спроб', 'attempt'];
/** hasTrackWord's answers, per sentence object (sentences live as long as their analysis). */
const trackWordSentences = new WeakMap<Sentence, boolean>();
/** "курсом на", "курс на"; as a stem it would also match "Курской". */
const TRACK_WORDS = new Set(['курс', 'курсом', 'курсу']);
const TRACK_STEMS = ['рух', 'зайшл', 'зайшов', 'летят', 'летять', 'heading', 'flying', 'движ', 'напрямку', 'направлении'];
const HEADING_MAX_TOKENS = 4;

/** Runs every rule over one post's text. */
export function runEngine(input: EngineInput): Draft[] {
  const text = normalizeText(input.text);
  const tokens = tokenize(text);
  if (tokens.length === 0) return [];
  // Most posts of a channel are not about drones: no drone word, no record, no place lookup.
  if (!mayReportDrones(tokens)) return [];
  const sentences = splitSentences(tokens);
  const geo = findGeo(text, tokens, sentences, input.channelRegion ? { lang: input.lang, channelRegion: input.channelRegion } : { lang: input.lang });
  // Russian posts say where drones came from ("с территории Украины") without being launch reports,
  // and a regional channel's "випустив шахеди з Криму" is its own region's attack, not the country's tally.
  if (input.lang !== 'ru' && !input.channelRegion) promoteLaunchSources(tokens, sentences, geo);
  const a: Analysis = { text, lang: input.lang, tokens, sentences, geo, input, ...indexGeo(tokens, sentences, geo) };

  const drafts: Draft[] = [];
  const sentenceMentions: CountMention[][] = [];
  for (let si = 0; si < sentences.length; si++) {
    const mentions = !mayHaveMention(a, si) || skipSentence(a, si) ? [] : findMentions(a, si);
    sentenceMentions.push(mentions);
  }
  markTotals(a, sentenceMentions);
  const state: PostState = { lastRegion: null, headingPlaces: [], headingSentence: -1, countryWide: geo.some((g) => g.role === 'launch'), carried: [], carriedSentence: -1, carriedStrike: false };
  for (let si = 0; si < sentences.length; si++) {
    updateHeading(a, si, state);
    const made = draftsForSentence(a, si, sentenceMentions[si] ?? [], state);
    drafts.push(...made);
    const attached = attachSentence(a, si, sentenceMentions[si] ?? [], drafts);
    trackRegion(a, si, state, made);
    // Places a damage sentence gave to an earlier record are that record's, not the next count's.
    if (attached) state.carried = [];
    else carryPlaces(a, si, sentenceMentions[si] ?? [], state);
  }
  return refine(drafts);
}

function indexGeo(tokens: Token[], sentences: Sentence[], geo: GeoSpan[]): Pick<Analysis, 'geoBySentence' | 'geoByStart' | 'sentenceOf'> {
  const geoBySentence: GeoSpan[][] = sentences.map(() => []);
  const geoByStart = new Map<number, GeoSpan>();
  for (const g of geo) {
    geoBySentence[g.sentence]?.push(g);
    geoByStart.set(g.from, g);
  }
  const sentenceOf: number[] = new Array<number>(tokens.length);
  for (let si = 0; si < sentences.length; si++) {
    const s = sentences[si] as Sentence;
    for (let k = s.from; k < s.to; k++) sentenceOf[k] = si;
  }
  return { geoBySentence, geoByStart, sentenceOf };
}

/** Whether any token is a drone word or an "attack repelled" phrase; cheap, before any place lookup. */
/**
 * Whether a sentence can hold a count mention at all: a drone word, a number (digits or a word),
 * an "attack repelled" stem. Most sentences of a post ("Пострадавших нет.") have none, and are
 * then not read token by token again.
 */
function mayHaveMention(a: Analysis, si: number): boolean {
  const s = a.sentences[si] as Sentence;
  for (let k = s.from; k < s.to; k++) {
    const t = a.tokens[k] as Token;
    if (t.kind === 'num') return true;
    if (t.kind !== 'word') continue;
    if (tokenDroneWord(t) || isNumberWord(t.low) || isRepelWord(t.low)) return true;
  }
  return false;
}

function mayReportDrones(tokens: Token[]): boolean {
  for (const t of tokens) {
    if (t.kind !== 'word') continue;
    if (tokenDroneWord(t) || t.low.startsWith('летательн') || t.low.startsWith('літальн')) return true;
    if (isRepelWord(t.low)) return true;
  }
  return false;
}

const REPEL_STEMS = ['отраз', 'отраж', 'відбил', 'відбит', 'repel'];
const REPEL_INITIALS = new Set(REPEL_STEMS.map((stem) => stem.charCodeAt(0)));

/** "отразили", "відбито", "repelled"; asked of every word, so the first letter is checked before the stems. */
function isRepelWord(w: string): boolean {
  return REPEL_INITIALS.has(w.charCodeAt(0)) && startsWithAny(w, REPEL_STEMS);
}

/** A plain loop: `stems.some(st => w.startsWith(st))` allocated a closure per token. */
function startsWithAny(w: string, stems: readonly string[]): boolean {
  for (let i = 0; i < stems.length; i++) if (w.startsWith(stems[i] as string)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Sentences that give no record

/** Cumulative tallies, alerts without an outcome, and "an attempt ... was prevented" framings. */
function skipSentence(a: Analysis, si: number): boolean {
  const s = a.sentences[si] as Sentence;
  let alert = false;
  let attempt = false;
  let strongOutcome = false;
  for (let k = s.from; k < s.to; k++) {
    const w = (a.tokens[k] as Token).low;
    if (TALLY_PHRASES.matchAt(a.tokens, k, s.to)) return true;
    if (isAlertWord(w)) alert = true;
    if (!attempt && startsWithAny(w, ATTEMPT_STEMS)) attempt = true;
    const o = tokenOutcome(a.tokens[k] as Token);
    if (o && o !== 'hit') strongOutcome = true;
  }
  if (alert && !strongOutcome) return true;
  // "Попытка ... атаку с использованием БПЛА ... пресечена": the framing; the next sentence counts.
  if (attempt && !hasNumberBeforeDrone(a, s)) return true;
  return false;
}

function hasNumberBeforeDrone(a: Analysis, s: Sentence): boolean {
  for (let k = s.from + 1; k < s.to; k++) {
    if (tokenDroneWord(a.tokens[k] as Token) && (a.tokens[k - 1] as Token).kind === 'num') return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Count mentions

interface Head {
  start: number;
  end: number;
  number: 'sg' | 'pl' | '?';
  type: string | null;
}

/** Drone nouns of a sentence, multi-word heads joined, adjacent heads ("Shahed drones", "(UAVs)") merged. */
function findHeads(a: Analysis, s: Sentence): Head[] {
  const heads: Head[] = [];
  const t = a.tokens;
  for (let k = s.from; k < s.to; k++) {
    const tok = t[k] as Token;
    if (tok.kind !== 'word') continue;
    const d = tokenDroneWord(tok);
    if (!d) continue;
    let end = k + 1;
    let number = d.number;
    if (d.needs) {
      const n1 = t[end];
      if (!n1 || n1.kind !== 'word') continue;
      if (n1.low.startsWith(d.needs[0] as string)) {
        end++;
        const second = d.needs[1];
        if (second !== undefined) {
          const n2 = t[end];
          if (n2 && n2.low.startsWith(second)) end++;
          else if (!(d.needs[0] === 'летательн' || d.needs[0] === 'літальн')) continue;
        }
      } else if (d.needs.length === 2 && n1.low.startsWith(d.needs[1] as string)) {
        end++;
      } else continue;
      const last = t[end - 1] as Token;
      if (/^vehicles?$/.test(last.low)) number = last.low.endsWith('s') ? 'pl' : 'sg';
    }
    // "типа «Герань-2»": a type name after "типа" is not a drone of its own.
    const prev = t[k - 1];
    const prev2 = t[k - 2];
    if (d.type && prev && (isTypeWord(prev.low) || (prev.text === '"' && prev2 && isTypeWord(prev2.low)))) continue;
    // "типу Shahed, Гербера та ...", "Shahed-type": type names listed after a drone noun, or used as modifiers.
    // Quotes around a listed name ("Shahed, «Гербера» та ...") do not end the list.
    let lp = k - 1;
    while (lp > s.from && t[lp]?.text === '"') lp--;
    const listPrev = t[lp];
    if (d.type && listPrev && (listPrev.text === ',' || CONJUNCTIONS.has(listPrev.low)) && heads.length > 0 && !(listPrev.kind === 'num')) continue;
    if (d.type && t[end]?.text === '-' && t[end + 1] && isTypeWord((t[end + 1] as Token).low)) continue;
    // "БПЛА «Герань»": the type names the drone word before it
    if (d.type && prev && prev.text === '"' && prev2 && tokenDroneWord(prev2) && !heads.some((h) => h.end >= k - 2)) continue;
    if (notDroneContext(t, k, s.from)) continue;
    const next = t[end];
    if (next && end < s.to && next.kind === 'word' && isNotDroneAfter(next.low)) continue;
    if (next && next.text === '-' && t[end + 1] && isNotDroneAfter((t[end + 1] as Token).low)) continue;
    const type = d.type ?? null;
    const last = heads[heads.length - 1];
    if (last && adjacentHeads(t, last.end, k)) {
      last.end = end;
      if (number !== '?') last.number = number;
      last.type = last.type ?? type;
    } else {
      heads.push({ start: k, end, number, type });
    }
    k = end - 1;
  }
  return heads;
}

/** "расчеты ударных БПЛА", "морских дронов": a unit, a production site or a naval drone, a few modifiers back. */
function notDroneContext(t: Token[], k: number, floor: number): boolean {
  for (let j = k - 1; j >= Math.max(floor, k - 3); j--) {
    const tok = t[j] as Token;
    if (tok.kind === 'word' && isNotDroneBefore(tok.low)) return true;
    if (!isModifier(tok)) return false;
  }
  return false;
}

function isTypeWord(low: string): boolean {
  return low === 'типа' || low === 'типу' || low === 'type' || low === 'тип';
}

/** Only quotes, brackets or a hyphen between two drone words: one mention ("Shahed drones", "UAVs (drones)"). */
function adjacentHeads(t: Token[], prevEnd: number, k: number): boolean {
  if (k === prevEnd) return true;
  for (let j = prevEnd; j < k; j++) {
    const x = t[j] as Token;
    if (x.kind !== 'punct' || !(x.text === '(' || x.text === '"' || x.text === '-' || x.text === ')')) return false;
  }
  return k - prevEnd <= 2;
}

/** Numbers of a sentence keyed by their end token. */
function numbersOf(a: Analysis, s: Sentence): Map<number, ParsedNumber> {
  const byEnd = new Map<number, ParsedNumber>();
  for (let k = s.from; k < s.to; k++) {
    const tok = a.tokens[k] as Token;
    if (tok.kind !== 'num' && tok.kind !== 'word') continue;
    const n = parseNumberAt(a.tokens, k);
    if (!n) continue;
    const end = Math.min(n.end, s.to);
    byEnd.set(end, end === n.end ? n : { ...n, end });
    k = end - 1;
  }
  return byEnd;
}

function phraseEndsAt(a: Analysis, end: number, phrase: readonly string[], floor: number): boolean {
  const start = end - phrase.length;
  if (start < floor) return false;
  for (let j = 0; j < phrase.length; j++) if ((a.tokens[start + j] as Token).low !== phrase[j]) return false;
  return true;
}

/** Approximation words right before token `k`; returns the new start. */
function approxBefore(a: Analysis, k: number, floor: number): number {
  for (const p of APPROX_PHRASES) if (phraseEndsAt(a, k, p, floor)) return k - p.length;
  return -1;
}

const SUBSET_TOKENS = SUBSET_PHRASES.map((p) => p.replace(/\./g, ' . ').split(/\s+/).filter(Boolean));

/** "в том числе", "из них", "including" within a few tokens before k (same clause). */
function subsetBefore(a: Analysis, k: number, floor: number): boolean {
  for (let end = k; end >= Math.max(floor, k - 3); end--) {
    for (const p of SUBSET_TOKENS) if (phraseEndsAt(a, end, p, floor)) return true;
    const tok = a.tokens[end - 1];
    if (tok && tok.kind === 'punct' && tok.text !== '-' && tok.text !== '"') break;
  }
  return false;
}

/** "of which 58 were shot down": a subset that states an outcome of its own is a count, not a breakdown by type. */
function outcomeFollows(a: Analysis, k: number, s: Sentence): boolean {
  for (let j = k; j < Math.min(s.to, k + 5); j++) {
    const tok = a.tokens[j] as Token;
    if (tok.kind === 'punct' && tok.text !== '-') return false;
    const o = tokenOutcome(tok);
    if (o && o !== 'hit' && !ATTACK_NOUNS.test(tok.low)) return true;
  }
  return false;
}

function outcomeBefore(a: Analysis, k: number, s: Sentence): boolean {
  for (let j = k - 1; j >= Math.max(s.from, k - 2); j--) {
    const o = tokenOutcome(a.tokens[j] as Token);
    if (o && o !== 'hit') return true;
  }
  return false;
}

/** "60 з них", "10 of them" right after a number: a subset. */
function subsetAfter(a: Analysis, k: number): boolean {
  const t1 = a.tokens[k];
  const t2 = a.tokens[k + 1];
  if (!t1 || !t2) return false;
  return ['з', 'із', 'из', 'of'].includes(t1.low) && ['них', 'them', 'which'].includes(t2.low);
}

/** Type phrases by the first two letters of their first word. */
const TYPES_BY_PREFIX = new Map<string, Array<readonly [string[], string]>>();
for (const entry of DRONE_TYPES) {
  const key = (entry[0][0] ?? '').slice(0, 2);
  const list = TYPES_BY_PREFIX.get(key) ?? [];
  list.push(entry);
  TYPES_BY_PREFIX.set(key, list);
}

function droneTypeNear(a: Analysis, from: number, to: number, s: Sentence): string | null {
  const lo = Math.max(s.from, from);
  const hi = Math.min(s.to, to);
  for (let k = lo; k < hi; k++) {
    const tok = a.tokens[k] as Token;
    if (tok.kind !== 'word') continue;
    const candidates = TYPES_BY_PREFIX.get(tok.low.slice(0, 2));
    if (!candidates) continue;
    for (const [phrase, type] of candidates) {
      let ok = true;
      for (let j = 0; j < phrase.length; j++) {
        const t = a.tokens[k + j];
        const part = phrase[j] as string;
        if (!t || k + j >= hi || !(part === '-' ? t.text === '-' : t.low.startsWith(part))) {
          ok = false;
          break;
        }
      }
      if (ok) return type;
    }
  }
  return null;
}

function findMentions(a: Analysis, si: number): CountMention[] {
  const s = a.sentences[si] as Sentence;
  const t = a.tokens;
  const nums = numbersOf(a, s);
  const used = new Set<ParsedNumber>();
  const out: CountMention[] = [];

  for (const h of findHeads(a, s)) {
    const m = headMention(a, s, h, nums, used);
    if (m) out.push(m);
  }

  // Numbers with no drone noun of their own: breakdown items, "ещё два", "10 were shot down".
  for (const n of nums.values()) {
    if (used.has(n) || n.notCount) continue;
    const m = bareMention(a, s, n);
    if (m) out.push(m);
  }
  // "the rest hit", "остальные упали"
  for (let k = s.from; k < s.to; k++) {
    const tok = t[k] as Token;
    if (tok.kind === 'word' && isRestWord(tok.low) && out.some((m) => m.kind !== 'subset')) {
      const next = t[k + 1];
      if (next && tokenOutcome(next)) out.push({ kind: 'rest', start: k, anchor: k, end: k + 1, value: null, approx: false, written: false, droneType: null, distributive: false, attackFrame: false, totalWord: false });
    }
  }
  if (out.length === 0) {
    const repel = repelledAttack(a, s);
    if (repel) out.push(repel);
  }
  out.sort((x, y) => x.anchor - y.anchor);
  return out;
}

const NOT_DRONE_WEAPONS = /^(ракет|missile|rocket|снаряд|артилер|артиллер|бомб|каб|himars|atacms|storm|шторм|іскандер|искандер)/u;

/**
 * "ПВО отразили ночью атаку в Каменске, ..." with no weapon named: governors' shorthand for a
 * drone attack repelled (a missile attack says so: "ракетная атака"). Count unknown.
 */
function repelledAttack(a: Analysis, s: Sentence): CountMention | null {
  let at = -1;
  for (let k = s.from; k < s.to; k++) {
    const tok = a.tokens[k] as Token;
    if (NOT_DRONE_WEAPONS.test(tok.low)) return null;
    if (at < 0 && /^(отраз|отраж|відбил|відбит|repel)/u.test(tok.low)) {
      for (let j = k + 1; j <= Math.min(s.to - 1, k + 3); j++) if (/^(атак|attack)/u.test((a.tokens[j] as Token).low)) at = k;
    }
  }
  if (at < 0) return null;
  return { kind: 'repel', start: at, anchor: at, end: at + 1, value: null, approx: false, written: false, droneType: null, distributive: false, attackFrame: false, totalWord: false };
}

function headMention(a: Analysis, s: Sentence, h: Head, nums: Map<number, ParsedNumber>, used: Set<ParsedNumber>): CountMention | null {
  const t = a.tokens;
  let p = h.start;
  let n: ParsedNumber | undefined;
  let article = false;
  for (let steps = 0; steps < 6 && p > s.from; steps++) {
    n = nums.get(p);
    if (n) break;
    const prev = t[p - 1] as Token;
    if (prev.low === 'a' || prev.low === 'an') {
      article = true;
      break;
    }
    if (!isModifier(prev)) break;
    p--;
  }
  if (!n) n = nums.get(p);
  if (!n) n = partitiveNumber(t, p, s, nums);
  // "5 ударів безпілотників", "3 удари FPV-дронами": each strike is a drone that struck.
  if (!n && p > s.from + 1 && STRIKE_COUNT_NOUNS.test((t[p - 1] as Token).low)) n = nums.get(p - 1);
  let start = n ? n.start : p;
  let value: number | null = null;
  let approx = false;
  let written = false;
  let corrected: number | undefined;
  if (n && !n.notCount) {
    used.add(n);
    // "не 7, а 9 БПЛА": the number before is the corrected-away one.
    const before = t[n.start - 1];
    if (before && before.low === 'не') return null;
    if ((subsetBefore(a, n.start, s.from) || subsetAfter(a, n.end)) && !outcomeFollows(a, h.end, s)) return subsetMention(n.start, h.end, n.value, 'head');
    value = n.value;
    written = true;
    const ap = approxBefore(a, n.start, s.from);
    if (ap >= 0) {
      approx = true;
      start = ap;
    } else {
      const elliptic = ellipticPlaceBefore(a, s, n.start, h.end);
      if (elliptic >= 0) start = elliptic;
    }
    if (before && before.low === 'а' && t[n.start - 2]?.text === ',') {
      const neg = findNegatedNumber(a, s, n.start - 2);
      if (neg !== null) corrected = neg;
    }
  } else if (n && n.notCount) {
    return null;
  } else {
    if (subsetBefore(a, p, s.from)) return null;
    if (article) value = 1;
    const lead = t[h.start - 1];
    // "the drones", "these drones": a drone already counted.
    if (lead && (lead.low === 'the' || lead.low === 'these' || lead.low === 'those') && h.number !== 'sg') return null;
    if (hasVagueBefore(a, s, h.start)) {
      value = null;
    } else if (!article) {
      value = singularValue(a, s, h);
    }
  }
  const attackFrame = isAttackFrame(a, s, h);
  if (attackFrame && !written && /^(attacks?|strikes?|and)$/.test(t[h.end]?.low ?? '')) value = null;
  const prevTok = t[start - 1];
  const totalWord = prevTok !== undefined && TOTAL_WORDS.has(prevTok.low);
  const debris = isDebrisMention(a, s, h.start);
  const m: CountMention = {
    kind: debris ? 'debris' : 'head',
    start,
    anchor: n && written ? n.start : h.start,
    end: h.end,
    value,
    approx,
    written,
    droneType: h.type ?? droneTypeNear(a, h.start - 4, h.end + 5, s),
    distributive: false,
    attackFrame,
    totalWord,
  };
  if (corrected !== undefined) m.corrected = corrected;
  return m;
}

const PARTITIVE = new Set(['из', 'з', 'із', 'зі', 'of']);

/** "один из дронов", "два з дронів", "one of the drones": the number before "из" counts the drones named after it. */
function partitiveNumber(t: Token[], p: number, s: Sentence, nums: Map<number, ParsedNumber>): ParsedNumber | undefined {
  let k = p - 1;
  if (t[k]?.low === 'the' && k > s.from) k--;
  if (k - 1 < s.from || !PARTITIVE.has((t[k] as Token).low)) return undefined;
  // numbers are keyed by the token after them
  const q = nums.get(k);
  return q && !q.notCount ? q : undefined;
}

function subsetMention(start: number, end: number, partValue?: number, partKind: MentionKind = 'item'): CountMention {
  const m: CountMention = { kind: 'subset', start, anchor: start, end, value: null, approx: false, written: true, droneType: null, distributive: false, attackFrame: false, totalWord: false };
  if (partValue !== undefined) {
    m.partValue = partValue;
    m.partKind = partKind;
  }
  return m;
}

/** "не 7, а 9": the number after "не" before the comma at `comma`. */
function findNegatedNumber(a: Analysis, s: Sentence, comma: number): number | null {
  for (let k = comma - 1; k >= Math.max(s.from, comma - 3); k--) {
    const tok = a.tokens[k] as Token;
    if (tok.low === 'не' || tok.low === 'not') {
      const n = parseNumberAt(a.tokens, k + 1);
      return n ? n.value : null;
    }
  }
  return null;
}

function hasVagueBefore(a: Analysis, s: Sentence, k: number): boolean {
  for (let j = k - 1; j >= Math.max(s.from, k - 4); j--) {
    const tok = a.tokens[j] as Token;
    if (tok.kind === 'word' && isVagueWord(tok.low)) return true;
    if (tok.kind === 'punct' && tok.text !== '"' && tok.text !== '-') return false;
  }
  return false;
}

/** A drone noun with no number: singular → 1, plural → null; "БПЛА" reads the words around it. */
function singularValue(a: Analysis, s: Sentence, h: Head): number | null {
  if (h.number === 'sg') return 1;
  if (h.number === 'pl') return null;
  const t = a.tokens;
  // "атаки БПЛА", "атакував БпЛА": drones named as the means of an attack, number unknown.
  for (let k = h.start - 1; k >= Math.max(s.from, h.start - 3); k--) {
    const tok = t[k] as Token;
    if (ATTACK_NOUNS.test(tok.low)) return null;
    const o = tokenOutcome(tok);
    if ((o === 'hit' || o === 'launched') && !tok.low.startsWith('ударн')) return null;
    if (!isModifier(tok)) break;
  }
  // "з БпЛА", "from drones", "с помощью БПЛА": the drones as a means, number unknown.
  const before = t[h.start - 1];
  if (before && /^(з|із|зі|с|со|из|от|від|by|with|from|помощью|допомогою)$/.test(before.low)) return null;
  for (const k of [h.start - 1, h.end, h.start - 2, h.end + 1]) {
    if (k < s.from || k >= s.to) continue;
    const tok = t[k] as Token;
    if (tok.kind !== 'word') continue;
    const ag = agreementOf(tok);
    if (ag === 'sg') return 1;
    if (ag === 'pl') return null;
  }
  return 1;
}

function isAttackFrame(a: Analysis, s: Sentence, h: Head): boolean {
  const t = a.tokens;
  for (let k = h.start - 1; k >= Math.max(s.from, h.start - 3); k--) {
    const tok = t[k] as Token;
    if (ATTACK_NOUNS.test(tok.low)) return true;
    if (!isModifier(tok)) break;
  }
  const next = t[h.end];
  return next !== undefined && /^(attacks?|strikes?|and)$/.test(next.low) && (next.low !== 'and' || /^(artillery|missile)$/.test(t[h.end + 1]?.low ?? ''));
}

/** "обломки беспилотника", "уламки БпЛА", "debris from a drone": the drone is named as debris. */
function isDebrisMention(a: Analysis, s: Sentence, k: number): boolean {
  for (let j = k - 1; j >= Math.max(s.from, k - 5); j--) {
    const tok = a.tokens[j] as Token;
    if (tok.kind === 'word' && isDebrisWord(tok.low)) return true;
    if (tok.kind === 'punct' && tok.text !== '"' && tok.text !== '-') return false;
  }
  return false;
}

/** A number with no drone noun: breakdown item ("12 – над ..."), "ещё два сбиты", "10 were shot down". */
function bareMention(a: Analysis, s: Sentence, n: ParsedNumber): CountMention | null {
  const t = a.tokens;
  const prev = t[n.start - 1];
  let start = n.start;
  let distributive = false;
  let more = false;
  let approx = false;
  // "including 40 over the Bryansk region", "в том числе 4 ...": part of another count
  if (subsetBefore(a, n.start, s.from) && !outcomeFollows(a, n.end, s)) return subsetMention(n.start, n.end, n.value);
  // "сбито 6 БПЛА, в Дзержинске - 2": after a full clause, "в X - N" is another item of the same outcome.
  const elliptic = ellipticPlaceBefore(a, s, n.start, n.end);
  if (elliptic >= 0) return { kind: 'item', start: elliptic, anchor: n.start, end: n.end, value: n.value, approx: false, written: true, droneType: null, distributive: false, attackFrame: false, totalWord: false };
  if (prev && n.start - 1 >= s.from) {
    if (prev.low === 'по') {
      distributive = true;
      start--;
    } else if (isMoreWord(prev.low)) {
      more = true;
      start--;
    } else if (prev.low === 'не' || prev.low === 'not') {
      return null;
    } else {
      const ap = approxBefore(a, n.start, s.from);
      if (ap >= 0) {
        approx = true;
        start = ap;
      } else if (prev.kind === 'word' && !tokenOutcome(prev) && !CONJUNCTIONS.has(prev.low) && !/^(according|ministry|министерств|міністерств)/.test(prev.low) && !/^(which|them|них|которых|яких)$/.test(prev.low) && prev.low !== 'these') {
        // "на 12 локаціях", "с 8", "о 5": a number governed by a preposition or noun is not a count.
        if (!prev.low.endsWith('ов') || prev.low.length < 4) return null;
      }
    }
  }
  if (subsetBefore(a, start, s.from) && !outcomeFollows(a, n.end, s)) return subsetMention(start, n.end, n.value);
  // "знешкодили 10 із них": the outcome said right before makes "of them" a count, not a breakdown.
  const ofThem = subsetAfter(a, n.end);
  if (ofThem && !outcomeFollows(a, n.end, s) && !outcomeBefore(a, start, s)) return subsetMention(start, n.end);
  // "four each over the Oryol and Tula regions": the English distributive follows the number.
  let end = n.end;
  if (!distributive && t[end]?.low === 'each' && end < s.to) {
    distributive = true;
    end++;
  }
  const mention: CountMention = { kind: 'item', start, anchor: n.start, end, value: n.value, approx, written: true, droneType: null, distributive, attackFrame: false, totalWord: false };
  if (ofThem) {
    mention.kind = 'more';
    return mention;
  }
  // Look right for the place it is counted at, or the verb that says what happened to it.
  let j = end;
  let steps = 0;
  while (j < s.to && steps < 6) {
    const tok = t[j] as Token;
    const g = geoStartingAt(a, j);
    if (g && g.role !== 'source' && g.role !== 'launch') return mention;
    if (tokenOutcome(tok) && (more || steps <= 2) && !ATTACK_NOUNS.test(tok.low)) {
      mention.kind = 'more';
      return mention;
    }
    // "ще 10 локаційно втрачені", "ещё два, по предварительным данным, сбиты": after "ещё" the verb may wait a few words
    if (!ITEM_FILLERS.has(tok.low) && !(tok.kind === 'punct' && (tok.text === '-' || tok.text === ':')) && !(more && tok.kind === 'word' && steps < 4)) break;
    j++;
    steps++;
  }
  return null;
}

const ELLIPSIS_PREPOSITIONS = new Set(['в', 'во', 'у', 'над', 'на', 'під', 'под', 'in', 'over', 'near']);
const ELLIPSIS_OPENERS = new Set([',', ';', 'и', 'і', 'й', 'та', 'а', 'and']);

/**
 * "..., в Дзержинске - 2 (БПЛА)", "..., над Сумщиною - 3": a count right after "place -", opened by a comma
 * or conjunction, closing its clause, after an outcome said earlier in the sentence. Returns the
 * first token of the item (the preposition), or -1.
 */
function ellipticPlaceBefore(a: Analysis, s: Sentence, numStart: number, end: number): number {
  const t = a.tokens;
  const dash = numStart - 1;
  if (dash <= s.from || t[dash]?.text !== '-') return -1;
  const after = t[end];
  if (end < s.to && after && !(after.kind === 'punct' && after.text !== '-') && !ELLIPSIS_OPENERS.has(after.low)) return -1;
  const si = a.sentenceOf[numStart] ?? 0;
  const g = (a.geoBySentence[si] ?? []).find((x) => x.to === dash);
  if (!g || g.role === 'source' || g.role === 'launch') return -1;
  let p = g.from;
  if (p - 1 > s.from && ELLIPSIS_PREPOSITIONS.has((t[p - 1] as Token).low)) p--;
  const opener = t[p - 1];
  if (p - 1 <= s.from || !opener || !ELLIPSIS_OPENERS.has(opener.low)) return -1;
  for (let k = s.from; k < p - 1; k++) {
    const tok = t[k] as Token;
    const o = tokenOutcome(tok);
    if (o && o !== 'launched' && !ATTACK_NOUNS.test(tok.low)) return p;
  }
  return -1;
}

function geoStartingAt(a: Analysis, k: number): GeoSpan | undefined {
  return a.geoByStart.get(k);
}

/** Spans of the sentence holding token `k` that start in [from, to). */
function geoIn(a: Analysis, from: number, to: number): GeoSpan[] {
  const si = a.sentenceOf[Math.min(from, a.tokens.length - 1)] ?? 0;
  return (a.geoBySentence[si] ?? []).filter((g) => g.from >= from && g.from < to);
}

// ---------------------------------------------------------------------------------------------
// Breakdown totals

/** A count followed by a colon list, or whose value the following counts add up to, is a total. */
function markTotals(a: Analysis, perSentence: CountMention[][]): void {
  const flat: Array<{ m: CountMention; si: number }> = [];
  perSentence.forEach((ms, si) => ms.forEach((m) => flat.push({ m, si })));
  for (let i = 0; i < flat.length; i++) {
    const { m, si } = flat[i] as { m: CountMention; si: number };
    if (m.kind !== 'head' || m.value === null || !m.written) continue;
    if (ownsOneRegion(a, m, perSentence[si] ?? [])) continue;
    const colon = colonListFollows(a, m, perSentence[si] ?? []);
    // A launch count ("запустив 85 ...") is followed by what became of the drones (destroyed,
    // suppressed, hit), which may add up to it but is not a breakdown of it.
    const launch = launchSentence(a, si);
    // "58 ..., из них 20 – над X, 14 – над Y, ...": the subset opens a breakdown when the items add up;
    // otherwise ("в том числе 2 летевших на Москву") it stays a subset and the list is read without it.
    const withOpener = breakdownOf(a, flat, i, launch, perSentence, true);
    const found = withOpener.opener && !(withOpener.parts >= 2 && withOpener.sum === m.value) ? breakdownOf(a, flat, i, launch, perSentence, false) : withOpener;
    if ((colon && found.parts > 0) || (found.parts >= 2 && found.sum === m.value)) {
      m.isTotal = true;
      for (const part of found.members) part.listOf ??= m;
      if (found.opener) {
        found.opener.kind = found.opener.partKind ?? 'item';
        found.opener.value = found.opener.partValue ?? null;
      }
    }
  }
  // The same total said again (a headline over the body) is a total too.
  const totals = flat.filter((f) => f.m.isTotal);
  for (const f of flat) {
    if (f.m.isTotal || f.m.kind !== 'head' || !f.m.written) continue;
    if (totals.some((t) => t.m.value === f.m.value && Math.abs(t.si - f.si) <= 3) && !ownsOneRegion(a, f.m, perSentence[f.si] ?? [])) f.m.isTotal = true;
  }
}

interface Breakdown {
  sum: number;
  parts: number;
  members: CountMention[];
  opener: CountMention | undefined;
}

/** The counts after total `i` that may break it down, up to its value. */
function breakdownOf(a: Analysis, flat: Array<{ m: CountMention; si: number }>, i: number, launch: boolean, perSentence: CountMention[][], allowOpener: boolean): Breakdown {
  const { m, si } = flat[i] as { m: CountMention; si: number };
  const total = m.value as number;
  const out: Breakdown = { sum: 0, parts: 0, members: [], opener: undefined };
  for (let j = i + 1; j < flat.length; j++) {
    const next = flat[j] as { m: CountMention; si: number };
    if (next.si > si + MAX_LIST_SENTENCES || (launch && next.si !== si)) break;
    if (allowOpener && out.parts === 0 && next.m.kind === 'subset' && next.m.partValue !== undefined && next.si === si && next.m.partValue < total) {
      out.opener = next.m;
      out.sum += next.m.partValue;
      out.parts++;
      out.members.push(next.m);
      continue;
    }
    if (out.opener && next.si !== si) break;
    if (next.m.value === null || next.m.kind === 'rest' || next.m.kind === 'subset') continue;
    if (next.m.value === total && out.parts === 0) continue; // the same total said twice (headline, body)
    const add = next.m.distributive ? next.m.value * Math.max(2, distributiveRegions(a, next.m, perSentence[next.si] ?? [])) : next.m.value;
    out.sum += add;
    out.parts++;
    out.members.push(next.m);
    if (out.sum >= total) break;
  }
  return out;
}

/** Sentences a breakdown list may run over (one region per line, each line its own sentence). */
const MAX_LIST_SENTENCES = 8;

function hasOutcomeWord(a: Analysis, s: Sentence): boolean {
  for (let k = s.from; k < s.to; k++) if (tokenOutcome(a.tokens[k] as Token)) return true;
  return false;
}

function launchSentence(a: Analysis, si: number): boolean {
  const s = a.sentences[si] as Sentence;
  for (let k = s.from; k < s.to; k++) if (tokenOutcome(a.tokens[k] as Token) === 'launched') return true;
  return false;
}

/** The mention's own segment names exactly one region or water it is counted over. */
function ownsOneRegion(a: Analysis, m: CountMention, same: CountMention[]): boolean {
  const [from, to] = segmentOf(a, m, same);
  const own = geoIn(a, from, to).filter((g) => g.role === 'loc' && (g.kind === 'region' || g.kind === 'water'));
  return own.length === 1;
}

function colonListFollows(a: Analysis, m: CountMention, same: CountMention[]): boolean {
  const after = same.find((x) => x.anchor > m.anchor);
  if (!after) return false;
  for (let k = m.end; k < after.start; k++) {
    const tok = a.tokens[k] as Token;
    // a colon, not the one inside a clock time "18:00"
    if (tok.text === ':' && !(a.tokens[k - 1]?.kind === 'num' && a.tokens[k + 1]?.kind === 'num' && a.tokens[k + 1]?.start === tok.end)) return true;
  }
  return false;
}

function distributiveRegions(a: Analysis, m: CountMention, same: CountMention[]): number {
  const [from, to] = segmentOf(a, m, same);
  return geoIn(a, from, to).filter((g) => g.kind === 'region' && g.role === 'loc').length;
}

// ---------------------------------------------------------------------------------------------
// Drafts

interface PostState {
  /** An Air Force style summary (launch areas named): counts are country-wide unless a region is named. */
  countryWide: boolean;
  /** Places of the last sentences that had no count ("тероризувала Марганецьку громаду. Поцілила двома дронами"). */
  carried: PlaceRef[];
  carriedSentence: number;
  /** The carried places' sentence reports an attack or outcome ("Ворог атакував Запоріжжя."), not a dateline. */
  carriedStrike: boolean;
  /** The last region the text named (for counts in later sentences that name none). */
  lastRegion: RegionEntry | null;
  /** Places of a heading line ("Грайворонский округ.") that apply to the sentences under it. */
  headingPlaces: PlaceRef[];
  headingSentence: number;
}

/** The token range a mention owns: from its start to the next mention, the first also takes the sentence's beginning. */
function segmentOf(a: Analysis, m: CountMention, same: CountMention[]): [number, number] {
  const s = a.sentences[a.sentenceOf[m.anchor] ?? 0] as Sentence;
  const idx = same.indexOf(m);
  const prev = idx > 0 ? same[idx - 1] : undefined;
  const next = same[idx + 1];
  const from = prev ? Math.max(prev.end, m.start) : s.from;
  const to = next ? next.start : s.to;
  return [Math.min(from, m.start), Math.max(to, m.end)];
}

function cuesOf(a: Analysis, from: number, to: number): Cue[] {
  const out: Cue[] = [];
  const t = a.tokens;
  for (let k = from; k < to; k++) {
    const tok = t[k] as Token;
    if (tok.kind !== 'word') continue;
    const o = tokenOutcome(tok);
    if (!o) continue;
    if (tok.low.startsWith('ударн') || tok.low.startsWith('атакуюч')) continue;
    const next = t[k + 1];
    // "attack drones", "strike drones": a modifier, not an event.
    if (/^(attack|strike)$/.test(tok.low) && next && tokenDroneWord(next)) continue;
    const weak = ATTACK_NOUNS.test(tok.low);
    if (weak && !attackNounCounts(a, k, from)) continue;
    out.push({ k, outcome: o, weak });
  }
  return groupCues(a, out);
}

/** "в результате атаки", "внаслідок атаки", "атака дрона", "under ... attack": the attack noun reports a strike. */
function attackNounCounts(a: Analysis, k: number, floor: number): boolean {
  for (let j = k - 1; j >= Math.max(floor, k - 6); j--) {
    const w = (a.tokens[j] as Token).low;
    if (CAUSE_WORDS.has(w) || w === 'came') return true;
  }
  for (let j = k + 1; j <= k + 3; j++) {
    const tok = a.tokens[j];
    if (tok && tokenDroneWord(tok)) return true;
  }
  return false;
}

/** "перехвачены и уничтожены", "збито/подавлено", "shot down or suppressed": one event, the strongest outcome. */
function groupCues(a: Analysis, cues: Cue[]): Cue[] {
  const out: Cue[] = [];
  for (const c of cues) {
    const last = out[out.length - 1];
    if (last && c.k - last.k <= 3 && onlyConjunctionsBetween(a, last.k, c.k)) {
      if (OUTCOME_RANK[c.outcome] > OUTCOME_RANK[last.outcome]) last.outcome = c.outcome;
      last.weak = last.weak && c.weak;
      continue;
    }
    out.push({ ...c });
  }
  return out;
}

function onlyConjunctionsBetween(a: Analysis, i: number, j: number): boolean {
  for (let k = i + 1; k < j; k++) {
    const tok = a.tokens[k] as Token;
    if (!(CONJUNCTIONS.has(tok.low) || tok.low === 'down' || tok.low === 'были' || tok.low === 'were')) return false;
  }
  return true;
}

function nearestCue(cues: Cue[], k: number, preferLeft: boolean, allowWeak = false): Cue | undefined {
  let best: Cue | undefined;
  let bestD = Infinity;
  // Once per call, not per cue: a long sentence of weak cues made this cubic (mentions × cues²).
  const skipWeak = !allowWeak && cues.some((x) => !x.weak);
  for (const c of cues) {
    if (c.weak && skipWeak) continue;
    const d = Math.abs(c.k - k) + (preferLeft && c.k > k ? 0.5 : 0);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

function outcomeFor(a: Analysis, s: Sentence, m: CountMention, seg: [number, number], sentCues: Cue[], prevInSentence: Outcome | undefined): Outcome | undefined {
  const segCues = sentCues.filter((c) => c.k >= seg[0] && c.k < seg[1]);
  let cue = nearestCue(segCues, m.anchor, false);
  if (!cue && m.kind === 'item' && prevInSentence) return prevInSentence;
  // A list item on its own line ("17 – над территорией ...") under "перехвачены и уничтожены 64 ...:".
  if (!cue && m.kind === 'item' && m.listOf?.outcome) return m.listOf.outcome;
  if (!cue) cue = nearestCue(sentCues, m.anchor, true);
  let outcome = cue?.outcome;
  if (!outcome) {
    if (m.attackFrame) return 'hit';
    // "▪️ 144 ударні БпЛА ... з напрямків Брянськ, Курськ": a count with launch areas and no verb is the launch count.
    if (m.kind === 'head' && m.written && launchAreasAfter(a, s, m)) return 'launched';
    if (m.kind === 'debris') return 'crashed';
    if (hasTrackWord(a, s)) return 'unknown';
    return undefined;
  }
  // "с помощью FPV-дронов уничтожен танк": drones as the means of a kill are not the ones destroyed.
  if ((outcome === 'destroyed' || outcome === 'suppressed') && m.kind === 'head' && isInstrument(a, m, s)) return undefined;
  // Ukrainian "атакував" with a count is the enemy's launch count; with none it reports a strike.
  if (outcome === 'launched' && cue && /^(атак|attack)/.test((a.tokens[cue.k] as Token).low) && !m.written) outcome = 'hit';
  // "атакував Немишлянський район двома БпЛА" outside a country-wide report is an attack on that place,
  // not a launch tally: a strike stated in the post makes it a hit, otherwise its outcome is unknown.
  else if (outcome === 'launched' && cue && /^(атак|attack)/.test((a.tokens[cue.k] as Token).low) && attackOnNamedPlace(a, s)) outcome = strikeStated(a) ? 'hit' : 'unknown';
  // "attacked Ukraine with 87 drones": a count of drones sent at a whole country is the launch count.
  else if (outcome === 'hit' && cue && m.written && m.kind === 'head' && /^(attack|атак)/.test((a.tokens[cue.k] as Token).low) && countryAfter(a, cue.k, s)) outcome = 'launched';
  if (m.kind === 'debris' && outcome !== 'destroyed' && outcome !== 'suppressed') outcome = 'crashed';
  return outcome;
}

const COUNTRY_OBJECTS = /^(ukraine|україну|украину|russia|росію|россию)$/u;

/** The attack verb's object is a whole country: "attacked Ukraine", "атакували Україну". */
function countryAfter(a: Analysis, k: number, s: Sentence): boolean {
  for (let j = k + 1; j < Math.min(s.to, k + 3); j++) if (COUNTRY_OBJECTS.test((a.tokens[j] as Token).low)) return true;
  return false;
}

/** A settlement or district named as the attack's place, in a post that names no launch areas. */
function attackOnNamedPlace(a: Analysis, s: Sentence): boolean {
  if (a.geo.some((g) => g.role === 'launch')) return false;
  const si = a.sentenceOf[s.from] ?? 0;
  return (a.geoBySentence[si] ?? []).some((g) => (g.role === 'loc' || g.role === 'target') && (g.kind === 'settlement' || g.kind === 'district'));
}

/** Words around a casualty word that say there are none, or none known yet ("постраждалих немає", "щодо постраждалих уточнюється"). */
const NO_DAMAGE_AFTER = new Set(['немає', 'нема', 'нет', 'не', 'уточнюється', 'уточняется', 'уточнюються', 'none', 'no']);
const NO_DAMAGE_BEFORE = new Set(['щодо', 'без', 'про', 'о', 'нет', 'немає', 'no', 'without']);

/** The post says something was struck: "завдав удару", "влучання", damage or casualties. */
function strikeStated(a: Analysis): boolean {
  const t = a.tokens;
  for (let k = 0; k < t.length; k++) {
    const tok = t[k] as Token;
    if (tok.kind !== 'word' || tok.low.startsWith('ударн') || /^(атак|attack)/.test(tok.low)) continue;
    if (tokenOutcome(tok) === 'hit') return true;
    if (isDamageWord(tok.low) && !NO_DAMAGE_AFTER.has(t[k + 1]?.low ?? '') && !NO_DAMAGE_BEFORE.has(t[k - 1]?.low ?? '')) return true;
  }
  return false;
}

/** Launch-area spans ("з напрямків ...", "from the directions of ...") after the mention in its sentence. */
function launchAreasAfter(a: Analysis, s: Sentence, m: CountMention): boolean {
  const si = a.sentenceOf[s.from] ?? 0;
  return (a.geoBySentence[si] ?? []).some((g) => g.role === 'launch' && g.from >= m.end);
}

const INSTRUMENT_WORDS = new Set(['помощью', 'допомогою', 'using', 'применением', 'застосуванням', 'посредством']);

function isInstrument(a: Analysis, m: CountMention, s: Sentence): boolean {
  for (let j = m.start - 1; j >= Math.max(s.from, m.start - 4); j--) {
    const tok = a.tokens[j] as Token;
    if (INSTRUMENT_WORDS.has(tok.low)) return true;
    if (tok.kind === 'punct' && tok.text !== '-' && tok.text !== '"') return false;
  }
  return false;
}

function hasTrackWord(a: Analysis, s: Sentence): boolean {
  // Asked once per mention: remembered per sentence so that a long sentence is scanned once.
  const known = trackWordSentences.get(s);
  if (known !== undefined) return known;
  let found = false;
  for (let k = s.from; k < s.to && !found; k++) {
    const w = (a.tokens[k] as Token).low;
    if (TRACK_WORDS.has(w) || startsWithAny(w, TRACK_STEMS)) found = true;
  }
  trackWordSentences.set(s, found);
  return found;
}

function draftsForSentence(a: Analysis, si: number, mentions: CountMention[], state: PostState): Draft[] {
  const s = a.sentences[si] as Sentence;
  const out: Draft[] = [];
  if (mentions.length === 0) return out;
  const cues = cuesOf(a, s.from, s.to);
  const period = findPeriod(a.tokens, s.from, s.to, a.input.date, a.lang) ?? undefined;
  const sentenceType = mentions.find((m) => m.droneType)?.droneType ?? null;
  let prevOutcome: Outcome | undefined;
  let prevRegion: RegionEntry | null = null;
  // Only a launch count takes the launch areas; most sentences have none to look for.
  let launchPlaces: PlaceRef[] | undefined;
  for (const m of mentions) {
    if (m.kind === 'subset') continue;
    if (m.isTotal) {
      const totalOutcome = outcomeFor(a, s, m, segmentOf(a, m, mentions), cues, undefined);
      if (totalOutcome) m.outcome = totalOutcome;
      m.droneType ??= sentenceType;
      prevOutcome = totalOutcome ?? prevOutcome;
      continue;
    }
    const seg = segmentOf(a, m, mentions);
    const outcome = outcomeFor(a, s, m, seg, cues, prevOutcome);
    if (!outcome) continue;
    prevOutcome = outcome;
    const where = placeOf(a, si, seg, m, state, prevRegion, outcome);
    const listType = m.listOf && m.listOf.outcome === outcome ? m.listOf.droneType : null;
    const droneType = m.droneType ?? (m.kind === 'head' || m.kind === 'debris' ? listType : (sentenceType ?? listType));
    for (const w of where) {
      if (outcome === 'launched') launchPlaces ??= launchAreas(a, si);
      const places = outcome === 'launched' ? [...(state.countryWide ? w.places.filter((p) => p.kind !== 'region') : w.places), ...(launchPlaces ?? [])] : w.places;
      const ev = evidenceRange(a, s, seg);
      // Every field set here, in one order: the refiners then see drafts of one shape.
      const d: DraftExtra = {
        pos: m.anchor,
        sentence: si,
        count: m.value,
        approx: m.approx,
        outcome,
        droneType,
        region: w.region,
        regionSource: w.source,
        places,
        period,
        evStart: ev.evStart,
        evEnd: ev.evEnd,
        rule: ruleName(m),
        corrected: m.corrected,
        more: m.kind === 'more',
        debris: m.kind === 'debris',
        totalWord: m.totalWord,
        implicit: !m.written,
        framing: m.attackFrame && !m.written,
      };
      out.push(d);
    }
    prevRegion = where[0]?.region ?? prevRegion;
  }
  return out;
}

/** The rule that made a record, as provenance names it ("item-each", "head-attack"). */
function ruleName(m: CountMention): string {
  if (!m.distributive && !m.attackFrame) return m.kind;
  return `${m.kind}${m.distributive ? '-each' : ''}${m.attackFrame ? '-attack' : ''}`;
}

const MAX_EVIDENCE = 400;

/** The sentence; for a long one, the count's clause with a little of what leads up to it. */
function evidenceRange(a: Analysis, s: Sentence, seg: [number, number]): { evStart: number; evEnd: number } {
  if (s.end - s.start <= MAX_EVIDENCE) return { evStart: s.start, evEnd: s.end };
  const first = a.tokens[seg[0]] as Token;
  const last = a.tokens[Math.max(seg[0], seg[1] - 1)] as Token;
  let from = seg[0];
  while (from > s.from && first.start - (a.tokens[from - 1] as Token).start < 120) from--;
  const end = Math.min(last.end, (a.tokens[from] as Token).start + MAX_EVIDENCE);
  return { evStart: (a.tokens[from] as Token).start, evEnd: Math.max(end, first.end) };
}

/** Flags the refiners read; not part of the record. */
interface DraftExtra extends Draft {
  corrected?: number;
  more?: boolean;
  debris?: boolean;
  totalWord?: boolean;
  implicit?: boolean;
  framing?: boolean;
}

function launchAreas(a: Analysis, si: number): PlaceRef[] {
  const out: PlaceRef[] = [];
  const regions: RegionEntry[] = [];
  for (const g of a.geoBySentence[si] ?? []) {
    if (g.role !== 'launch') continue;
    if (g.place) out.push({ ...g.place, kind: 'launch-area' });
    else if (g.region) regions.push(g.region);
  }
  // "з тимчасово окупованого Криму" is a launch area of its own; "мис Чауда – ТОТ Криму" only says where the cape is.
  for (const r of regions) {
    if (out.some((p) => p.region === r.code)) continue;
    out.push({ ...regionPlace(r, a.lang, undefined), kind: 'launch-area' });
  }
  return dedupePlaces(out);
}

/**
 * An Air Force report may name launch areas with no "з напрямків" list: "запустив 40 БпЛА з
 * тимчасово окупованого Криму". Places the drones came from in a launch sentence are launch areas.
 */
function promoteLaunchSources(tokens: Token[], sentences: Sentence[], geo: GeoSpan[]): void {
  let si = -1;
  let launch = false;
  for (const g of geo) {
    if (g.role !== 'source') continue;
    if (g.sentence !== si) {
      si = g.sentence;
      const s = sentences[si] as Sentence;
      launch = false;
      for (let k = s.from; k < s.to && !launch; k++) if (tokenOutcome(tokens[k] as Token) === 'launched') launch = true;
    }
    if (launch) g.role = 'launch';
  }
}

interface Where {
  region: RegionEntry | null;
  source: RegionSource;
  places: PlaceRef[];
}

/** A region named among others for one count (rule 2); an English post keeps its own spelling as the local name. */
function regionPlace(r: RegionEntry, lang: Lang, surface: string | undefined): PlaceRef {
  // An English post's own words name the region ("Crimea", "Kursk Oblast"), but not a list's bare
  // names and plural ("the Bryansk, Smolensk and Kursk regions"): those take the region's English name.
  const own = surface?.replace(/^the\s+/i, '');
  const bare = own !== undefined && (/\s(regions|oblasts|provinces|krais)$/i.test(own) || r.name.startsWith(`${own} `));
  const nameLocal = lang === 'uk' ? r.nameUk : lang === 'ru' ? r.nameRu : own && !bare ? own : r.name;
  return { name: r.name, nameLocal, kind: 'region', resolved: true, region: r.code };
}

/** The region and places of a mention: its own segment first, then its sentence, the post, the channel. */
function placeOf(a: Analysis, si: number, seg: [number, number], m: CountMention, state: PostState, prevRegion: RegionEntry | null, outcome: Outcome): Where[] {
  const inSeg = (a.geoBySentence[si] ?? []).filter((g) => g.from >= seg[0] && g.from < seg[1]);
  const regions: RegionEntry[] = [];
  const regionSurfaces = new Map<string, string>();
  const targets: RegionEntry[] = [];
  const places: PlaceRef[] = [];
  for (const g of inSeg) {
    if (g.kind === 'region' && g.region) {
      if (g.role === 'loc' && !regions.some((r) => r.code === g.region?.code)) {
        regions.push(g.region);
        regionSurfaces.set(g.region.code, g.surface);
      }
      else if (g.role === 'target') targets.push(g.region);
    } else if (g.place && (g.role === 'loc' || (g.role === 'target' && g.kind !== 'settlement'))) {
      places.push(g.place);
    }
  }
  if (m.distributive && regions.length >= 2) {
    return regions.map((r) => ({ region: r, source: 'text' as const, places: [] }));
  }
  const waters = places.filter((p) => p.kind === 'water');
  // A count over a sea and a region at once, or over several regions: no one region (rule 2).
  if (regions.length >= 1 && waters.length > 0) {
    return [{ region: null, source: 'text', places: dedupePlaces([...places, ...regions.map((r) => regionPlace(r, a.lang, regionSurfaces.get(r.code)))]) }];
  }
  if (places.length > 0 && state.carriedStrike && places.every((p) => p.kind === 'district')) places.push(...cityOfDistricts(places, carriedPlaces(a, si, state)));
  // An Air Force launch count is country-wide; regions near it name missile targets or origins.
  if (state.countryWide && outcome === 'launched') return [{ region: null, source: 'none', places: [] }];
  if (regions.length === 1) {
    const r = regions[0] as RegionEntry;
    return [{ region: r, source: 'text', places: withHeading(state, places.filter((p) => !sameAsRegion(p, r))) }];
  }
  if (regions.length >= 2) {
    return [{ region: null, source: 'text', places: dedupePlaces([...places, ...regions.map((r) => regionPlace(r, a.lang, regionSurfaces.get(r.code)))]) }];
  }
  if (waters.length > 0 && waters.length === places.length) return [{ region: null, source: 'text', places }];
  const implied = impliedRegion(places, a.input.channelRegion, state.lastRegion?.code);
  if (implied) return [{ region: implied, source: 'place', places: withHeading(state, places.filter((p) => !sameAsRegion(p, implied))) }];
  if (targets.length > 0) return [{ region: targets[0] as RegionEntry, source: 'text', places: withHeading(state, places) }];
  if (state.countryWide && regions.length === 0) return [{ region: null, source: 'none', places: places.filter((p) => p.kind === 'water') }];
  if (places.length === 0 && sentenceIsCountryWide(a, si)) return [{ region: null, source: 'none', places: withHeading(state, places) }];
  if (places.length === 0 && !state.headingPlaces.length) places.push(...carriedPlaces(a, si, state));
  if (prevRegion) return [{ region: prevRegion, source: 'text', places: withHeading(state, places) }];
  if (state.lastRegion) return [{ region: state.lastRegion, source: 'text', places: withHeading(state, places) }];
  const fromHeading = impliedRegion(state.headingPlaces, a.input.channelRegion, undefined);
  if (fromHeading) return [{ region: fromHeading, source: 'place', places: withHeading(state, places) }];
  if (a.input.channelRegion) {
    const r = regionByCode(a.input.channelRegion);
    if (r) return [{ region: r, source: 'channel', places: withHeading(state, places.filter((p) => !sameAsRegion(p, r))) }];
  }
  return [{ region: null, source: 'none', places: withHeading(state, places) }];
}

/** Places of a heading line join a mention's places unless it names a district of its own. */
function withHeading(state: PostState, ps: PlaceRef[]): PlaceRef[] {
  return dedupePlaces(state.headingSentence >= 0 && !ps.some((p) => p.kind === 'district') ? [...ps, ...state.headingPlaces] : ps);
}

/** A city that is itself a region (Москва, Севастополь, Київ) is not repeated as a place. */
function sameAsRegion(p: PlaceRef, r: RegionEntry): boolean {
  return p.kind === 'region' && p.region === r.code;
}

function impliedRegion(places: PlaceRef[], channelRegion: string | undefined, lastRegion: string | undefined): RegionEntry | null {
  const codes = places.filter((p) => p.region && p.kind !== 'water').map((p) => p.region as string);
  if (codes.length === 0) return null;
  const pick = (channelRegion && codes.includes(channelRegion) ? channelRegion : undefined) ?? (lastRegion && codes.includes(lastRegion) ? lastRegion : undefined) ?? codes[0];
  return pick ? (regionByCode(pick) ?? null) : null;
}

/** sentenceIsCountryWide's answers, per sentence object (asked once per mention: a long sentence of many counts was read again for each). */
const countryWideSentences = new WeakMap<Sentence, boolean>();

function sentenceIsCountryWide(a: Analysis, si: number): boolean {
  const s = a.sentences[si] as Sentence;
  const known = countryWideSentences.get(s);
  if (known !== undefined) return known;
  let found = false;
  for (let k = s.from; k < s.to && !found; k++) if (isCountryWord((a.tokens[k] as Token).low)) found = true;
  countryWideSentences.set(s, found);
  return found;
}

/** What makes two place references the same place. */
function placeKey(p: PlaceRef): string {
  return `${p.kind === 'launch-area' ? 'settlement' : p.kind}|${p.geonameId ?? p.name.toLowerCase()}`;
}

function dedupePlaces(ps: PlaceRef[]): PlaceRef[] {
  if (ps.length < 2) return ps;
  const seen = new Set<string>();
  const out: PlaceRef[] = [];
  for (const p of ps) {
    const key = placeKey(p);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Post context

/** A short line that only names a district ("Грайворонский округ.") heads the sentences under it. */
function updateHeading(a: Analysis, si: number, state: PostState): void {
  const s = a.sentences[si] as Sentence;
  const words = s.to - s.from;
  const geo = (a.geoBySentence[si] ?? []).filter((g) => g.place && g.kind === 'district');
  if (words <= HEADING_MAX_TOKENS && geo.length === 1) {
    state.headingPlaces = geo.map((g) => g.place as PlaceRef);
    state.headingSentence = si;
    return;
  }
  if ((a.tokens[s.from] as Token).nl >= 2 && state.headingSentence !== si - 1) {
    state.headingPlaces = [];
    state.headingSentence = -1;
  }
}

/** Places named in a sentence with no count stay in view for the next sentence. */
function carryPlaces(a: Analysis, si: number, mentions: CountMention[], state: PostState): void {
  if (mentions.length > 0) {
    state.carried = [];
    return;
  }
  const places = (a.geoBySentence[si] ?? []).filter((g) => g.role === 'loc' && g.place && g.kind !== 'region' && g.kind !== 'water').map((g) => g.place as PlaceRef);
  if (places.length > 0) {
    state.carried = places;
    state.carriedSentence = si;
    state.carriedStrike = hasOutcomeWord(a, a.sentences[si] as Sentence);
  }
}

/**
 * "Ворог атакував Запоріжжя. ... по Шевченківському та Олександрівському районах": districts
 * named right after a city, in its region, are the city's; the city joins the record.
 */
function cityOfDistricts(districts: PlaceRef[], carried: PlaceRef[]): PlaceRef[] {
  const regions = new Set(districts.map((p) => p.region));
  // A district the gazetteer does not know ("Западный округ") has no region to disagree with.
  return carried.filter((p) => p.kind === 'settlement' && p.region !== undefined && (regions.has(p.region) || regions.has(undefined)));
}

function carriedPlaces(_a: Analysis, si: number, state: PostState): PlaceRef[] {
  return state.carried.length > 0 && si - state.carriedSentence <= 2 ? state.carried : [];
}

function trackRegion(a: Analysis, si: number, state: PostState, made: Draft[]): void {
  if (state.countryWide) return;
  let named = false;
  for (const g of a.geoBySentence[si] ?? []) {
    if (g.role !== 'loc') continue;
    if (g.kind === 'region' && g.region) {
      state.lastRegion = g.region;
      named = true;
    }
  }
  // "Череповец атакован ... Один из дронов подавлен": with no channel region to fall back on, the
  // region a named place implied holds for the next sentences, as a named region does.
  if (!named && !a.input.channelRegion && !state.lastRegion) {
    const implied = made.find((d) => d.regionSource === 'place' && d.region);
    if (implied?.region && made.every((d) => !d.region || d.region.code === implied.region?.code)) state.lastRegion = implied.region;
    // "Ворог завдав удару по Харкову. … атаку здійснено двома БпЛА": a sentence with no count that
    // names settlements of one region sets the scene for the next ones.
    if (made.length === 0) {
      const codes = new Set<string>();
      for (const g of a.geoBySentence[si] ?? []) {
        if ((g.role === 'loc' || g.role === 'target') && g.kind === 'settlement' && g.placeRegion) codes.add(g.placeRegion);
      }
      const [only] = codes;
      if (codes.size === 1 && only) state.lastRegion = regionByCode(only) ?? null;
    }
  }
}

const AFFECTED_WORDS = /^(affected|sites|cities|towns|villages|settlements|населенн|населених)/;

/**
 * A sentence with no count of its own but with places and debris or damage ("В Мценском районе
 * обломками повреждена кровля") tells where an earlier record's drones came down or struck.
 */
function attachSentence(a: Analysis, si: number, mentions: CountMention[], drafts: Draft[]): boolean {
  if (mentions.length > 0 || drafts.length === 0) return false;
  const s = a.sentences[si] as Sentence;
  upgradeOutcome(a, s, drafts);
  let debris = false;
  let damage = false;
  let affected = false;
  for (let k = s.from; k < s.to; k++) {
    const w = (a.tokens[k] as Token).low;
    if (isDebrisWord(w)) debris = true;
    else if (isDamageWord(w) || tokenOutcome(a.tokens[k] as Token) === 'hit') damage = true;
    if (!affected && AFFECTED_WORDS.test(w)) affected = true;
  }
  if (!debris && !damage && !affected) return false;
  const places = (a.geoBySentence[si] ?? []).filter((g) => g.role === 'loc' && g.place && g.kind !== 'region').map((g) => g.place as PlaceRef);
  if (places.length === 0) return false;
  const target = debris
    ? drafts.findLast((d) => d.outcome === 'destroyed' || d.outcome === 'suppressed' || d.outcome === 'crashed')
    : damage
      ? (drafts.findLast((d) => d.outcome === 'hit') ?? drafts.findLast((d) => d.outcome === 'destroyed'))
      : drafts[drafts.length - 1];
  // "Ворог випустив шахеди ... Внаслідок падіння уламків ...": debris means the launched drones were shot down.
  if (!target && debris) {
    const launched = drafts.findLast((d) => d.outcome === 'launched' && d.count === null);
    if (launched) {
      launched.outcome = 'destroyed';
      launched.places = dedupePlaces([...launched.places, ...places.filter((p) => !launched.region || !p.region || p.region === launched.region.code)]);
      return true;
    }
    return false;
  }
  if (!target) return false;
  // Only places in the record's region (or of unknown region) join it.
  const fitting = places.filter((p) => !target.region || !p.region || p.region === target.region.code);
  target.places = dedupePlaces([...target.places, ...fitting.filter((p) => !(target.region && sameAsRegion(p, target.region)))]);
  return true;
}

const PRONOUNS = new Set(['его', 'их', 'него', 'них', 'його', 'їх', 'нього', 'it', 'them']);
const TARGET_NOUNS = /^(цел(ь|и|ей)|ціл(ь|і|ей)|targets?)$/u;

/**
 * "прилетел дрон. ... сбили его": a later sentence with no count of its own that says the drone
 * (a pronoun) or the targets ("Є збиті цілі") were shot down turns an attack into a shoot-down.
 */
function upgradeOutcome(a: Analysis, s: Sentence, drafts: Draft[]): void {
  const last = drafts[drafts.length - 1] as Draft;
  if (last.outcome !== 'hit' && last.outcome !== 'unknown' && last.outcome !== 'launched') return;
  for (let k = s.from; k < s.to; k++) {
    const tok = a.tokens[k] as Token;
    if (tokenOutcome(tok) !== 'destroyed' || ATTACK_NOUNS.test(tok.low)) continue;
    for (let j = Math.max(s.from, k - 2); j <= Math.min(s.to - 1, k + 2); j++) {
      const w = (a.tokens[j] as Token).low;
      if (PRONOUNS.has(w) || TARGET_NOUNS.test(w)) {
        if (last.outcome === 'launched' || last.count === null || last.count === 1) last.outcome = 'destroyed';
        return;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Refiners over the whole post

function refine(input: Draft[]): Draft[] {
  let drafts = input as DraftExtra[];
  drafts = applyCorrections(drafts);
  drafts = dropTotalWords(drafts);
  drafts = mergeDebris(drafts);
  drafts = absorbUncounted(drafts);
  drafts = dedupe(drafts);
  drafts.sort((x, y) => x.pos - y.pos);
  return drafts;
}

/** "не 7, а 9 БПЛА — ещё два сбиты над X": the two are part of the nine; X goes to the nine. */
function applyCorrections(drafts: DraftExtra[]): DraftExtra[] {
  // Few posts correct a count: the corrected drafts are found once, not looked for from every draft.
  const corrections = drafts.filter((c) => c.corrected !== undefined && c.count !== null);
  if (corrections.length === 0) return drafts;
  const out: DraftExtra[] = [];
  for (const d of drafts) {
    const fixed = d.more ? corrections.find((c) => d.sentence === c.sentence && (c.count as number) - (c.corrected as number) === d.count) : undefined;
    if (fixed) {
      fixed.places = dedupePlaces([...fixed.places, ...d.places]);
      continue;
    }
    out.push(d);
  }
  return out;
}

/** "Итого три": a total over the records already read. */
function dropTotalWords(drafts: DraftExtra[]): DraftExtra[] {
  return drafts.filter((d) => {
    if (!d.totalWord || d.count === null) return true;
    const others = drafts.filter((o) => o !== d && o.outcome === d.outcome && o.count !== null);
    const sum = others.reduce((acc, o) => acc + (o.count as number), 0);
    return !(others.length > 0 && sum === d.count);
  });
}

/** Debris of a drone after a shoot-down is that shoot-down; a singular crash after a record is that drone. */
function mergeDebris(drafts: DraftExtra[]): DraftExtra[] {
  const out: DraftExtra[] = [];
  for (const d of drafts) {
    const isFollowUp = d.debris || (d.outcome === 'crashed' && d.implicit);
    if (isFollowUp) {
      const prev = out.findLast((p) => p.sentence < d.sentence && p.outcome !== 'hit' && p.outcome !== 'launched' && regionsAgree(p, d));
      if (prev) {
        prev.places = dedupePlaces([...prev.places, ...d.places]);
        continue;
      }
    }
    out.push(d);
  }
  return out;
}

function regionsAgree(a: Draft, b: Draft): boolean {
  if (!a.region || !b.region) return true;
  if (b.regionSource === 'channel') return true;
  return a.region.code === b.region.code;
}

/**
 * A plural with no number ("атаки ударних БпЛА", "дронами-імітаторами") beside a counted record of
 * the same outcome is the same drones; an attack framing with no place of its own adds nothing.
 */
function absorbUncounted(drafts: DraftExtra[]): DraftExtra[] {
  const out: DraftExtra[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i] as DraftExtra;
    if (d.count === null) {
      const same = drafts.find((o, j) => j !== i && o.outcome === d.outcome && (o.count !== null || j < i) && regionsAgree(o, d) && (o.sentence === d.sentence || d.places.length === 0 || o.count === null));
      if (same) {
        same.places = dedupePlaces([...same.places, ...d.places]);
        continue;
      }
      // "Над X отражена атака беспилотников. Уничтожено 10 БПЛА.", "An attack on X ... 4 drones hit the city.":
      // the count said next, with no place of its own, is the same attack's.
      const counted = drafts.find((o, j) => j > i && o.count !== null && o.sentence === d.sentence + 1 && o.outcome === d.outcome && o.places.length === 0 && regionsAgree(o, d));
      if (counted && d.places.length > 0 && !drafts.some((o, j) => j > i && o !== counted && o.sentence <= counted.sentence && o.count !== null)) {
        counted.places = dedupePlaces([...d.places]);
        if (!counted.region && d.region) {
          counted.region = d.region;
          counted.regionSource = d.regionSource;
        }
        continue;
      }
      if (d.framing && d.places.length === 0 && drafts.some((o) => o !== d && o.count !== null)) continue;
      // "Над X и Y отражена атака БПЛА. Сбито 4: три над X, один над Y": the next sentence's counts
      // cover every place of the attack; it adds nothing of its own.
      if (d.places.length > 0) {
        const next = drafts.filter((o, j) => j > i && o.count !== null && o.sentence === d.sentence + 1 && o.outcome === d.outcome && regionsAgree(o, d));
        if (next.length > 0 && d.places.every((p) => next.some((o) => o.places.some((q) => placeKey(q) === placeKey(p))))) continue;
      }
    }
    out.push(d);
  }
  return out;
}

/** The same count, outcome and region said twice (headline and body): one record. */
function dedupe(drafts: DraftExtra[]): DraftExtra[] {
  const out: DraftExtra[] = [];
  for (const d of drafts) {
    const twin = out.find((o) => o.count === d.count && o.count !== null && o.outcome === d.outcome && (o.region?.code ?? null) === (d.region?.code ?? null) && o.sentence !== d.sentence && (placesSubset(o.places, d.places) || placesSubset(d.places, o.places)));
    if (twin) {
      twin.places = dedupePlaces([...twin.places, ...d.places]);
      continue;
    }
    out.push(d);
  }
  return out;
}

function placesSubset(a: PlaceRef[], b: PlaceRef[]): boolean {
  return a.every((p) => b.some((q) => q.name === p.name));
}
