/**
 * One key form for every spelling of a name, shared by the build script (which writes keys) and the
 * lookup (which reads them): lower case, ё→е, one apostrophe, one hyphen, no stress marks, Latin
 * letters without diacritics, single spaces.
 */
const APOSTROPHES = /[’ʼ`‘′ʹ]/g;
const DASHES = /[‐‑‒–—]/g;
const STRESS = /[\u0300\u0301]/g;
const LATIN_ACCENTED = /[\u00C0-\u024F]/g;

/** Anything normalizeKey would change beyond lower-casing (checked first: most spans need nothing more). */
const NEEDS_WORK = /[ё’ʼ`‘′ʹ‐‑‒–—\u0300\u0301\u00C0-\u024F\t\n\r\u00a0]|\s\s|^\s|\s$|\s-|-\s/;

export function normalizeKey(text: string): string {
  const lower = text.toLowerCase();
  if (!NEEDS_WORK.test(lower)) return lower;
  let s = lower.replace(STRESS, '');
  if (s.includes('ё')) s = s.replace(/ё/g, 'е');
  s = s.replace(APOSTROPHES, "'").replace(DASHES, '-');
  s = s.replace(LATIN_ACCENTED, (c) => c.normalize('NFD').charAt(0));
  return s.replace(/\s*-\s*/g, '-').replace(/\s+/g, ' ').trim();
}

/** Normalizes one word token (no spaces inside); the hot path of scanning, kept allocation-light. */
export function normalizeToken(token: string): string {
  let s = token.toLowerCase();
  if (s.includes('ё')) s = s.replace(/ё/g, 'е');
  if (/[’ʼ`‘′ʹ‐‑‒–—\u0300\u0301\u00C0-\u024F]/.test(s)) {
    s = s.replace(STRESS, '').replace(APOSTROPHES, "'").replace(DASHES, '-').replace(LATIN_ACCENTED, (c) => c.normalize('NFD').charAt(0));
  }
  return s;
}

export const CYRILLIC = /[\u0400-\u04FF]/;
export const UKRAINIAN_LETTERS = /[іїєґ]/i;
export const RUSSIAN_LETTERS = /[ыэъё]/i;
