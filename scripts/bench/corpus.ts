/**
 * Posts for the pipeline, replay and latency sections: official-channel styles in Russian,
 * Ukrainian and English, written for the bench (no corpus text is copied), varied by a seeded
 * PRNG so that every run reads the same texts. About two posts in three state a drone incident
 * (one to several records), the rest are the ordinary news such channels post in between.
 */
import type { Lang, Post } from '../../src/domain/post.js';

/** Mulberry32: small, fast, good enough to vary texts reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

// Region names in the forms the templates need: "над <gen>", "<loc>".
const RU_REGIONS = [
  { gen: 'Брянской области', code: 'RU-BRY' },
  { gen: 'Курской области', code: 'RU-KRS' },
  { gen: 'Белгородской области', code: 'RU-BEL' },
  { gen: 'Орловской области', code: 'RU-ORL' },
  { gen: 'Калужской области', code: 'RU-KLU' },
  { gen: 'Воронежской области', code: 'RU-VOR' },
  { gen: 'Ростовской области', code: 'RU-ROS' },
  { gen: 'Тульской области', code: 'RU-TUL' },
  { gen: 'Смоленской области', code: 'RU-SMO' },
  { gen: 'Липецкой области', code: 'RU-LIP' },
  { gen: 'Тамбовской области', code: 'RU-TAM' },
  { gen: 'Московской области', code: 'RU-MOS' },
] as const;
const EN_REGIONS = ['Bryansk', 'Kursk', 'Belgorod', 'Oryol', 'Kaluga', 'Voronezh', 'Rostov', 'Tula', 'Smolensk', 'Lipetsk'] as const;
const UK_REGIONS = ['Харківщині', 'Сумщині', 'Чернігівщині', 'Полтавщині', 'Дніпропетровщині', 'Одещині', 'Миколаївщині', 'Київщині'] as const;
// Instrumental case, as in "над Брянском".
const RU_TOWNS = ['Брянском', 'Курском', 'Белгородом', 'Орлом', 'Калугой', 'Воронежем', 'Таганрогом', 'Тулой'] as const;

const RU_NEWS = [
  'Глава региона провёл совещание по подготовке к отопительному сезону. Обсудили ремонт котельных и сетей.',
  'В областной больнице открылось новое отделение реабилитации на 40 мест.',
  'Завтра с 9:00 до 17:00 в нескольких районах города будет отключена электроэнергия. График на сайте.',
  'Поздравляю земляков с Днём работников сельского хозяйства! Спасибо за ваш труд.',
  'На трассе ведётся ремонт моста, движение организовано по одной полосе до конца месяца.',
  'Стартовал приём заявок на региональный грант для молодых предпринимателей.',
] as const;
const UK_NEWS = [
  'Триває відновлення пошкодженої інфраструктури. Комунальники працюють цілодобово.',
  'Сьогодні відбулася нарада щодо підготовки до зими. Обговорили резервні джерела живлення.',
  'Нагадуємо: графіки відключень електроенергії публікуються на сайті обленерго.',
  'У громаді відкрили новий пункт незламності з генератором та зв’язком.',
] as const;
const EN_NEWS = [
  'The ministry held a briefing on the supply of winter equipment to the units.',
  'Servicemen of the engineering troops continue to clear the liberated territories of explosive objects.',
  'A ceremony in honour of the graduates of the military academy took place today.',
] as const;

function ruIncident(rand: Rand, hour: number): string {
  const kind = rand();
  if (kind < 0.35) {
    const r = pick(rand, RU_REGIONS);
    const n = int(rand, 1, 40);
    return `Сегодня в период с ${hour}.00 до ${hour + 2}.30 мск над территорией ${r.gen} дежурными средствами ПВО уничтожены ${n} украинских беспилотных летательных аппаратов самолётного типа.`;
  }
  if (kind < 0.65) {
    const parts = int(rand, 2, 4);
    const used = new Set<string>();
    const lines: string[] = [];
    let total = 0;
    while (lines.length < parts) {
      const r = pick(rand, RU_REGIONS);
      if (used.has(r.code)) continue;
      used.add(r.code);
      const n = int(rand, 1, 25);
      total += n;
      lines.push(`${n} – над территорией ${r.gen}`);
    }
    return `В течение прошедшей ночи дежурными средствами ПВО перехвачены и уничтожены ${total} украинских беспилотных летательных аппаратов:\n\n${lines.join(',\n')}.`;
  }
  if (kind < 0.85) {
    const town = pick(rand, RU_TOWNS);
    const n = int(rand, 2, 4);
    return `⚡️ Ночью над ${town} силами ПВО сбиты ${n} беспилотника. Пострадавших нет, на месте работают оперативные службы.`;
  }
  return `В результате атаки беспилотника на ${pick(rand, ['посёлок', 'село', 'хутор'])} повреждены кровля частного дома и автомобиль. Пострадавших нет.`;
}

function ukIncident(rand: Rand): string {
  const launched = int(rand, 20, 150);
  const destroyed = Math.max(1, launched - int(rand, 3, 20));
  if (rand() < 0.5) {
    return `У ніч на ${int(rand, 1, 28)} жовтня противник атакував ${launched} ударними БпЛА типу Shahed, «Гербера» та дронами-імітаторами. Станом на 09:00 збито/подавлено ${destroyed} ворожих БпЛА на півночі, півдні та сході країни.`;
  }
  return `Вночі на ${pick(rand, UK_REGIONS)} сили ППО знищили ${int(rand, 2, 15)} ударних безпілотників. Внаслідок падіння уламків пошкоджено приватний будинок.`;
}

function enIncident(rand: Rand): string {
  if (rand() < 0.6) {
    const a = pick(rand, EN_REGIONS);
    let b = pick(rand, EN_REGIONS);
    if (b === a) b = EN_REGIONS[(EN_REGIONS.indexOf(a) + 1) % EN_REGIONS.length] as (typeof EN_REGIONS)[number];
    const na = int(rand, 1, 30);
    const nb = int(rand, 1, 30);
    return `Last night, air defence systems on duty intercepted and destroyed ${na + nb} Ukrainian fixed-wing unmanned aerial vehicles: ${na} over ${a} region and ${nb} over ${b} region.`;
  }
  return `Today, from ${int(rand, 8, 14)}:00 to ${int(rand, 15, 20)}:00 Moscow time, air defence systems on duty destroyed ${int(rand, 1, 20)} Ukrainian UAVs over ${pick(rand, EN_REGIONS)} region.`;
}

interface ChannelStyle {
  channel: string;
  lang: Lang;
  channelRegion?: string;
}

const CHANNELS: ChannelStyle[] = [
  { channel: 'bench_mod_ru', lang: 'ru' },
  { channel: 'bench_mod_en', lang: 'en' },
  { channel: 'bench_airforce', lang: 'uk' },
  { channel: 'bench_gov_bel', lang: 'ru', channelRegion: 'RU-BEL' },
  { channel: 'bench_gov_krs', lang: 'ru', channelRegion: 'RU-KRS' },
  { channel: 'bench_ova_kh', lang: 'uk', channelRegion: 'UA-63' },
];

/** The text of one post in a channel's style; incident ≈ 2 posts in 3. */
export function postText(rand: Rand, lang: Lang, incident: boolean): string {
  const hour = int(rand, 6, 20);
  if (lang === 'ru') return incident ? ruIncident(rand, hour) : pick(rand, RU_NEWS);
  if (lang === 'uk') return incident ? ukIncident(rand) : pick(rand, UK_NEWS);
  return incident ? enIncident(rand) : pick(rand, EN_NEWS);
}

/**
 * `count` posts spread over six channels, message ids from `firstId`, dates a minute apart from
 * 2026-10-01. Deterministic for a seed.
 */
export function benchPosts(count: number, options: { seed?: number; firstId?: number; channelSuffix?: string } = {}): Post[] {
  const rand = prng(options.seed ?? 20261001);
  const firstId = options.firstId ?? 1;
  const t0 = Date.UTC(2026, 9, 1);
  const posts: Post[] = [];
  for (let i = 0; i < count; i++) {
    const style = CHANNELS[i % CHANNELS.length] as ChannelStyle;
    const channel = `${style.channel}${options.channelSuffix ?? ''}`;
    const messageId = firstId + Math.floor(i / CHANNELS.length);
    const post: Post = {
      id: `${channel}/${messageId}`,
      channel,
      messageId,
      date: new Date(t0 + i * 60_000).toISOString(),
      text: postText(rand, style.lang, rand() < 0.67),
      lang: style.lang,
    };
    if (style.channelRegion) post.channelRegion = style.channelRegion;
    posts.push(post);
  }
  return posts;
}
