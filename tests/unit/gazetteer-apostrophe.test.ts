import { describe, expect, it } from 'vitest';
import { localName, resolve, withUkrainianApostrophe } from '../../src/extract/gazetteer/index.js';

describe('Ukrainian apostrophe in nominative names', () => {
  it.each([
    ['Купянськ', "Куп'янськ"],
    ['Пятихатки', "П'ятихатки"],
    ['Вязова', "В'язова"],
    ['Словянськ', "Слов'янськ"],
    ['Мяньківці', "М'яньківці"],
    ["Мар'їнка", "Мар'їнка"],
    ['Святогірськ', 'Святогірськ'],
    ['Рясне', 'Рясне'],
    ['Бюро', 'Бюро'],
    ['Харків', 'Харків'],
  ])('%s → %s', (input, expected) => {
    expect(withUkrainianApostrophe(input)).toBe(expected);
  });

  it('shows the Ukrainian nominative of a place that GeoNames spells without it', () => {
    const [best] = resolve('Куп\u2019янську', { lang: 'uk', channelRegion: 'UA-63' });
    expect(best).toBeDefined();
    expect(localName(best!.place, 'uk')).toBe("Куп'янськ");
  });
});
