/**
 * Numbers as posts write them: digits ("17", "1,386", "1,2 тыс.", "60 тыс.", "17-ма", "2-х") and
 * number words in every case and gender, Russian (table generated from numeralize-ru), Ukrainian
 * (hand table) and English, composed ("двадцати двух", "сорока п'яти", "one hundred and twenty").
 */
import { RU_NUMBER_WORDS } from './data/numbers-ru.js';
import type { Token } from './tokens.js';

type Rank = 'unit' | 'teen' | 'ten' | 'hundred' | 'thousand';
interface NumberWord {
  value: number;
  rank: Rank;
}

function rankOf(value: number): Rank {
  if (value < 10) return 'unit';
  if (value < 20) return 'teen';
  if (value < 100) return 'ten';
  if (value < 1000) return 'hundred';
  return 'thousand';
}

/** Ukrainian number words 1–900 in every case (hand-written: no package covers Ukrainian). */
const UK_FORMS: Array<[number, string]> = [
  [1, 'один одна одне одно одного однієї одної одному одній одним однією одну одні одних одними'],
  [2, 'два дві двох двом двома двоє'],
  [3, 'три трьох трьом трьома троє'],
  [4, 'чотири чотирьох чотирьом чотирма четверо'],
  [5, "п'ять п'яти п'ятьох п'ятьом п'ятьма п'ятеро"],
  [6, 'шість шести шістьох шістьом шістьма шестеро'],
  [7, 'сім семи сімох сімом сьома сьомома семеро'],
  [8, 'вісім восьми вісьмох вісьмом вісьма вісьмома восьмеро'],
  [9, "дев'ять дев'яти дев'ятьох дев'ятьом дев'ятьма дев'ятеро"],
  [10, 'десять десяти десятьох десятьом десятьма десятеро'],
  [11, 'одинадцять одинадцяти одинадцятьох одинадцятьом одинадцятьма'],
  [12, 'дванадцять дванадцяти дванадцятьох дванадцятьом дванадцятьма'],
  [13, 'тринадцять тринадцяти тринадцятьох тринадцятьом тринадцятьма'],
  [14, 'чотирнадцять чотирнадцяти чотирнадцятьох чотирнадцятьом чотирнадцятьма'],
  [15, "п'ятнадцять п'ятнадцяти п'ятнадцятьох п'ятнадцятьом п'ятнадцятьма"],
  [16, 'шістнадцять шістнадцяти шістнадцятьох шістнадцятьом шістнадцятьма'],
  [17, 'сімнадцять сімнадцяти сімнадцятьох сімнадцятьом сімнадцятьма'],
  [18, 'вісімнадцять вісімнадцяти вісімнадцятьох вісімнадцятьом вісімнадцятьма'],
  [19, "дев'ятнадцять дев'ятнадцяти дев'ятнадцятьох дев'ятнадцятьом дев'ятнадцятьма"],
  [20, 'двадцять двадцяти двадцятьох двадцятьом двадцятьма'],
  [30, 'тридцять тридцяти тридцятьох тридцятьом тридцятьма'],
  [40, 'сорок сорока'],
  [50, "п'ятдесят п'ятдесяти п'ятдесятьох п'ятдесятьом п'ятдесятьма"],
  [60, 'шістдесят шістдесяти шістдесятьох шістдесятьом шістдесятьма'],
  [70, 'сімдесят сімдесяти сімдесятьох сімдесятьом сімдесятьма'],
  [80, 'вісімдесят вісімдесяти вісімдесятьох вісімдесятьом вісімдесятьма'],
  [90, "дев'яносто дев'яноста"],
  [100, 'сто ста сотня сотні сотню'],
  [200, 'двісті двохсот двомстам двомастами двохстах'],
  [300, 'триста трьохсот трьомстам трьомастами трьохстах'],
  [400, 'чотириста чотирьохсот чотирьомстам чотирмастами чотирьохстах'],
  [500, "п'ятсот п'ятисот п'ятистам п'ятьмастами п'ятистах"],
  [600, 'шістсот шестисот шестистам шістьмастами шестистах'],
  [700, 'сімсот семисот семистам сьомастами семистах'],
  [800, 'вісімсот восьмисот восьмистам вісьмастами восьмистах'],
  [900, "дев'ятсот дев'ятисот дев'ятистам дев'ятьмастами дев'ятистах"],
  [1000, 'тисяча тисячі тисячу тисячею тисяч'],
];

const RU_EXTRA: Array<[number, string]> = [
  [1000, 'тысяча тысячи тысячу тысячей тысяче тысяч тысячами тысячах'],
  [2, 'двое'],
  [3, 'трое'],
  [4, 'четверо'],
  [5, 'пятеро'],
  [6, 'шестеро'],
  [7, 'семеро'],
  [8, 'восьмеро'],
  [9, 'девятеро'],
  [10, 'десятеро'],
];

const EN_FORMS: Array<[number, string]> = [
  [1, 'one'], [2, 'two'], [3, 'three'], [4, 'four'], [5, 'five'], [6, 'six'], [7, 'seven'], [8, 'eight'], [9, 'nine'],
  [10, 'ten'], [11, 'eleven'], [12, 'twelve dozen'], [13, 'thirteen'], [14, 'fourteen'], [15, 'fifteen'], [16, 'sixteen'],
  [17, 'seventeen'], [18, 'eighteen'], [19, 'nineteen'], [20, 'twenty'], [30, 'thirty'], [40, 'forty'], [50, 'fifty'],
  [60, 'sixty'], [70, 'seventy'], [80, 'eighty'], [90, 'ninety'], [100, 'hundred'], [1000, 'thousand'],
];

/** Words that multiply the number before them. */
const MULTIPLIERS = new Map<string, number>([
  ['тыс', 1000], ['тысяч', 1000], ['тысячи', 1000], ['тысяча', 1000], ['тис', 1000], ['тисяч', 1000], ['тисячі', 1000],
  ['тисяча', 1000], ['thousand', 1000], ['k', 1000],
]);

const LEXICON = new Map<string, NumberWord>();
function add(value: number, forms: string): void {
  for (const f of forms.split(' ')) if (f && !LEXICON.has(f)) LEXICON.set(f, { value, rank: rankOf(value) });
}
for (const [form, value] of RU_NUMBER_WORDS) add(value, form);
for (const [value, forms] of RU_EXTRA) add(value, forms);
for (const [value, forms] of UK_FORMS) add(value, forms);
for (const [value, forms] of EN_FORMS) add(value, forms);
// "hundred" alone is 100 only after another word ("two hundred") or "a"; composition handles it.

/** Whether a lower-cased, normalized word (a token's `low`) is a number word. */
export function isNumberWord(low: string): boolean {
  return LEXICON.has(low);
}

/** The value of one number word, or undefined ("двадцати" → 20, "п'ятьох" → 5). */
export function numberWordValue(word: string): number | undefined {
  return LEXICON.get(word.toLowerCase().replace(/ё/g, 'е').replace(/[’ʼ`]/g, "'"))?.value;
}

export interface ParsedNumber {
  value: number;
  /** Token index just after the number. */
  end: number;
  /** Index of the first token. */
  start: number;
  /** Written in words. */
  words: boolean;
  /** A clock time, a date or a decimal: never a count. */
  notCount?: boolean;
}

function tok(tokens: Token[], k: number): Token | undefined {
  return tokens[k];
}

function adjacent(a: Token | undefined, b: Token | undefined): boolean {
  return a !== undefined && b !== undefined && a.end === b.start;
}

/** Short case endings written after digits: "17-ма", "2-х", "20-ти", "5-ти". */
const DIGIT_SUFFIXES = new Set(['х', 'ти', 'ми', 'ма', 'мя', 'ть', 'ех', 'ох', 'ух', 'и', 'я', 'го', 'му', 'м', 'ю', 'ій', 'ї', 'ом', 'ью', 'ьох', 'ьма', 'ох', 'th']);

/** Parses the number that starts at token k, if any. */
export function parseNumberAt(tokens: Token[], k: number): ParsedNumber | null {
  const t = tok(tokens, k);
  if (!t) return null;
  const n = t.kind === 'num' ? parseDigits(tokens, k) : t.kind === 'word' ? parseWords(tokens, k) : null;
  // No statement counts more drones than this: a larger number is an id, a sum or a typo, and
  // would not fit the store's count column either.
  if (n && !(Number.isSafeInteger(n.value) && n.value >= 0 && n.value <= MAX_DRONE_COUNT)) n.notCount = true;
  return n;
}

/** The largest number read as a drone count. */
export const MAX_DRONE_COUNT = 100_000;

function parseDigits(tokens: Token[], k: number): ParsedNumber | null {
  const t = tokens[k] as Token;
  let value = Number(t.text);
  let end = k + 1;
  const sep = tok(tokens, end);
  const next = tok(tokens, end + 1);
  // 08:30, 8.00, 12.10.2025: times and dates, never counts.
  if (sep && next && next.kind === 'num' && adjacent(t, sep) && adjacent(sep, next) && (sep.text === ':' || sep.text === '.' || sep.text === '/')) {
    return { value, start: k, end: end + 2, words: false, notCount: true };
  }
  if (sep && next && next.kind === 'num' && sep.text === ',' && adjacent(t, sep) && adjacent(sep, next)) {
    const mult = multiplierAt(tokens, end + 2);
    if (mult) return { value: Math.round(Number(`${t.text}.${next.text}`) * mult.factor), start: k, end: mult.end, words: false };
    if (next.text.length === 3 && t.text.length <= 3) {
      value = Number(t.text + next.text);
      end += 2;
      // 1,386,000
      while (tokens[end]?.text === ',' && tokens[end + 1]?.kind === 'num' && tokens[end + 1]?.text.length === 3 && adjacent(tokens[end - 1], tokens[end])) {
        value = value * 1000 + Number(tokens[end + 1]?.text);
        end += 2;
      }
      return { value, start: k, end, words: false };
    }
    return { value, start: k, end: end + 2, words: false, notCount: true };
  }
  // "1 386": digit groups of three separated by a space on the same line.
  if (sep && sep.kind === 'num' && sep.space && sep.nl === 0 && sep.text.length === 3 && t.text.length <= 3 && !adjacent(t, sep)) {
    const after = tok(tokens, end + 1);
    if (!(after && after.kind === 'num')) {
      value = value * 1000 + Number(sep.text);
      end += 1;
    }
  }
  // "17-ма", "2-х": a case ending after a hyphen belongs to the number.
  const dash = tok(tokens, end);
  const suffix = tok(tokens, end + 1);
  if (dash && suffix && dash.text === '-' && suffix.kind === 'word' && adjacent(tokens[end - 1], dash) && adjacent(dash, suffix) && DIGIT_SUFFIXES.has(suffix.low)) {
    end += 2;
  }
  const mult = multiplierAt(tokens, end);
  if (mult) {
    value *= mult.factor;
    end = mult.end;
    // "79 тыс. 905": the remainder after the thousands.
    const rest = tok(tokens, end);
    if (rest && rest.kind === 'num' && rest.text.length === 3 && rest.nl === 0) {
      value += Number(rest.text);
      end++;
    }
  }
  return { value, start: k, end, words: false };
}

function multiplierAt(tokens: Token[], k: number): { factor: number; end: number } | null {
  const m = tok(tokens, k);
  if (!m || m.kind !== 'word' || m.nl > 0) return null;
  const factor = MULTIPLIERS.get(m.low);
  if (factor === undefined) return null;
  const dot = tok(tokens, k + 1);
  return { factor, end: dot && dot.text === '.' && adjacent(m, dot) ? k + 2 : k + 1 };
}

/** Composes hundreds, tens and units: "двадцати двух", "сто двадцать пять", "one hundred and twenty-two". */
function parseWords(tokens: Token[], k: number): ParsedNumber | null {
  let total = 0;
  let current = 0;
  let lastRank: Rank | null = null;
  let end = k;
  let j = k;
  let any = false;
  while (j < tokens.length) {
    const t = tokens[j] as Token;
    if (t.kind !== 'word') {
      // English hyphenated tens: "twenty-two"
      if (t.text === '-' && any && lastRank === 'ten' && adjacent(tokens[j - 1], t) && tokens[j + 1]?.kind === 'word' && adjacent(t, tokens[j + 1])) {
        j++;
        continue;
      }
      break;
    }
    if (t.nl > 0 && any) break;
    if (any && (t.low === 'and' || t.low === 'і' || t.low === 'й') && lastRank === 'hundred' && LEXICON.has(tokens[j + 1]?.low ?? '')) {
      j++;
      continue;
    }
    const w = LEXICON.get(t.low);
    if (!w) {
      // "a hundred", "a thousand"
      if (!any && (t.low === 'a' || t.low === 'one') && (tokens[j + 1]?.low === 'hundred' || tokens[j + 1]?.low === 'thousand')) {
        current = 1;
        any = true;
        lastRank = 'unit';
        j++;
        end = j;
        continue;
      }
      break;
    }
    if (t.low === 'hundred') {
      if (!any) break;
      current = (current || 1) * 100;
      lastRank = 'hundred';
    } else if (w.rank === 'thousand') {
      total += (current || 1) * 1000;
      current = 0;
      lastRank = 'thousand';
    } else {
      if (any && !fitsAfter(lastRank, w.rank)) break;
      current += w.value;
      lastRank = w.rank;
    }
    any = true;
    j++;
    end = j;
  }
  if (!any) return null;
  return { value: total + current, start: k, end, words: true };
}

function fitsAfter(prev: Rank | null, next: Rank): boolean {
  if (prev === null) return true;
  if (prev === 'thousand') return next !== 'thousand';
  if (prev === 'hundred') return next === 'ten' || next === 'teen' || next === 'unit';
  if (prev === 'ten') return next === 'unit';
  return false;
}

/** Parses a whole string as one number ("двадцати двух" → 22, "17-ма" → 17), for tests and tools. */
export function parseNumberText(text: string, tokenizeFn: (s: string) => Token[]): number | null {
  const tokens = tokenizeFn(text);
  const n = parseNumberAt(tokens, 0);
  if (!n || n.end !== tokens.length || n.notCount) return null;
  return n.value;
}
