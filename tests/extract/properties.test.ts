/**
 * Properties of the extractor on generated input (fast-check): it never throws, stays within 50 ms
 * on any input up to 100 KB, gives the same output for the same input, and every count it reports
 * is written in its evidence (as digits or words).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../../src/domain/incident.js';
import type { Lang, Post } from '../../src/domain/post.js';
import { extractPost } from '../../src/extract/index.js';
import { normalizeText } from '../../src/extract/normalize.js';
import { parseNumberAt } from '../../src/extract/numbers.js';
import { tokenize } from '../../src/extract/tokens.js';
import { EN, NEGATIVES, RU, UK } from './fixtures.js';

const FRAGMENTS = [
  'над территорией', 'Брянской области', 'Курской', 'областей', 'уничтожены', 'сбит', 'перехвачены и уничтожены', 'беспилотник', 'беспилотников',
  'БПЛА', 'БпЛА', 'беспилотных летательных аппаратов', 'самолетного типа', ':', '–', '—', ',', '.', '\n', '\n\n', 'по семь', 'двадцати двух', 'более',
  'в том числе', 'летевших на Москву', 'ещё', 'не 7, а 9', 'итого', 'обломки', 'в районе', 'Малоярославца', 'Киришей', 'Киришский район',
  'збито/подавлено', 'ударними', 'з напрямків:', 'Курськ', 'Орел', 'локаційно втрачені', 'влучання', 'на 9 локаціях', 'Харківщині', 'понад',
  "п'яти", '17-ма', '2-х', 'drones', 'a drone', 'shot down', 'over the Kaluga region', 'more than', 'of these', 'Black Sea', 'Moscow region',
  'в период с 13.00 до 16.00 мск', 'ракет', 'снарядов', '8-800-555-35-35', '#Курская_область', 'https://t.me/x', '🚀', 'Kурск', 'ё', '’',
];

const NUMBER = fc.oneof(fc.integer({ min: 0, max: 5000 }).map(String), fc.constantFrom('один', 'двух', 'трёх', 'пяти', 'одиннадцать', 'сорока', 'двох', "п'ять", 'seven', 'twenty-two'));

/** Text built from drone-report fragments and numbers, so that the rules fire. */
const reportText = fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) }, { weight: 2, arbitrary: NUMBER }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }), { maxLength: 60 }).map((parts) => parts.join(' '));

const seedText = fc.constantFrom(...[...RU, ...UK, ...EN].map((f) => f.text), ...NEGATIVES.map(([t]) => t));

/** A seed text with random edits: cut, duplicated, digits changed, junk inserted. */
const mutatedText = fc.tuple(seedText, fc.integer({ min: 0, max: 400 }), fc.string({ maxLength: 20 }), fc.integer({ min: 0, max: 3 })).map(([t, at, junk, mode]) => {
  if (mode === 0) return t.slice(0, at) + junk + t.slice(at);
  if (mode === 1) return t.slice(at) + t.slice(0, at);
  if (mode === 2) return t.replace(/\d+/g, (d) => String(Number(d) * 7 + junk.length));
  return `${t} ${t}`;
});

const anyText = fc.oneof(reportText, mutatedText, fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }));

const lang = fc.constantFrom<Lang | undefined>('ru', 'uk', 'en', undefined);
const region = fc.constantFrom<string | undefined>('RU-KLU', 'UA-63', 'RU-MOW', undefined);

/** CPU milliseconds of this process spent in fn (wall time would count other processes on a busy machine). */
function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

function post(text: string, l: Lang | undefined, r: string | undefined): Post {
  const p: Post = { id: 'prop/1', channel: 'prop', messageId: 1, date: '2025-10-10T05:00:00Z', text };
  if (l) p.lang = l;
  if (r) p.channelRegion = r;
  return p;
}

/** Whether the evidence writes the count: as a number (digits or words) in it, or a single drone noun for 1. */
function evidenceStatesCount(r: IncidentRecord): boolean {
  if (r.count === null) return true;
  const tokens = tokenize(normalizeText(r.evidence));
  for (let k = 0; k < tokens.length; k++) {
    const n = parseNumberAt(tokens, k);
    if (n && !n.notCount && n.value === r.count) return true;
  }
  // "сбит беспилотник", "a drone": one drone, no number written.
  return r.count === 1;
}

describe('extractor properties', () => {
  it('never throws and always returns well-formed records', () => {
    fc.assert(
      fc.property(anyText, lang, region, (text, l, r) => {
        const records = extractPost(post(text, l, r));
        for (const [n, rec] of records.entries()) {
          expect(rec.id).toBe(`prop/1#${n}`);
          expect(rec.count === null || (Number.isSafeInteger(rec.count) && rec.count > 0)).toBe(true);
          expect(['destroyed', 'suppressed', 'launched', 'hit', 'crashed', 'unknown']).toContain(rec.outcome);
          expect(rec.evidence.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1500, seed: 4242 },
    );
  });

  it('gives the same output for the same input', () => {
    fc.assert(
      fc.property(anyText, lang, region, (text, l, r) => {
        expect(extractPost(post(text, l, r))).toEqual(extractPost(post(text, l, r)));
      }),
      { numRuns: 400, seed: 99 },
    );
  });

  it('every count is written in its evidence', () => {
    fc.assert(
      fc.property(fc.oneof(reportText, mutatedText), lang, (text, l) => {
        for (const r of extractPost(post(text, l, undefined))) expect(evidenceStatesCount(r), `${r.count} in «${r.evidence}»`).toBe(true);
      }),
      { numRuns: 1500, seed: 7 },
    );
  });

  it('stays under 50 ms on any input up to 100 KB', () => {
    const big = fc.tuple(fc.oneof(reportText, mutatedText, fc.string({ maxLength: 50 })), fc.integer({ min: 1, max: 100_000 })).map(([unit, size]) => {
      if (unit.length === 0) return 'а'.repeat(size);
      return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
    });
    // warm up the gazetteer and the JIT
    extractPost(post(RU[0]?.text ?? '', 'ru', undefined));
    fc.assert(
      fc.property(big, lang, (text, l) => {
        const p = post(text, l, undefined);
        let best = Infinity;
        // the fastest of three runs: a GC pause or a busy core is not the input's fault
        for (let i = 0; i < 3 && best > 50; i++) best = Math.min(best, cpuMs(() => extractPost(p)));
        expect(best, `${text.length} chars`).toBeLessThan(50);
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('reads a long post of many reports in linear time', () => {
    const unit = `${RU[0]?.text ?? ''}\n\n${UK[0]?.text ?? ''}\n\n`;
    let text = '';
    // each report with its own numbers, so that none is the same statement said twice
    for (let i = 0; text.length < 100_000; i++) text += unit.replace(/\d+/g, (d) => String(Number(d) + i * 1000));
    text = text.slice(0, 100_000);
    extractPost(post(text, 'ru', undefined));
    let best = Infinity;
    let records: IncidentRecord[] = [];
    for (let i = 0; i < 3; i++) best = Math.min(best, cpuMs(() => (records = extractPost(post(text, 'ru', undefined)))));
    expect(records.length).toBeGreaterThan(30);
    expect(best).toBeLessThan(50);
  });
});
