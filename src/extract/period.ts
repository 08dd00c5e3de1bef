/**
 * Time windows stated in a post ("в период с 13.00 до 16.00 мск", "з 08:00 до 17:00",
 * "between 7:00 a.m. and noon Moscow time") → ISO 8601 instants, read against the post's date
 * in the post's time zone (Moscow UTC+3 for Russian and English sources, Kyiv time for Ukrainian).
 */
import type { Lang } from '../domain/post.js';
import type { Token } from './tokens.js';

export interface Period {
  from: string;
  to: string;
}

const FROM_WORDS = new Set(['с', 'з', 'із', 'from', 'between', 'от', 'від']);
const TO_WORDS = new Set(['до', 'по', 'to', 'and', 'till', 'until', '-']);

interface Clock {
  h: number;
  m: number;
  end: number;
}

/** "13.00", "8:00", "7:00 a.m.", "noon", "midnight" at token k. */
function clockAt(tokens: Token[], k: number): Clock | null {
  const t = tokens[k];
  if (!t) return null;
  if (t.low === 'noon') return { h: 12, m: 0, end: k + 1 };
  if (t.low === 'midnight') return { h: 0, m: 0, end: k + 1 };
  if (t.kind !== 'num' || t.text.length > 2) return null;
  const sep = tokens[k + 1];
  const min = tokens[k + 2];
  if (!sep || !min || (sep.text !== '.' && sep.text !== ':') || min.kind !== 'num' || min.text.length !== 2 || sep.start !== t.end || min.start !== sep.end) return null;
  let h = Number(t.text);
  const m = Number(min.text);
  if (h > 24 || m > 59) return null;
  let end = k + 3;
  // a.m. / p.m.
  const ap = tokens[end];
  if (ap && (ap.low === 'a' || ap.low === 'p' || ap.low === 'am' || ap.low === 'pm')) {
    if (ap.low.startsWith('p') && h < 12) h += 12;
    if (ap.low.startsWith('a') && h === 12) h = 0;
    end++;
    while (tokens[end] && (tokens[end]?.text === '.' || tokens[end]?.low === 'm')) end++;
  }
  return { h: h === 24 ? 0 : h, m, end };
}

/** UTC offset in hours of the post's zone at a UTC instant. */
export function zoneOffsetHours(lang: Lang, utc: Date): number {
  if (lang !== 'uk') return 3;
  // Kyiv: EET (UTC+2), EEST (UTC+3) from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
  const y = utc.getUTCFullYear();
  const start = lastSundayUtc(y, 2);
  const end = lastSundayUtc(y, 9);
  const t = utc.getTime();
  return t >= start && t < end ? 3 : 2;
}

function lastSundayUtc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0, 1, 0, 0));
  const dow = last.getUTCDay();
  return last.getTime() - dow * 86_400_000;
}

/** The first time window stated in the tokens [from, to), resolved against the post date. */
export function findPeriod(tokens: Token[], from: number, to: number, postDate: string, lang: Lang): Period | null {
  for (let k = from; k < to; k++) {
    const t = tokens[k] as Token;
    if (!FROM_WORDS.has(t.low)) continue;
    const a = clockAt(tokens, k + 1);
    if (!a) continue;
    const sep = tokens[a.end];
    if (!sep || !TO_WORDS.has(sep.low)) continue;
    const b = clockAt(tokens, a.end + 1);
    if (!b) continue;
    // The date is parsed only for a window found: most sentences state none.
    const date = new Date(postDate);
    return Number.isNaN(date.getTime()) ? null : resolvePeriod(a, b, date, lang);
  }
  return null;
}

function resolvePeriod(a: Clock, b: Clock, postDate: Date, lang: Lang): Period {
  const offset = zoneOffsetHours(lang, postDate);
  const local = new Date(postDate.getTime() + offset * 3_600_000);
  const y = local.getUTCFullYear();
  const mo = local.getUTCMonth();
  const d = local.getUTCDate();
  let toMs = Date.UTC(y, mo, d, b.h - offset, b.m);
  // A window that ends after the post was written ended the day before.
  if (toMs > postDate.getTime() + 3_600_000) toMs -= 86_400_000;
  let fromMs = Date.UTC(y, mo, d, a.h - offset, a.m);
  while (fromMs > toMs) fromMs -= 86_400_000;
  while (toMs - fromMs > 86_400_000) fromMs += 86_400_000;
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
}
