import { describe, expect, it } from 'vitest';
import { detectLang } from '../../src/extract/lang.js';
import { normalizeText } from '../../src/extract/normalize.js';
import { splitSentences, tokenize } from '../../src/extract/tokens.js';

describe('normalizeText', () => {
  it.each([
    ['Обломки упали в Кремёнках', 'Обломки упали в Кременках'],
    ['п’ять, пʼять, п`ять', "п'ять, п'ять, п'ять"],
    ['12 – над, 9 — над', '12 - над, 9 - над'],
    ['сбиты\u00a0три', 'сбиты три'],
    ['Kурская', 'Курская'],
    ['cбит беспилотник', 'сбит беспилотник'],
    ['#Курская_область', ' Курская область'],
    ['Подробнее: https://t.me/x/1 и kyivindependent.com', `Подробнее: ${' '.repeat(16)} и ${' '.repeat(19)}`],
    ['⚡️ЗБИТО', '  ЗБИТО'],
    ['«шахеди»', '"шахеди"'],
    ["Kharkiv's Saltivskyi", 'Kharkiv   Saltivskyi'],
    ['cities—Borovsk', 'cities Borovsk'],
    ['FPV-дрон', 'FPV-дрон'],
  ])('%s', (input, output) => {
    const n = normalizeText(input);
    expect(n).toBe(output);
    expect(n.length).toBe(input.length);
  });

  it('keeps the length for any text, so evidence offsets stay valid', () => {
    const s = '🇺🇦 Ё́ж\u200d\ud800 — “x” #тег_тег https://a.b/c?d=e';
    expect(normalizeText(s).length).toBe(s.length);
  });
});

describe('tokens and sentences', () => {
  it('splits at sentence ends but not inside abbreviations, times or lists', () => {
    const text = normalizeText('В 8.00 над Курской обл. сбиты 3 БПЛА. Пострадавших нет.\nИтог:\n12 – над Брянской областью,\n9 – над Курской.');
    const tokens = tokenize(text);
    const sentences = splitSentences(tokens).map((s) => text.slice(s.start, s.end));
    expect(sentences).toEqual(['В 8.00 над Курской обл. сбиты 3 БПЛА.', 'Пострадавших нет.', 'Итог:\n12 - над Брянской областью,\n9 - над Курской.']);
  });
});

describe('detectLang', () => {
  it.each([
    ['Над Сумщиною збито 5 ворожих БпЛА', 'uk'],
    ['Над Брянской областью сбиты три беспилотника', 'ru'],
    ['Air defenses shot down two drones', 'en'],
    ['Сили ППО знищили дрони', 'uk'],
  ])('%s → %s', (text, lang) => expect(detectLang(text)).toBe(lang));
});
