/**
 * Generators of random, mutated and hostile input (fast-check arbitraries), shared by the extractor
 * fuzz script (scripts/fuzz-extractor.ts), its smaller run in the unit tests, and the bad-input
 * integration test. The seed texts are written for this file (drone reports in the styles the
 * extractor reads); no corpus post is copied here.
 */
import fc from 'fast-check';
import type { Lang, Post } from '../../src/domain/post.js';

/** Report-like seed texts; mutations start from these so that the fuzzer reaches deep into the rules. */
export const SEED_TEXTS: readonly string[] = [
  'Минувшей ночью дежурными средствами ПВО перехвачены и уничтожены 14 беспилотных летательных аппаратов самолетного типа: 6 – над территорией Курской области, 5 – над Брянской областью, 3 – над Орловской областью.',
  'В период с 08.00 до 11.30 мск над территорией Белгородской области сбиты 7 БПЛА. Пострадавших нет.',
  'Около 20 дронов атаковали Воронеж. Обломки упали на частный дом в Левобережном районе, возгорание ликвидировано.',
  'Над Калужской областью уничтожен беспилотник. Предварительно, без последствий.',
  'В ночь на 20 ноября противник атаковал 64 ударными БпЛА типа Shahed и имитаторами. Збито/подавлено 51 ворожий БпЛА на півночі, сході та півдні країни. Зафіксовано влучання 9 ударних БпЛА на 4 локаціях.',
  'Над Сумщиною та Харківщиною знешкоджено понад 30 дронів, із них 12 – Гербера. 4 локаційно втрачені.',
  'Air defense destroyed 23 Ukrainian drones overnight: 11 over the Belgorod region, 9 over Kursk and 3 over the Black Sea.',
  'A drone hit an industrial site in Novorossiysk; two people were injured. Several more UAVs were suppressed by electronic warfare.',
  'Ещё два беспилотника сбиты над Тульской областью. Всего с начала суток – 19.',
  'Внимание! Угроза атаки БПЛА. Жителям Липецка рекомендовано оставаться в укрытиях. Тел. 8 800 555-35-35',
  'В Рыльском районе FPV-дрон атаковал автомобиль, ранен мужчина 45 лет, 3 снаряда калибра 155 мм упали рядом.',
  'Вночі 18 ворожих ударних БпЛА летіли на Київ, всі збиті силами ППО. На Одещині – влучання у портову інфраструктуру.',
  'Силами ППО над Московским регионом уничтожены 3 беспилотника, летевших на Москву. Собянин: на месте падения обломков работают специалисты.',
  'За неделю над территорией Краснодарского края сбиты 112 БПЛА, в том числе 40 над акваторией Азовского моря.',
  'Over the Crimea, 5 drones shot down; 2 more crashed near Sevastopol.',
];

/** Characters that break naive code: controls, bidi marks, zero-width, surrogates, combining marks. */
export const NASTY_CHARS: readonly string[] = [
  '\u0000', '\u0001', '\u0007', '\u0008', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029', '\r', '\r\n', '\t', '\v', '\f',
  '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u061c',
  '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u034f',
  '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d', '\ude80', '\udc00\ud800',
  '\u0301', '\u0308', '\u0336', '\u20e3', '\ufe0f', '\ufffd', '\uffff', '\ufffe',
  '🚀', '🇺🇦', '👨‍👩‍👧', '💥', '⚡️', '#', '@', '%', '$', '{', '}', '<', '>', '&amp;', '\\', '"', "'", '`', '’', 'ʼ', '–', '—', '…',
  'ё', 'Ё', 'і', 'ї', 'є', 'ґ', 'ǅ', 'ß', 'İ', 'ﬁ', '\u0430\u0306',
];

/** Words from the extractor's world, to build plausible but scrambled sentences. */
export const WORD_POOL: readonly string[] = [
  'беспилотник', 'беспилотника', 'беспилотников', 'БПЛА', 'БпЛА', 'дрон', 'дронов', 'дронів', 'безпілотників', 'drones', 'UAV', 'Shahed',
  'Шахед', 'Герань-2', 'Гербера', 'FPV', 'самолетного', 'типа', 'уничтожены', 'сбиты', 'перехвачены', 'подавлены', 'збито', 'знешкоджено',
  'подавлено', 'влучання', 'упал', 'обломки', 'атаковал', 'destroyed', 'shot', 'down', 'intercepted', 'над', 'территорией', 'областью',
  'области', 'Курской', 'Брянской', 'Белгородской', 'Воронежской', 'Київ', 'Одещині', 'Харківщиною', 'Belgorod', 'Kursk', 'region', 'oblast',
  'районе', 'акваторией', 'Черного', 'моря', 'в', 'на', 'и', 'та', 'з', 'із', 'них', 'в том числе', 'всего', 'за неделю', 'с начала',
  'более', 'около', 'понад', 'свыше', 'over', 'about', 'несколько', 'группа', 'ещё', 'один', 'два', 'двух', 'три', 'пять', 'десять',
  'двадцать', 'сорок', 'сто', 'тысяча', 'двадцять', 'п’ятдесят', 'twenty', 'hundred', '0', '1', '2', '7', '12', '25', '99', '100', '1 000',
  '4096', '2026', '20.11.2026', '08:00', '13.00', 'мск', 'с', 'до', 'по', 'UTC', '–', '-', ':', ';', ',', '.', '(', ')', '«', '»', '\n',
];

const HUGE_NUMBERS = [
  '9007199254740993', '123456789012345678901234567890', '1e308', '1e309', '-0', 'NaN', 'Infinity', '0x7fffffff', '٣٤', '१२', '１２',
  '1 000 000 000 000 000', '99999999999999999999 беспилотников', '1,5', '2.000.000', '¾', '⅓', 'Ⅻ', '00000000000000000007',
];

/** One UTF-16 code unit, lone surrogates included. */
const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

const word = fc.constantFrom(...WORD_POOL);
const nasty = fc.constantFrom(...NASTY_CHARS);
const hugeNumber = fc.constantFrom(...HUGE_NUMBERS);

/** Scrambled sentences from the extractor's own vocabulary. */
export const wordSoupText = fc
  .array(fc.oneof({ weight: 12, arbitrary: word }, { weight: 1, arbitrary: nasty }, { weight: 1, arbitrary: hugeNumber }, { weight: 2, arbitrary: fc.nat(5000).map(String) }), { maxLength: 300 })
  .chain((parts) => fc.array(fc.constantFrom(' ', ' ', ' ', '', '\n', ', ', ' – '), { minLength: parts.length, maxLength: parts.length }).map((seps) => parts.map((p, i) => p + seps[i]).join('')));

type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number; times: number }
  | { kind: 'replaceDigits'; with: string }
  | { kind: 'latinize' }
  | { kind: 'upper' }
  | { kind: 'sprinkle'; char: string; every: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.oneof(nasty, hugeNumber, word, fc.string({ unit: utf16Unit, maxLength: 20 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.nat(40) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 200 }), times: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('replaceDigits' as const), with: hugeNumber }),
  fc.constant({ kind: 'latinize' as const }),
  fc.constant({ kind: 'upper' as const }),
  fc.record({ kind: fc.constant('sprinkle' as const), char: nasty, every: fc.integer({ min: 1, max: 12 }) }),
);

const LOOKALIKES: Record<string, string> = { а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', х: 'x', у: 'y', і: 'i', к: 'k', А: 'A', Е: 'E', О: 'O', Р: 'P', С: 'C' };

export function applyMutation(text: string, m: Mutation): string {
  const pos = (f: number) => Math.min(text.length, Math.floor(f * text.length));
  switch (m.kind) {
    case 'insert':
      return text.slice(0, pos(m.at)) + m.text + text.slice(pos(m.at));
    case 'delete':
      return text.slice(0, pos(m.at)) + text.slice(pos(m.at) + m.length);
    case 'duplicate': {
      const start = pos(m.at);
      const piece = text.slice(start, start + m.length);
      return text.slice(0, start) + piece.repeat(m.times) + text.slice(start);
    }
    case 'replaceDigits':
      return text.replace(/\d+/g, m.with);
    case 'latinize':
      return text.replace(/[аеорсхуікАЕОРС]/g, (c) => LOOKALIKES[c] ?? c);
    case 'upper':
      return text.toUpperCase();
    case 'sprinkle': {
      let out = '';
      for (let i = 0; i < text.length; i++) out += i % m.every === 0 ? m.char + text[i] : text[i];
      return out;
    }
  }
}

/** A seed text (or several joined) put through a few mutations. */
export const mutatedText = fc
  .tuple(fc.array(fc.constantFrom(...SEED_TEXTS), { minLength: 1, maxLength: 4 }), fc.array(mutation, { maxLength: 8 }))
  .map(([seeds, mutations]) => mutations.reduce(applyMutation, seeds.join('\n\n')));

/** A text far past any real post: the extractor must bound its own work. */
export const hugeText = fc
  .tuple(fc.oneof(fc.constantFrom(...SEED_TEXTS), wordSoupText, fc.string({ unit: utf16Unit, minLength: 1, maxLength: 50 })), fc.integer({ min: 5_000, max: 300_000 }))
  .map(([piece, length]) => (piece.length === 0 ? 'x' : piece).repeat(Math.ceil(length / Math.max(1, piece.length))).slice(0, length));

/** Every kind of text, weighted towards the ones that exercise the rules. */
export function textArbitrary(options: { huge?: boolean } = {}): fc.Arbitrary<string> {
  const kinds: Array<{ weight: number; arbitrary: fc.Arbitrary<string> }> = [
    { weight: 8, arbitrary: mutatedText },
    { weight: 5, arbitrary: wordSoupText },
    { weight: 2, arbitrary: fc.string({ unit: utf16Unit, maxLength: 500 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 500 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
    { weight: 1, arbitrary: fc.array(fc.oneof(nasty, hugeNumber), { maxLength: 200 }).map((a) => a.join('')) },
  ];
  if (options.huge !== false) kinds.push({ weight: 1, arbitrary: hugeText });
  return fc.oneof(...kinds);
}

const LANGS: Array<Lang | undefined> = ['ru', 'uk', 'en', undefined];
const REGIONS = [undefined, 'RU-BEL', 'RU-KRS', 'UA-63', 'UA-43', 'UA-40', 'RU-MOW', 'XX-ZZZ'];
const DATES = ['2026-11-20T10:00:00.000Z', '1970-01-01T00:00:00Z', '2099-12-31T23:59:59+14:00', '2026-02-29T00:00:00Z', '2026-11-20'];

/** A post the extractor may be handed (valid in shape, hostile in content). */
export function postArbitrary(options: { huge?: boolean } = {}): fc.Arbitrary<Post> {
  return fc
    .record({
      text: textArbitrary(options),
      messageId: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      lang: fc.constantFrom(...LANGS),
      region: fc.constantFrom(...REGIONS),
      date: fc.constantFrom(...DATES),
      edited: fc.boolean(),
    })
    .map(({ text, messageId, lang, region, date, edited }) => {
      const post: Post = { id: `fuzz_channel/${messageId}`, channel: 'fuzz_channel', messageId, date, text };
      if (lang) post.lang = lang;
      if (region) post.channelRegion = region;
      if (edited) post.editDate = '2026-11-20T11:00:00.000Z';
      return post;
    });
}

/** Values of every type but the right one, for each field of a post. */
export const wrongTypeValue = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.constantFrom(0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 2, -0, 1e308),
  fc.string({ unit: utf16Unit, maxLength: 30 }),
  fc.array(fc.nat(), { maxLength: 3 }),
  fc.constant({}),
  fc.constant({ toString: 'x', valueOf: 1 }),
  fc.constant(['ru']),
);
