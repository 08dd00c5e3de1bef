/**
 * Text normalization before any rule runs. Every replacement keeps the string's length (one UTF-16
 * unit for one), so offsets into the normalized text are offsets into the original: evidence is cut
 * from the original text with the same indexes. One pass over character codes; regexes only for the
 * rare characters above U+2000.
 */

const APOSTROPHES = new Set([0x2019, 0x02bc, 0x60, 0x2018, 0x2032, 0x02b9, 0xb4]);
const DASHES = new Set([0x2013, 0x2014, 0x2012, 0x2010, 0x2011, 0x2212, 0x2015, 0x2043]);
const SPACES = new Set([0xa0, 0x202f, 0x2009, 0x2007, 0x2002, 0x2003, 0x2005, 0x200b, 0x09, 0x0c, 0x0b]);
const QUOTES = new Set([0xab, 0xbb, 0x201c, 0x201d, 0x201e]);

/** Latin letters that look like Cyrillic ones, for words written half in each script. */
const LATIN_TO_CYRILLIC: Record<string, string> = {
  a: 'а', c: 'с', e: 'е', o: 'о', p: 'р', x: 'х', y: 'у', i: 'і', k: 'к', m: 'м', h: 'н', t: 'т', b: 'в',
  A: 'А', C: 'С', E: 'Е', O: 'О', P: 'Р', X: 'Х', Y: 'У', I: 'І', K: 'К', M: 'М', H: 'Н', T: 'Т', B: 'В',
};

const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u200d\ufe0e\ufe0f\u20e3]|[\u{1f3fb}-\u{1f3ff}]/u;
const URL_RE = /(?:https?:\/\/|www\.|t\.me\/)[^\s]+|\b[\w-]+\.(?:com|ru|ua|org|net|gov\.ua|info)(?:\/[^\s]*)?/giu;
const OTHER_LETTER = /[\p{L}\p{M}]/u;

function isLatin(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Letters, fast for Latin and Cyrillic; a Unicode property test for the rest. */
export function isLetterCode(c: number): boolean {
  if (isLatin(c) || (c >= 0x400 && c <= 0x52f)) return true;
  if (c < 0xc0) return false;
  return OTHER_LETTER.test(String.fromCharCode(c));
}

/** Normalizes a post's text for matching; the result has exactly the input's length. */
export function normalizeText(text: string): string {
  const n = text.length;
  const chars = new CharBuffer(text);
  if (mayHaveLink(text)) blankLinks(text, chars);
  // the current word: where it started, and whether it has Latin and Cyrillic letters
  let wordStart = -1;
  let wordLatin = false;
  let wordCyrillic = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const latin = isLatin(c);
    const cyrillic = !latin && c >= 0x400 && c <= 0x52f;
    if (latin || cyrillic) {
      if (wordStart < 0) {
        wordStart = i;
        wordLatin = false;
        wordCyrillic = false;
      }
      if (latin) wordLatin = true;
      else {
        wordCyrillic = true;
        if (c === 0x451) chars.set(i, 'е');
        else if (c === 0x401) chars.set(i, 'Е');
      }
      continue;
    }
    if (wordStart >= 0 && !(c >= 0xc0 && isLetterCode(c))) {
      if (wordLatin && wordCyrillic) fixMixedScriptWord(chars, wordStart, i);
      wordStart = -1;
    }
    if (c < 0x80) {
      if (c === 0x23 /* # */ && isLetterCode(text.charCodeAt(i + 1))) blankHashtag(text, chars, i);
      else if (c === 0x60 || c === 0x27) {
        if (isPossessive(text, i)) {
          chars.set(i, ' ');
          chars.set(++i, ' ');
        } else if (c === 0x60) chars.set(i, "'");
      } else if (c === 0x09) chars.set(i, ' ');
      continue;
    }
    if (APOSTROPHES.has(c)) {
      if (isPossessive(text, i)) {
        chars.set(i, ' ');
        chars.set(++i, ' ');
      } else chars.set(i, "'");
    } else if (DASHES.has(c)) {
      // an em dash between two words without spaces ("cities—Borovsk") separates them
      chars.set(i, (c === 0x2014 || c === 0x2015) && isLetterCode(text.charCodeAt(i - 1)) && isLetterCode(text.charCodeAt(i + 1)) ? ' ' : '-');
    } else if (SPACES.has(c)) chars.set(i, ' ');
    else if (QUOTES.has(c)) chars.set(i, '"');
    else if (c >= 0x2000 && isPictographicAt(text, i)) {
      chars.set(i, ' ');
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) chars.set(++i, ' ');
    }
  }
  if (wordStart >= 0 && wordLatin && wordCyrillic) fixMixedScriptWord(chars, wordStart, n);
  return chars.toString();
}

/**
 * The text's UTF-16 units, copied only when a unit changes; `toString` rebuilds the string in
 * chunks (no per-character strings).
 */
/**
 * The text with a few characters replaced: edits are kept by position and applied once, slicing the
 * untouched runs (most posts need only a handful of edits).
 */
class CharBuffer {
  private readonly edits = new Map<number, string>();
  constructor(private readonly text: string) {}

  set(i: number, ch: string): void {
    this.edits.set(i, ch);
  }

  get(i: number): string {
    return this.edits.get(i) ?? (this.text[i] as string);
  }

  toString(): string {
    if (this.edits.size === 0) return this.text;
    const at = [...this.edits.keys()].sort((a, b) => a - b);
    let out = '';
    let prev = 0;
    for (const i of at) {
      out += this.text.slice(prev, i) + (this.edits.get(i) as string);
      prev = i + 1;
    }
    return out + this.text.slice(prev);
  }
}

/** English possessive "Kharkiv's" → "Kharkiv  ": the name stays a name. Blanks both characters. */
function isPossessive(text: string, i: number): boolean {
  const s = text.charCodeAt(i + 1);
  if (!(s === 0x73 || s === 0x53) || isLetterCode(text.charCodeAt(i + 2)) || !isLatin(text.charCodeAt(i - 1))) return false;
  return true;
}

function isPictographicAt(text: string, i: number): boolean {
  const code = text.codePointAt(i);
  if (code === undefined) return false;
  return PICTOGRAPHIC.test(String.fromCodePoint(code));
}

function mayHaveLink(text: string): boolean {
  return text.includes('://') || text.includes('www.') || text.includes('t.me') || /\.(com|ru|ua|org|net|info)\b/.test(text);
}

function blankLinks(text: string, chars: CharBuffer): void {
  URL_RE.lastIndex = 0;
  for (let m = URL_RE.exec(text); m !== null; m = URL_RE.exec(text)) {
    for (let k = m.index; k < m.index + m[0].length; k++) chars.set(k, ' ');
  }
}

/** "#Курская_область" → " Курская область": the tag's words stay readable, the markup goes. */
function blankHashtag(text: string, chars: CharBuffer, at: number): void {
  chars.set(at, ' ');
  for (let k = at + 1; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x5f) chars.set(k, ' ');
    else if (!isLetterCode(c) && !(c >= 0x30 && c <= 0x39)) break;
  }
}

/** Inside a word that has Cyrillic letters, Latin look-alikes become Cyrillic ("Kурск" → "Курск"). */
function fixMixedScriptWord(chars: CharBuffer, from: number, to: number): void {
  for (let k = from; k < to; k++) {
    const mapped = LATIN_TO_CYRILLIC[chars.get(k)];
    if (mapped) chars.set(k, mapped);
  }
}
