import { Case, Gender, numeralize } from 'numeralize-ru';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/extract/normalize.js';
import { numberWordValue, parseNumberText } from '../../src/extract/numbers.js';
import { tokenize } from '../../src/extract/tokens.js';

const value = (s: string): number | null => parseNumberText(normalizeText(s), tokenize);

const UK: Array<[string, number]> = [
  ['один', 1], ['одна', 1], ['одного', 1], ['однієї', 1], ['одному', 1], ['одним', 1], ['одну', 1],
  ['два', 2], ['дві', 2], ['двох', 2], ['двом', 2], ['двома', 2],
  ['три', 3], ['трьох', 3], ['трьом', 3], ['трьома', 3],
  ['чотири', 4], ['чотирьох', 4], ['чотирьом', 4], ['чотирма', 4],
  ["п'ять", 5], ["п'яти", 5], ["п'ятьох", 5], ["п'ятьма", 5], ['п’ять', 5], ['пʼяти', 5],
  ['шість', 6], ['шести', 6], ['шістьма', 6], ['сім', 7], ['семи', 7], ['сьома', 7],
  ['вісім', 8], ['восьми', 8], ['вісьма', 8], ["дев'ять", 9], ["дев'яти", 9],
  ['десять', 10], ['десяти', 10], ['одинадцять', 11], ['одинадцяти', 11], ['дванадцяти', 12], ['тринадцятьма', 13],
  ['чотирнадцять', 14], ["п'ятнадцяти", 15], ['шістнадцять', 16], ['сімнадцяти', 17], ['вісімнадцять', 18], ["дев'ятнадцяти", 19],
  ['двадцять', 20], ['двадцяти', 20], ['двадцять два', 22], ['двадцяти двох', 22], ['двадцятьма двома', 22],
  ['тридцять один', 31], ['тридцяти трьох', 33], ['сорок', 40], ['сорока', 40], ["сорока п'яти", 45], ["сорок п'ять", 45],
  ["п'ятдесят", 50], ["п'ятдесяти шести", 56], ['шістдесят', 60], ['сімдесяти', 70], ['вісімдесят вісім', 88], ["дев'яносто", 90], ["дев'яноста дев'яти", 99],
  ['сто', 100], ['ста', 100], ['сто двадцять', 120], ['двісті', 200], ['двохсот', 200], ['триста', 300], ['трьохсот', 300],
  ['чотириста', 400], ["п'ятсот", 500], ["п'ятисот", 500], ['шістсот', 600], ['сімсот', 700], ['вісімсот', 800], ["дев'ятсот", 900],
  ['двісті сорок п\'ять', 245], ['тисяча', 1000],
];

const EN: Array<[string, number]> = [
  ['one', 1], ['two', 2], ['three', 3], ['four', 4], ['five', 5], ['six', 6], ['seven', 7], ['eight', 8], ['nine', 9], ['ten', 10],
  ['eleven', 11], ['twelve', 12], ['thirteen', 13], ['fifteen', 15], ['nineteen', 19], ['twenty', 20], ['twenty-two', 22],
  ['thirty one', 31], ['forty-five', 45], ['ninety-nine', 99], ['a hundred', 100], ['one hundred', 100], ['one hundred and twenty', 120],
  ['two hundred', 200], ['two hundred and forty-seven', 247], ['a thousand', 1000],
];

const DIGITS: Array<[string, number]> = [
  ['7', 7], ['112', 112], ['17-ма', 17], ['2-х', 2], ['20-ти', 20], ['5-ти', 5], ['1,2 тыс.', 1200], ['1,2 тис.', 1200],
  ['60 тыс.', 60_000], ['60 тис.', 60_000], ['79 тыс. 905', 79_905], ['1,386', 1386], ['1 386', 1386], ['2,5 тысячи', 2500], ['12 thousand', 12_000],
];

const RU_HAND: Array<[string, number]> = [
  ['один', 1], ['одного', 1], ['одну', 1], ['двух', 2], ['двумя', 2], ['трёх', 3], ['трех', 3], ['четырёх', 4], ['пяти', 5], ['пятью', 5],
  ['одиннадцати', 11], ['двадцати двух', 22], ['сорока', 40], ['девяноста', 90], ['ста', 100], ['двухсот', 200], ['трехсот пятидесяти', 350],
  ['двое', 2], ['трое', 3],
];

describe('number words and digits', () => {
  it.each(UK)('uk %s → %i', (text, n) => expect(value(text)).toBe(n));
  it.each(EN)('en %s → %i', (text, n) => expect(value(text)).toBe(n));
  it.each(DIGITS)('digits %s → %i', (text, n) => expect(value(text)).toBe(n));
  it.each(RU_HAND)('ru %s → %i', (text, n) => expect(value(text)).toBe(n));

  it('reads every Russian numeral 1–1000 in every case and gender (numeralize-ru)', () => {
    const cases = [Case.Nominative, Case.Genitive, Case.Dative, Case.Accusative, Case.Instrumental, Case.Prepositional];
    const wrong: string[] = [];
    let checked = 0;
    for (let n = 1; n <= 1000; n++) {
      for (const g of [Gender.Masculine, Gender.Feminine, Gender.Neuter]) {
        for (const c of cases) {
          const text = numeralize(n, g, c);
          checked++;
          if (value(text) !== n) wrong.push(`${text} → ${value(text)} (want ${n})`);
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(18_000);
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  it('times, dates and decimals are not numbers to count', () => {
    expect(value('08:30')).toBeNull();
    expect(value('13.00')).toBeNull();
    expect(value('12.10.2025')).toBeNull();
    expect(value('1,5')).toBeNull();
  });

  it('single words by value', () => {
    expect(numberWordValue('пятнадцати')).toBe(15);
    expect(numberWordValue("П'ЯТИ")).toBe(5);
    expect(numberWordValue('беспилотник')).toBeUndefined();
  });
});
