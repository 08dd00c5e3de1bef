/** Tokens and sentences over normalized text (see normalize.ts); linear scans, no regex backtracking. */

export type TokenKind = 'word' | 'num' | 'punct';

export interface Token {
  kind: TokenKind;
  /** As written (normalized). */
  text: string;
  /** Lower case. */
  low: string;
  start: number;
  end: number;
  /** Newlines between the previous token and this one. */
  nl: number;
  /** Whitespace between the previous token and this one. */
  space: boolean;
  /** Index in the token array. */
  i: number;
  /** Outcome the word states, filled on first use (see lexicon.tokenOutcome). */
  oc?: Outcome | null;
  /** The drone word it is, filled on first use (see lexicon.tokenDroneWord). */
  dw?: DroneWord | null;
}

import type { Outcome } from '../domain/incident.js';
import type { DroneWord } from './locales/types.js';
import { isLetterCode } from './normalize.js';

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Splits normalized text into words (letters, inner apostrophes), digit runs and single punctuation marks. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  // Lower-cased once for the whole text, then sliced: one call instead of one per word. A few
  // letters change length when lower-cased ("İ"); then each word is lower-cased on its own.
  const lowered = text.toLowerCase();
  const sameLength = lowered.length === text.length;
  let nl = 0;
  let space = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 0x0a || ch === 0x0d) {
      if (ch === 0x0a) nl++;
      space = true;
      i++;
      continue;
    }
    if (ch === 0x20 || ch === 0x09) {
      space = true;
      i++;
      continue;
    }
    let j = i + 1;
    let kind: TokenKind;
    if (isLetterCode(ch)) {
      kind = 'word';
      while (j < n) {
        const c = text.charCodeAt(j);
        if (isLetterCode(c)) j++;
        else if (c === 0x27 && isLetterCode(text.charCodeAt(j + 1))) j++;
        else break;
      }
    } else if (isDigitCode(ch)) {
      kind = 'num';
      while (j < n && isDigitCode(text.charCodeAt(j))) j++;
    } else {
      kind = 'punct';
      const code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff) j = Math.min(n, i + 2);
    }
    const t = text.slice(i, j);
    // Most words are written in lower case: then the word is its own lower-case form (one string, not two).
    const low = kind !== 'word' ? t : !sameLength ? t.toLowerCase() : sameRange(text, lowered, i, j) ? t : lowered.slice(i, j);
    // `oc` and `dw` present from the start: filling them later would change every token's hidden class.
    out.push({ kind, text: t, low, start: i, end: j, nl, space, i: out.length, oc: undefined, dw: undefined });
    nl = 0;
    space = false;
    i = j;
  }
  return out;
}

function sameRange(a: string, b: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (a.charCodeAt(k) !== b.charCodeAt(k)) return false;
  return true;
}

/** Abbreviations after which a period does not end a sentence. */
const ABBREVIATIONS = new Set([
  'обл', 'г', 'гг', 'с', 'п', 'пгт', 'смт', 'д', 'х', 'ст', 'м', 'ул', 'вул', 'им', 'тыс', 'тис', 'млн', 'км', 'кв', 'р', 'н', 'пос', 'дер',
  'mr', 'mrs', 'dr', 'st', 'gov', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'a', 'p', 'vs', 'no',
  'т', 'е', 'др', 'пр', 'рф', 'мск', 'обл', 'ім', 'просп', 'пр-т', 'мкр',
]);

export interface Sentence {
  /** Token index range [from, to). */
  from: number;
  to: number;
  start: number;
  end: number;
}

/**
 * Sentence boundaries: . ! ? followed by a space and a capital/digit/quote (not after an
 * abbreviation); a blank line; a single line break unless the line ends with a colon, comma,
 * semicolon or dash (list items of a breakdown stay with their total).
 */
export function splitSentences(tokens: Token[]): Sentence[] {
  const out: Sentence[] = [];
  let from = 0;
  for (let k = 1; k < tokens.length; k++) {
    const t = tokens[k] as Token;
    const prev = tokens[k - 1] as Token;
    let ends: boolean;
    if (t.nl >= 2) ends = true;
    else if (t.nl === 1) ends = !(prev.kind === 'punct' && (prev.text === ':' || prev.text === ',' || prev.text === ';' || prev.text === '-'));
    else if (prev.kind === 'punct' && (prev.text === '.' || prev.text === '!' || prev.text === '?' || prev.text === '…') && t.space) {
      const before = tokens[k - 2];
      if (prev.text === '.' && before && before.kind === 'word' && ABBREVIATIONS.has(before.low) && !startsSentence(t, true)) ends = false;
      else ends = startsSentence(t, false);
    } else ends = false;
    if (ends) {
      pushSentence(out, tokens, from, k);
      from = k;
    }
  }
  pushSentence(out, tokens, from, tokens.length);
  return out;
}

function pushSentence(out: Sentence[], tokens: Token[], from: number, to: number): void {
  if (to > from) out.push({ from, to, start: (tokens[from] as Token).start, end: (tokens[to - 1] as Token).end });
}

function startsSentence(t: Token, strict: boolean): boolean {
  if (t.kind === 'num') return !strict;
  if (t.kind === 'punct') return !strict && (t.text === '"' || t.text === '(' || t.text === '/' || t.text === '-');
  // `low` is the same text lower-cased: no new string per question.
  return t.text.charCodeAt(0) !== t.low.charCodeAt(0);
}
