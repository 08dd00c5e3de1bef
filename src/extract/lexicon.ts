/**
 * The three locales' dictionaries merged into fast lookups, plus the token classifiers the rules
 * use. Posts mix languages (Ukrainian posts quote Russian names, English posts say "Shahed"), so
 * every classifier knows every language.
 */
import type { Outcome } from '../domain/incident.js';
import { en } from './locales/en/vocab.js';
import { ru } from './locales/ru/vocab.js';
import type { DroneWord, LocaleVocab, OutcomeStem } from './locales/types.js';
import { uk } from './locales/uk/vocab.js';
import { StemIndex, stemSet } from './stems.js';
import type { Token } from './tokens.js';

/** Multi-word phrases by their first word, so a sentence is checked word by word in one pass. */
export class PhraseIndex {
  private readonly byFirst = new Map<string, string[][]>();
  constructor(phrases: readonly string[]) {
    for (const p of phrases) {
      const words = p.split(/\s+/).filter(Boolean);
      const first = words[0];
      if (!first) continue;
      let list = this.byFirst.get(first);
      if (!list) this.byFirst.set(first, (list = []));
      list.push(words);
    }
  }
  /** Whether a phrase starts at token k (lower-case words; punctuation tokens are compared by text). */
  matchAt(tokens: Token[], k: number, end: number): boolean {
    const list = this.byFirst.get((tokens[k] as Token).low);
    if (!list) return false;
    outer: for (const words of list) {
      for (let j = 1; j < words.length; j++) {
        const t = tokens[k + j];
        if (!t || k + j >= end || t.low !== words[j]) continue outer;
      }
      return true;
    }
    return false;
  }
}

const LOCALES: readonly LocaleVocab[] = [ru, uk, en];

const DRONE_WORDS = new Map<string, DroneWord>();
for (const l of LOCALES) for (const [w, d] of l.droneWords) if (!DRONE_WORDS.has(w)) DRONE_WORDS.set(w, d);

/** Outcome stems; the longest match wins, so that "атакував" (launched) beats "атак" (hit). */
const OUTCOME_STEMS = new StemIndex<Outcome>(LOCALES.flatMap((l) => l.outcomeStems).map((s: OutcomeStem) => ({ stem: s.stem, exact: s.exact ?? false, value: s.outcome })));

function union(pick: (l: LocaleVocab) => readonly string[]): string[] {
  return [...new Set(LOCALES.flatMap(pick))];
}

export const APPROX_PHRASES = union((l) => l.approxWords).map((p) => p.split(' '));
export const SUBSET_PHRASES = union((l) => l.subsetPhrases);
export const TALLY_PHRASES = new PhraseIndex(union((l) => l.tallyPhrases));
const ALERT_STEMS = stemSet(union((l) => l.alertStems));
const DEBRIS_STEMS = stemSet(union((l) => l.debrisStems));
const DAMAGE_STEMS = stemSet(union((l) => l.damageStems));
const NOT_BEFORE = stemSet(union((l) => l.notDroneBefore));
const NOT_AFTER = stemSet(union((l) => l.notDroneAfter));
const MORE_WORDS = new Set(union((l) => l.moreWords));
const SOURCE_PREPS = new Set(union((l) => l.sourcePreps));
const COUNTRY_WORDS = new Set(union((l) => l.countryWords));
const VAGUE_STEMS = stemSet(union((l) => l.vagueWords));
const REST_WORDS = new Set(union((l) => l.restWords));
/** Type phrases as token sequences ("fixed-wing" → fixed, -, wing). */
export const DRONE_TYPES: ReadonlyArray<readonly [string[], string]> = LOCALES.flatMap((l) => l.droneTypes).map(([p, t]) => [p.split(/(-)|\s+/).filter((x): x is string => Boolean(x)), t] as const);

/** The drone word a lower-cased word is ("дронов", "бпла", "shahed"), if any. */
export function droneWord(low: string): DroneWord | undefined {
  return DRONE_WORDS.get(low);
}

/** droneWord of a token's lower-cased text, looked up once per token (the rules ask several times). */
export function tokenDroneWord(t: Token): DroneWord | undefined {
  if (t.dw === undefined) t.dw = droneWord(t.low) ?? null;
  return t.dw ?? undefined;
}

/** The outcome a word states, if any ("уничтожены" → destroyed, "влучання" → hit). */
const outcomeMemo = new Map<string, Outcome | null>();

export function outcomeOf(low: string): Outcome | undefined {
  let o = outcomeMemo.get(low);
  if (o === undefined) {
    o = OUTCOME_STEMS.match(low) ?? null;
    // bounded: a long-running worker sees an open-ended vocabulary
    if (outcomeMemo.size > 50_000) outcomeMemo.clear();
    outcomeMemo.set(low, o);
  }
  return o ?? undefined;
}

/** outcomeOf for a token, computed once per token. */
export function tokenOutcome(t: Token): Outcome | undefined {
  if (t.oc === undefined) t.oc = t.kind === 'word' ? (OUTCOME_STEMS.match(t.low) ?? null) : null;
  return t.oc ?? undefined;
}

export const isAlertWord = (low: string): boolean => ALERT_STEMS.has(low);
export const isDebrisWord = (low: string): boolean => DEBRIS_STEMS.has(low);
export const isDamageWord = (low: string): boolean => DAMAGE_STEMS.has(low);
export const isNotDroneBefore = (low: string): boolean => NOT_BEFORE.has(low);
export const isNotDroneAfter = (low: string): boolean => NOT_AFTER.has(low);
export const isMoreWord = (low: string): boolean => MORE_WORDS.has(low);
export const isSourcePrep = (low: string): boolean => SOURCE_PREPS.has(low);
export const isCountryWord = (low: string): boolean => COUNTRY_WORDS.has(low);
export const isVagueWord = (low: string): boolean => VAGUE_STEMS.has(low);
export const isRestWord = (low: string): boolean => REST_WORDS.has(low);

/** Adjective/participle endings that show plural (ru/uk) on a word next to an abbreviation like "БПЛА". */
const PLURAL_ADJ = /(ые|ие|ых|их|ыми|ими|ні|ті|ві|жі|чі|ші|ені|ані)$/u;
const SINGULAR_ADJ = /(ый|ий|ой|ого|ому|ним|ный|ий)$/u;
/** Short participles and past verbs: plural "сбиты, уничтожены, влучили", singular "сбит, уничтожен, упал, влучив". */
const PLURAL_VERB = /(ены|аны|иты|ыты|ли|ені|ані|иті|ыли)$/u;
const SINGULAR_VERB = /(ен|ан|ит|ыт|ал|ил|ел|ув|ив|ав|ся|ла)$/u;

/** Grammatical number shown by a modifier or verb next to an ambiguous drone word. */
export function agreementOf(t: Token | undefined): 'sg' | 'pl' | undefined {
  if (!t || t.kind !== 'word') return undefined;
  const w = t.low;
  if (w === 'был' || w === 'була' || w === 'був') return 'sg';
  if (w === 'были' || w === 'були') return 'pl';
  if ((tokenOutcome(t) && !w.startsWith('ударн')) || w.endsWith('вш') || /(вший|вшего|вшие|вших)$/u.test(w)) {
    if (PLURAL_VERB.test(w) || /(вшие|вших)$/u.test(w)) return 'pl';
    if (SINGULAR_VERB.test(w) || /(вший|вшего|того|ного|ый|ий)$/u.test(w)) return 'sg';
    return undefined;
  }
  if (PLURAL_ADJ.test(w)) return 'pl';
  if (SINGULAR_ADJ.test(w)) return 'sg';
  return undefined;
}

/** Words that can sit between a number and its drone noun: adjectives, type names, "of the". */
export function isModifier(t: Token): boolean {
  if (t.kind === 'punct') return t.text === '"' || t.text === '-' || t.text === '(';
  if (t.kind !== 'word') return false;
  const w = t.low;
  if (MODIFIER_WORDS.has(w)) return true;
  if (tokenOutcome(t) && !w.startsWith('ударн') && !w.startsWith('attack')) return false;
  if (/^[a-z]+$/.test(w)) return /^(fpv|shahed|geran|gerbera|kamikaze|attack|strike|ukrainian|russian|enemy|hostile|fixed|wing|type|long|range|more|jet|decoy)$/.test(w) || /-type$/.test(w);
  return /(ых|их|ые|ие|ими|ыми|ым|им|ий|ый|ого|ому|ой|ні|ті|жі|чі|ші|і|ні|ними|ьких|ських|ська|ський|ого)$/u.test(w) && w.length > 3;
}

const MODIFIER_WORDS = new Set(['of', 'the', 'these', 'those', 'its', 'their', 'ukrainian', 'russian', 'enemy', 'hostile', 'attack', 'type', 'fpv', 'shahed', 'shahed-type', 'fixed-wing', 'kamikaze', 'more', 'ударных', 'ударних', 'ударними', 'ударными', 'ударні', 'ударные', 'вражеских', 'ворожих', 'ворожі', 'ворожими', 'украинских', 'fpv-дронов']);

/** "10 – над", "8 over": tokens allowed between a bare number and the place it is counted at. */
export const ITEM_FILLERS = new Set([
  '-', ':', '—', 'над', 'в', 'во', 'у', 'на', 'over', 'in', 'near', 'above', 'the', 'were', 'was', 'have', 'been', 'of', 'these', 'them', 'drones', 'uavs',
  'республикой', 'республики', 'республика', 'республіки', 'республіка', 'республікою', 'republic', 'part', 'northwestern', 'territory', 'территорией', 'территориями', 'территории', 'акваторией', 'акватории', 'акваторіями', 'акваторією', 'територією', 'територіями', 'території',
  // "10 – локаційно втрачені": the adverb before the verb
  'локаційно', 'локационно',
  'downed', 'destroyed', 'intercepted', 'shot', 'down', 'сбиты', 'сбито', 'уничтожены', 'уничтожено', 'збито', 'знищено', 'районе', 'районі', 'area', 'районах',
]);
