/**
 * District-type phrases the extractor reads itself, because posts coordinate them ("Каменском,
 * Миллеровском и Тарасовском районах", "Kamensky and Chertkovsky districts") and name city
 * districts the gazetteer may not list: each adjective becomes its own nominative phrase
 * ("Каменский район"), later resolved through the gazetteer where it can be.
 */
import type { Lang } from '../domain/post.js';
import type { Token } from './tokens.js';

export type DistrictNoun = 'район' | 'муниципальный округ' | 'городской округ' | 'округ' | 'громада' | 'district';

export interface DistrictPhrase {
  /** Token range of the adjective (or English name) [from, to). */
  from: number;
  to: number;
  /** Token index after the district noun. */
  nounEnd: number;
  /** Nominative phrase in the post's language: "Каменский район", "Марганецька громада", "Kamensky district". */
  nominative: string;
  noun: DistrictNoun;
}

const RU_RAYON = new Set(['район', 'района', 'району', 'районом', 'районе', 'районы', 'районов', 'районам', 'районами', 'районах']);
const RU_OKRUG = new Set(['округ', 'округа', 'округу', 'округом', 'округе', 'округи', 'округов', 'округам', 'округами', 'округах']);
const UK_RAYON = new Set(['район', 'району', 'районі', 'районом', 'райони', 'районів', 'районам', 'районами', 'районах']);
const UK_HROMADA = new Set(['громада', 'громади', 'громаді', 'громаду', 'громадою', 'громад', 'громадам', 'громадами', 'громадах']);
const EN_DISTRICT = new Set(['district', 'districts', 'raion', 'raions', 'okrug', 'hromada', 'community']);
const CONJ = new Set(['и', 'та', 'і', 'й', 'and', ',']);

const RU_ADJ_END = ['ого', 'ому', 'ом', 'им', 'ым', 'ий', 'ый', 'ой', 'их', 'ых', 'ими', 'ыми', 'ие', 'ые', 'ая', 'ую'];
const UK_ADJ_END = ['ого', 'ому', 'ім', 'им', 'ий', 'их', 'ими', 'і', 'а', 'ої', 'ій', 'у', 'ою'];

function isCapitalized(t: Token | undefined): boolean {
  if (!t || t.kind !== 'word') return false;
  // `low` is the same text lower-cased: no new string per question.
  return t.text.charCodeAt(0) !== t.low.charCodeAt(0);
}

function stripEnding(word: string, endings: readonly string[]): string | null {
  let best: string | null = null;
  for (const e of endings) {
    if (word.endsWith(e) && word.length - e.length >= 3 && (best === null || e.length > word.length - best.length)) best = word.slice(0, word.length - e.length);
  }
  return best;
}

/** "Каменском" → "Каменский"; "Славянского" → "Славянский"; "Красного" → "Красный". */
export function ruMasculineNominative(adj: string): string | null {
  const stem = stripEnding(adj, RU_ADJ_END);
  if (!stem) return null;
  return stem + (/[кгхжшчщ]$/iu.test(stem) ? 'ий' : 'ый');
}

/** "Вознесенівському" → "Вознесенівський". */
export function ukMasculineNominative(adj: string): string | null {
  const stem = stripEnding(adj, UK_ADJ_END);
  return stem ? `${stem}ий` : null;
}

/** "Марганецької" → "Марганецька". */
export function ukFeminineNominative(adj: string): string | null {
  const stem = stripEnding(adj, UK_ADJ_END);
  return stem ? `${stem}а` : null;
}

function looksAdjective(t: Token | undefined, lang: Lang): boolean {
  if (!t || t.kind !== 'word' || !isCapitalized(t)) return false;
  if (lang === 'en') return true;
  return /(ск|цк|зьк|ськ|цьк|ов|ев|ин|н)(ого|ому|ом|им|ым|ий|ый|ой|их|ых|ими|ыми|ие|ые|ім|і|а|ої|ій|у|ою|ая|ую)$/u.test(t.low);
}

/** The adjective tokens may be hyphenated ("Новгород-Сіверському", "Bilhorod-Dnistrovskyi"): returns the first token of the word. */
function wordStart(tokens: Token[], k: number): number {
  let s = k;
  while (s >= 2 && tokens[s - 1]?.text === '-' && tokens[s - 1]?.start === tokens[s - 2]?.end && tokens[s]?.start === tokens[s - 1]?.end) s -= 2;
  return s;
}

function textOf(tokens: Token[], from: number, to: number): string {
  let s = '';
  for (let k = from; k < to; k++) s += (tokens[k] as Token).text;
  return s;
}

/** First letters of every district noun above (р, о, г; d, r, o, h, c): other words are rejected at once. */
const NOUN_INITIALS = new Set([...RU_RAYON, ...RU_OKRUG, ...UK_RAYON, ...UK_HROMADA, ...EN_DISTRICT].map((w) => w.charCodeAt(0)));

function nounKind(low: string, lang: Lang): DistrictNoun | null {
  if (!NOUN_INITIALS.has(low.charCodeAt(0))) return null;
  if (lang === 'en') return EN_DISTRICT.has(low) ? (low === 'hromada' || low === 'community' ? 'громада' : 'district') : null;
  if (lang === 'uk') {
    if (UK_RAYON.has(low)) return 'район';
    if (UK_HROMADA.has(low)) return 'громада';
    if (RU_OKRUG.has(low)) return 'округ';
    return null;
  }
  if (RU_RAYON.has(low)) return 'район';
  if (RU_OKRUG.has(low)) return 'округ';
  return null;
}

function nominative(adj: string, noun: DistrictNoun, lang: Lang): string | null {
  if (lang === 'en') return `${adj} ${noun === 'громада' ? 'hromada' : 'district'}`;
  if (lang === 'uk') {
    const a = noun === 'громада' ? ukFeminineNominative(adj) : ukMasculineNominative(adj);
    return a ? `${a} ${noun}` : null;
  }
  const a = ruMasculineNominative(adj);
  return a ? `${a} ${noun}` : null;
}

/** Every district phrase in tokens [from, to), coordinated lists expanded, in text order. */
export function findDistricts(tokens: Token[], from: number, to: number, lang: Lang): DistrictPhrase[] {
  const out: DistrictPhrase[] = [];
  for (let k = from; k < to; k++) {
    const t = tokens[k] as Token;
    if (t.kind !== 'word') continue;
    let noun = nounKind(t.low, lang);
    if (!noun) continue;
    let adjEnd = k;
    // "муниципальном округе", "городского округа": the qualifier sits between the name and "округ".
    if (noun === 'округ' && lang !== 'en') {
      const q = tokens[k - 1];
      if (q && q.low.startsWith('муниципальн')) {
        noun = 'муниципальный округ';
        adjEnd = k - 1;
      } else if (q && q.low.startsWith('городск') && !isCapitalized(q)) {
        noun = 'городской округ';
        adjEnd = k - 1;
      }
    }
    const found: DistrictPhrase[] = [];
    let a = adjEnd - 1;
    while (a >= from && looksAdjective(tokens[a], lang)) {
      const s = wordStart(tokens, a);
      const adj = textOf(tokens, s, a + 1);
      const nom = nominative(adj, noun, lang);
      if (!nom) break;
      found.unshift({ from: s, to: a + 1, nounEnd: k + 1, nominative: nom, noun });
      // coordination: ", ", " и ", ", and "
      let c = s - 1;
      let sawConj = false;
      while (c >= from && CONJ.has((tokens[c] as Token).low)) {
        c--;
        sawConj = true;
      }
      if (!sawConj) break;
      a = c;
    }
    out.push(...found);
  }
  addElided(tokens, from, to, lang, out);
  return out;
}

/**
 * "У Дарницькому районі ..., у Деснянському — ...": a capitalised adjective after "у/в" with the
 * same ending as a district phrase of the sentence names another district of the same kind.
 */
function addElided(tokens: Token[], from: number, to: number, lang: Lang, out: DistrictPhrase[]): void {
  if (out.length === 0 || lang === 'en') return;
  const taken = new Set(out.map((d) => d.from));
  for (let k = from + 1; k < to; k++) {
    const t = tokens[k] as Token;
    const prev = tokens[k - 1] as Token;
    if (taken.has(k) || !(prev.low === 'у' || prev.low === 'в' || prev.low === 'во') || !looksAdjective(t, lang)) continue;
    const next = tokens[k + 1];
    if (next && next.kind === 'word' && nounKind(next.low, lang) === null && !(next.text === '-' || next.text === ',')) continue;
    if (next && next.kind === 'word') continue;
    const model = out.find((d) => {
      const adj = (tokens[d.to - 1] as Token).low;
      return adj.slice(-4) === t.low.slice(-4);
    });
    if (!model) continue;
    const nom = nominative(t.text, model.noun, lang);
    if (nom) out.push({ from: k, to: k + 1, nounEnd: k + 1, nominative: nom, noun: model.noun });
  }
  out.sort((a, b) => a.from - b.from);
}
