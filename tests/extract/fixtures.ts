/**
 * Hand-written fixtures in the styles of the followed channels (own numbers and sentences; the
 * shared corpus is never copied). Each row: [text, expected records in text order, post options].
 * Expected places list spellings; a record matches when each listed place is among its places
 * (by English name or local name) and it has no extra places.
 */
import type { Lang } from '../../src/domain/post.js';

export interface Expected {
  region: string | string[] | null;
  count: number | null;
  outcome: 'destroyed' | 'suppressed' | 'launched' | 'hit' | 'crashed' | 'unknown';
  places?: string[];
  approx?: boolean;
  droneType?: string | null;
  period?: { from: string; to: string };
}

export interface Fixture {
  text: string;
  expected: Expected[];
  lang: Lang;
  channel?: string;
  channelRegion?: string;
  date?: string;
  note?: string;
}

const MOS = ['RU-MOS', 'RU-MOW'];

export const RU: Fixture[] = [
  {
    note: 'MoD breakdown list with a total and a sea',
    lang: 'ru', channel: 'mod_russia',
    text: 'В течение прошедшей ночи дежурными средствами ПВО перехвачены и уничтожены 41 украинский беспилотный летательный аппарат самолетного типа: 15 – над территорией Курской области, 11 – над территорией Воронежской области, 8 – над территорией Белгородской области, 4 – над акваторией Азовского моря и 3 – над территорией Тамбовской области.',
    expected: [
      { region: 'RU-KRS', count: 15, outcome: 'destroyed', droneType: 'fixed-wing' },
      { region: 'RU-VOR', count: 11, outcome: 'destroyed' },
      { region: 'RU-BEL', count: 8, outcome: 'destroyed' },
      { region: null, count: 4, outcome: 'destroyed', places: ['Sea of Azov'] },
      { region: 'RU-TAM', count: 3, outcome: 'destroyed' },
    ],
  },
  {
    note: 'one region per line, number words',
    lang: 'ru', channel: 'mod_russia',
    text: 'В течение прошедшей ночи дежурными средствами ПВО уничтожены и перехвачены одиннадцать украинских беспилотных летательных аппаратов самолетного типа:\nпять БпЛА — над территорией Брянской области,\nчетыре БпЛА — над территорией Смоленской области,\nдва БпЛА — над территорией Тверской области.',
    expected: [
      { region: 'RU-BRY', count: 5, outcome: 'destroyed' },
      { region: 'RU-SMO', count: 4, outcome: 'destroyed' },
      { region: 'RU-TVE', count: 2, outcome: 'destroyed' },
    ],
  },
  {
    note: 'distributive "по шесть" over two regions',
    lang: 'ru', channel: 'mod_russia',
    text: 'Сегодня с 9:00 до 12:00 мск дежурные средства ПВО перехватили и уничтожили 17 украинских беспилотных летательных аппаратов самолетного типа: по шесть — над территориями Калужской и Тульской областей, пять — над территорией Московского региона.',
    date: '2025-11-02T10:30:00Z',
    expected: [
      { region: 'RU-KLU', count: 6, outcome: 'destroyed', period: { from: '2025-11-02T06:00:00.000Z', to: '2025-11-02T09:00:00.000Z' } },
      { region: 'RU-TUL', count: 6, outcome: 'destroyed' },
      { region: MOS, count: 5, outcome: 'destroyed' },
    ],
  },
  {
    note: 'governor, district implies the region',
    lang: 'ru', channel: 'vvgladkov', channelRegion: 'RU-BEL',
    text: 'Сегодня утром над Белгородским районом силами ПВО сбиты три беспилотника. Пострадавших нет.',
    expected: [{ region: 'RU-BEL', count: 3, outcome: 'destroyed', places: ['Белгородский район'] }],
  },
  {
    note: 'settlement in the genitive after "в районе"',
    lang: 'ru', channel: 'Shapsha_VV', channelRegion: 'RU-KLU',
    text: 'Ночью в районе Малоярославца и Обнинска уничтожены два БПЛА. Пострадавших и разрушений нет.',
    expected: [{ region: 'RU-KLU', count: 2, outcome: 'destroyed', places: ['Малоярославец', 'Обнинск'] }],
  },
  {
    note: 'debris sentence adds its place to the shoot-down',
    lang: 'ru', channel: 'drozdenko_au_lo', channelRegion: 'RU-LEN',
    text: 'Ночью над Киришским районом силами ПВО сбит беспилотник. Обломки упали на территории промзоны в Киришах, пострадавших нет.',
    expected: [{ region: 'RU-LEN', count: 1, outcome: 'destroyed', places: ['Киришский район', 'Кириши'] }],
  },
  {
    note: 'FPV strike with casualties: the casualty number is not a count',
    lang: 'ru', channel: 'Hinshtein', channelRegion: 'RU-KRS',
    text: 'В Рыльском районе в результате атаки FPV-дрона на автомобиль ранены 2 мирных жителя. Их доставили в больницу.',
    expected: [{ region: 'RU-KRS', count: 1, outcome: 'hit', droneType: 'FPV', places: ['Рыльский район'] }],
  },
  {
    note: 'wreckage found: crashed',
    lang: 'ru', channel: 'AVBogomaz', channelRegion: 'RU-BRY',
    text: 'В Климовском районе в поле обнаружены обломки беспилотника. На месте работают взрывотехники.',
    expected: [{ region: 'RU-BRY', count: 1, outcome: 'crashed', places: ['Климовский район'] }],
  },
  {
    note: 'correction "не 5, а 8" with the extra ones located',
    lang: 'ru', channel: 'dmilyaev', channelRegion: 'RU-TUL',
    text: 'Уточнение: этой ночью над Тульской областью уничтожено не 5, а 8 БПЛА — ещё три сбиты над Новомосковском. Пострадавших нет.',
    expected: [{ region: 'RU-TUL', count: 8, outcome: 'destroyed', places: ['Новомосковск'] }],
  },
  {
    note: 'separate events and "итого" total',
    lang: 'ru', channel: 'Hinshtein', channelRegion: 'RU-KRS',
    text: 'Над Рыльском сбит один беспилотник. Ещё два уничтожены над Курчатовским районом. Итого три.',
    expected: [
      { region: 'RU-KRS', count: 1, outcome: 'destroyed', places: ['Рыльск'] },
      { region: 'RU-KRS', count: 2, outcome: 'destroyed', places: ['Курчатовский район'] },
    ],
  },
  {
    note: 'subset "в том числе" is not a record',
    lang: 'ru', channel: 'mod_russia',
    text: 'Над территорией Московского региона дежурными средствами ПВО уничтожены 12 беспилотников, в том числе 4 летевших на Москву.',
    expected: [{ region: MOS, count: 12, outcome: 'destroyed' }],
  },
  {
    note: 'approximate count',
    lang: 'ru', channel: 'Yuri_Slusar', channelRegion: 'RU-ROS',
    text: 'Ночью над Ростовской областью уничтожены и подавлены более 40 беспилотников. Пострадавших нет.',
    expected: [{ region: 'RU-ROS', count: 40, outcome: 'destroyed', approx: true }],
  },
  {
    note: 'one count over several regions, no breakdown',
    lang: 'ru', channel: 'mod_russia',
    text: 'Дежурными средствами ПВО над территориями Брянской, Курской и Орловской областей уничтожены 17 украинских беспилотников.',
    expected: [{ region: null, count: 17, outcome: 'destroyed', places: ['Брянская область', 'Курская область', 'Орловская область'] }],
  },
  {
    note: 'naval drones are not drones',
    lang: 'ru', channel: 'mod_russia',
    text: 'В акватории Черного моря уничтожены шесть безэкипажных катеров ВСУ. Кроме того, над акваторией Черного моря сбиты три беспилотника.',
    expected: [{ region: null, count: 3, outcome: 'destroyed', places: ['Black Sea'] }],
  },
  {
    note: 'mayor: drones flying at Moscow',
    lang: 'ru', channel: 'mos_sobyanin', channelRegion: 'RU-MOW',
    text: 'Отражена атака четырёх БПЛА, летевших на Москву. На месте падения обломков работают специалисты экстренных служб.',
    expected: [{ region: MOS, count: 4, outcome: 'destroyed' }],
  },
  {
    note: 'compound number words',
    lang: 'ru', channel: 'gusev_36', channelRegion: 'RU-VOR',
    text: 'Над Воронежской областью дежурными силами ПВО уничтожены двадцать два беспилотника. Обошлось без пострадавших.',
    expected: [{ region: 'RU-VOR', count: 22, outcome: 'destroyed' }],
  },
  {
    note: 'Crimea head: region from the text form "над Крымом"',
    lang: 'ru', channel: 'Aksenov82', channelRegion: 'UA-43',
    text: 'Минувшей ночью силами ПВО над Крымом уничтожены 9 беспилотников. Пострадавших нет.',
    expected: [{ region: 'UA-43', count: 9, outcome: 'destroyed' }],
  },
  {
    note: 'a strike with no count: plural without a number',
    lang: 'ru', channel: 'opershtab23', channelRegion: 'RU-KDA',
    text: 'В Новороссийске в результате атаки беспилотников повреждены два жилых дома. Пострадавших нет.',
    expected: [{ region: 'RU-KDA', count: null, outcome: 'hit', places: ['Новороссийск'] }],
  },
  {
    note: 'genitive singular drone shot down, Latin letter inside a Cyrillic word',
    lang: 'ru', channel: 'aeklychkov', channelRegion: 'RU-ORL',
    text: 'Над Мценским районом дежурными силами ПВО cбит украинский беспилотник.',
    expected: [{ region: 'RU-ORL', count: 1, outcome: 'destroyed', places: ['Мценский район'] }],
  },
  {
    note: 'suppressed by electronic warfare',
    lang: 'ru', channel: 'i_artamonov', channelRegion: 'RU-LIP',
    text: 'Средствами РЭБ подавлены два беспилотника над Елецким районом. Пострадавших нет.',
    expected: [{ region: 'RU-LIP', count: 2, outcome: 'suppressed', places: ['Елецкий район'] }],
  },
  {
    note: 'daily MoD summary: the drone count is country-wide, the tally is not a record',
    lang: 'ru', channel: 'mod_russia',
    text: 'Средствами противовоздушной обороны за сутки сбиты две управляемые авиационные бомбы и 118 беспилотных летательных аппаратов самолетного типа.\n\nВсего с начала проведения специальной военной операции уничтожены: 670 самолетов, 90 тыс. 120 беспилотных летательных аппаратов.',
    expected: [{ region: null, count: 118, outcome: 'destroyed', droneType: 'fixed-wing' }],
  },
  {
    note: 'region named only as "the oblast": the channel decides',
    lang: 'ru', channel: 'pavelmalkov_official', channelRegion: 'RU-RYA',
    text: 'Ночью над территорией области силами ПВО уничтожены 5 БПЛА. Пострадавших нет.',
    expected: [{ region: 'RU-RYA', count: 5, outcome: 'destroyed' }],
  },
  {
    note: 'debris of a downed drone in a city, no earlier record',
    lang: 'ru', channel: 'Hinshtein', channelRegion: 'RU-KRS',
    text: 'В Курске обломки сбитого беспилотника упали на крышу жилого дома. Пострадавших нет.',
    expected: [{ region: 'RU-KRS', count: 1, outcome: 'destroyed', places: ['Курск'] }],
  },
  {
    note: 'Moscow Oblast governor: places after a colon',
    lang: 'ru', channel: 'vorobiev_live', channelRegion: 'RU-MOS',
    text: 'Сегодня ночью три беспилотника были перехвачены ПВО на территории Подмосковья: в Наро-Фоминском городском округе и в Домодедове.',
    expected: [{ region: 'RU-MOS', count: 3, outcome: 'destroyed', places: ['Наро-Фоминский городской округ', 'Домодедово'] }],
  },
  {
    note: 'mayor: another two drones',
    lang: 'ru', channel: 'mos_sobyanin', channelRegion: 'RU-MOW',
    text: 'ПВО Минобороны отразили атаку ещё двух БПЛА, летевших на Москву.',
    expected: [{ region: MOS, count: 2, outcome: 'destroyed' }],
  },
  {
    note: 'shoot-down, then an FPV strike on a town',
    lang: 'ru', channel: 'Hinshtein', channelRegion: 'RU-KRS',
    text: 'За прошедшие сутки над Курской областью уничтожены 43 беспилотника.\n\nВ Льгове FPV-дрон атаковал легковой автомобиль, пострадал водитель.',
    expected: [
      { region: 'RU-KRS', count: 43, outcome: 'destroyed' },
      { region: 'RU-KRS', count: 1, outcome: 'hit', droneType: 'FPV', places: ['Льгов'] },
    ],
  },
  {
    note: 'a time with "около" is not an approximate count',
    lang: 'ru', channel: 'mod_russia',
    text: 'Около 06:40 мск дежурными средствами ПВО уничтожены три украинских беспилотных летательных аппарата над территорией Курской области.',
    expected: [{ region: 'RU-KRS', count: 3, outcome: 'destroyed', approx: false }],
  },
  {
    note: 'an attack on a plant repelled: destroyed, count unknown',
    lang: 'ru', channel: 'Hinshtein', channelRegion: 'RU-KRS',
    text: 'Атака БПЛА на Курскую АЭС отражена. Радиационный фон в норме.',
    expected: [{ region: 'RU-KRS', count: null, outcome: 'destroyed' }],
  },
  {
    note: 'a village the settlement noun vouches for; kamikaze drone strike',
    lang: 'ru', channel: 'vvgladkov', channelRegion: 'RU-BEL',
    text: 'В Белгородском районе в селе Стрелецкое дрон-камикадзе атаковал частный дом. Пострадавших нет.',
    expected: [{ region: 'RU-BEL', count: 1, outcome: 'hit', places: ['Белгородский район', 'Стрелецкое'] }],
  },
  {
    note: 'shoot-down and electronic warfare in two districts',
    lang: 'ru', channel: 'Yuri_Slusar', channelRegion: 'RU-ROS',
    text: 'В Каменском районе сбиты два беспилотника, ещё один подавлен средствами РЭБ в Миллеровском районе.',
    expected: [
      { region: 'RU-ROS', count: 2, outcome: 'destroyed', places: ['Каменский район'] },
      { region: 'RU-ROS', count: 1, outcome: 'suppressed', places: ['Миллеровский район'] },
    ],
  },
  {
    note: 'a subset by district is not a record',
    lang: 'ru', channel: 'AVBogomaz', channelRegion: 'RU-BRY',
    text: 'Над Брянской областью за ночь уничтожены 7 БПЛА, из них 3 – над Брянским районом.',
    expected: [{ region: 'RU-BRY', count: 7, outcome: 'destroyed' }],
  },
  {
    note: 'casualties and houses are not counts',
    lang: 'ru', channel: 'opershtab23', channelRegion: 'RU-KDA',
    text: 'В результате атаки украинских беспилотников на Новороссийск пострадали 5 человек, повреждены 3 многоквартирных дома.',
    expected: [{ region: 'RU-KDA', count: null, outcome: 'hit', places: ['Новороссийск'] }],
  },
  {
    note: 'header ending in a colon, a blank line, then one region per line (each line its own sentence)',
    lang: 'ru', channel: 'mod_russia',
    text: 'Сегодня утром дежурными средствами ПВО уничтожены 23 украинских беспилотных летательных аппарата самолетного типа:\n\n9 – над территорией Брянской области,\n6 – над территорией Орловской области,\n4 – над акваторией Черного моря,\nпо два – над территориями Курской и Смоленской областей.',
    expected: [
      { region: 'RU-BRY', count: 9, outcome: 'destroyed', droneType: 'fixed-wing' },
      { region: 'RU-ORL', count: 6, outcome: 'destroyed', droneType: 'fixed-wing' },
      { region: null, count: 4, outcome: 'destroyed', droneType: 'fixed-wing', places: ['Black Sea'] },
      { region: 'RU-KRS', count: 2, outcome: 'destroyed', droneType: 'fixed-wing' },
      { region: 'RU-SMO', count: 2, outcome: 'destroyed', droneType: 'fixed-wing' },
    ],
  },
  {
    note: 'a city, then strikes counted on its districts in the next sentence',
    lang: 'ru', channel: 'vvgladkov', channelRegion: 'RU-BEL',
    text: 'ВСУ атаковали Белгород. Зафиксировано 4 удара беспилотников по Западному и Восточному округам. Повреждены два автомобиля.',
    expected: [{ region: 'RU-BEL', count: 4, outcome: 'hit', places: ['Белгород', 'Западный округ', 'Восточный округ'] }],
  },
];

export const UK: Fixture[] = [
  {
    note: 'Air Force morning report',
    lang: 'uk', channel: 'kpszsu',
    text: 'У ніч на 3 березня (з 18:00 2 березня) противник атакував 146 ударними БпЛА типу Shahed, Гербера та дронами-імітаторами різних типів з напрямків: Орел, Міллерово, Приморсько-Ахтарськ, Шаталово.\n\nЗа попередніми даними, станом на 08:30 протиповітряною обороною збито/подавлено 119 ворожих БпЛА на півночі, сході та півдні країни.\n\nЗафіксовано влучання 22 ударних БпЛА на 11 локаціях.',
    expected: [
      { region: null, count: 146, outcome: 'launched', places: ['Oryol', 'Millerovo', 'Primorsko-Akhtarsk', 'Shatalovo'] },
      { region: null, count: 119, outcome: 'destroyed' },
      { region: null, count: 22, outcome: 'hit' },
    ],
  },
  {
    note: 'Air Force: location-lost decoys are suppressed',
    lang: 'uk', channel: 'kpszsu',
    text: 'Станом на 09:00 збито 45 ударних БпЛА типу Shahed. Ще 30 ворожих безпілотників-імітаторів локаційно втрачені, без негативних наслідків.',
    expected: [
      { region: null, count: 45, outcome: 'destroyed', droneType: 'Shahed' },
      { region: null, count: 30, outcome: 'suppressed' },
    ],
  },
  {
    note: 'regional: destroyed, then a separate hit with its town',
    lang: 'uk', channel: 'synegubov', channelRegion: 'UA-63',
    text: 'Вночі над Харківщиною сили ППО знищили 8 ворожих БпЛА. Ще два «шахеди» влучили в складські приміщення у Чугуєві. Постраждалих немає.',
    expected: [
      { region: 'UA-63', count: 8, outcome: 'destroyed' },
      { region: 'UA-63', count: 2, outcome: 'hit', droneType: 'Shahed', places: ['Чугуїв'] },
    ],
  },
  {
    note: 'debris in a town belongs to the shoot-down',
    lang: 'uk', channel: 'Sumy_news_ODA', channelRegion: 'UA-59',
    text: 'Протягом ночі над Сумщиною збито 5 ворожих дронів. У Конотопі уламки пошкодили дах приватного будинку. Людей не травмовано.',
    expected: [{ region: 'UA-59', count: 5, outcome: 'destroyed', places: ['Конотоп'] }],
  },
  {
    note: 'capital: city districts, one elided',
    lang: 'uk', channel: 'VA_Kyiv', channelRegion: 'UA-30',
    text: 'Сили ППО знищили 9 ворожих дронів на підльоті до столиці. У Голосіївському районі уламки впали на дах будинку, у Дніпровському — на відкриту територію.',
    expected: [{ region: 'UA-30', count: 9, outcome: 'destroyed', places: ['Голосіївський район', 'Дніпровський район'] }],
  },
  {
    note: 'subset "понад 50 із них" is not a record',
    lang: 'uk', channel: 'kpszsu',
    text: 'Цієї ночі противник атакував 90 ударними БпЛА. Понад 50 із них – «шахеди». Збито/подавлено 71 ворожий БпЛА.',
    expected: [
      { region: null, count: 90, outcome: 'launched' },
      { region: null, count: 71, outcome: 'destroyed' },
    ],
  },
  {
    note: 'Ukrainian number words',
    lang: 'uk', channel: 'odeskaODA', channelRegion: 'UA-51',
    text: 'Над Одещиною сили ППО збили двадцять два ворожі дрони. Постраждалих немає.',
    expected: [{ region: 'UA-51', count: 22, outcome: 'destroyed' }],
  },
  {
    note: 'oblique case number; a regional attack on a named city with damage is a hit, not a launch tally',
    lang: 'uk', channel: 'poltavskaODA', channelRegion: 'UA-53',
    text: 'Зранку ворог атакував Кременчук п\u2019ятьма ударними дронами. Пошкоджено промислове підприємство.',
    expected: [{ region: 'UA-53', count: 5, outcome: 'hit', places: ['Кременчук'] }],
  },
  {
    note: 'area name and hromadas under FPV attack',
    lang: 'uk', channel: 'dnipropetrovskaODA', channelRegion: 'UA-12',
    text: 'Нікопольщина знову під ударами FPV-дронів. Потерпали Марганецька та Покровська громади. Пошкоджено два приватні будинки.',
    expected: [{ region: 'UA-12', count: null, outcome: 'hit', droneType: 'FPV', places: ['Нікопольщина', 'Марганецька громада', 'Покровська громада'] }],
  },
  {
    note: 'digit with a case ending',
    lang: 'uk', channel: 'zoda_gov_ua', channelRegion: 'UA-23',
    text: 'Сили ППО знешкодили над Запоріжжям 17-ма ворожих БпЛА. Обійшлося без постраждалих.',
    expected: [{ region: 'UA-23', count: 17, outcome: 'destroyed', places: ['Запоріжжя'] }],
  },
  {
    note: 'approximate, Ukrainian',
    lang: 'uk', channel: 'chernigivskaODA', channelRegion: 'UA-74',
    text: 'Вночі над Чернігівщиною збито понад 20 ворожих безпілотників. У Ніжинському районі пошкоджено лінію електропередачі.',
    expected: [{ region: 'UA-74', count: 20, outcome: 'destroyed', approx: true, places: ['Ніжинський район'] }],
  },
  {
    note: 'region named only as "the oblast": the channel decides',
    lang: 'uk', channel: 'kharkivoda', channelRegion: 'UA-63',
    text: 'Протягом ночі над областю збито 12 ворожих БпЛА. Інформація щодо наслідків уточнюється.',
    expected: [{ region: 'UA-63', count: 12, outcome: 'destroyed' }],
  },
  {
    note: 'city district under a singular strike drone',
    lang: 'uk', channel: 'synegubov', channelRegion: 'UA-63',
    text: 'Харків: ворог атакував Немишлянський район ударним БпЛА. Постраждалих немає.',
    expected: [{ region: 'UA-63', count: 1, outcome: 'hit', places: ['Немишлянський район', 'Харків'] }],
  },
  {
    note: 'strike on a city, then a shoot-down count, then damage in a city district',
    lang: 'uk', channel: 'odeskaODA', channelRegion: 'UA-51',
    text: 'Ворог атакував Одесу ударними дронами. Сили ППО знищили 9 БпЛА. У Приморському районі міста пошкоджено адмінбудівлю.',
    expected: [
      { region: 'UA-51', count: null, outcome: 'hit', places: ['Одеса', 'Приморський район'] },
      { region: 'UA-51', count: 9, outcome: 'destroyed' },
    ],
  },
  {
    note: 'launched at the oblast, then "N of them" shot down',
    lang: 'uk', channel: 'synegubov', channelRegion: 'UA-63',
    text: 'Протягом ночі ворог атакував Харківщину 15 ударними дронами. Сили ППО знешкодили 10 із них.',
    expected: [
      { region: 'UA-63', count: 15, outcome: 'launched' },
      { region: 'UA-63', count: 10, outcome: 'destroyed' },
    ],
  },
  {
    note: 'a track alert: drones on their way, outcome unknown; the origin is not the region',
    lang: 'uk', channel: 'kpszsu',
    text: 'Увага! Група ударних БпЛА з Чернігівщини курсом на Київщину.',
    expected: [{ region: 'UA-32', count: null, outcome: 'unknown' }],
  },
  {
    note: 'Air Force shorthand: shot down, then location-lost',
    lang: 'uk', channel: 'kpszsu',
    text: 'Сили ППО збили 45 шахедів, ще 10 локаційно втрачені.',
    expected: [
      { region: null, count: 45, outcome: 'destroyed', droneType: 'Shahed' },
      { region: null, count: 10, outcome: 'suppressed' },
    ],
  },
  {
    note: 'drones launched, then debris: they were shot down; the origin sea is not a place',
    lang: 'uk', channel: 'mykolaivskaODA', channelRegion: 'UA-48',
    text: 'Ворог запустив «шахеди» з боку Чорного моря. Внаслідок падіння уламків у Миколаєві пошкоджено автомобіль.',
    expected: [{ region: 'UA-48', count: null, outcome: 'destroyed', places: ['Миколаїв'] }],
  },
  {
    note: 'sea in Ukrainian',
    lang: 'uk', channel: 'kpszsu',
    text: 'Над акваторією Чорного моря знищено 4 безпілотники.',
    expected: [{ region: null, count: 4, outcome: 'destroyed', places: ['Black Sea'] }],
  },
  {
    note: 'launch count followed by outcomes that add up to it; types listed in quotes are not records',
    lang: 'uk', channel: 'kpszsu',
    text: 'У ніч на 20 квітня ворог випустив 48 ударних БпЛА типу «Shahed», «Гербера» та дронів інших типів з напрямків Шаталово та Орел.\n\nПротиповітряною обороною збито/подавлено 40 ворожих БпЛА. Ще 6 локаційно втрачено. Зафіксовано влучання 2 ударних БпЛА на 2 локаціях.',
    expected: [
      { region: null, count: 48, outcome: 'launched', droneType: 'Shahed', places: ['Шаталово', 'Орел'] },
      { region: null, count: 40, outcome: 'destroyed' },
      { region: null, count: 6, outcome: 'suppressed' },
      { region: null, count: 2, outcome: 'hit' },
    ],
  },
  {
    note: 'damage sentence belongs to the strike; the count after it over "the oblast" takes no place from it',
    lang: 'uk', channel: 'mykolaivskaODA', channelRegion: 'UA-48',
    text: 'Цієї ночі ворог атакував Миколаївщину ударними дронами. Через атаку пошкоджено лінію електропередачі в Вознесенському районі. Сили ППО збили 7 БпЛА над областю.',
    expected: [
      { region: 'UA-48', count: null, outcome: 'hit', places: ['Вознесенський район'] },
      { region: 'UA-48', count: 7, outcome: 'destroyed', places: [] },
    ],
  },
  {
    note: 'strikes counted by district of a city named in the sentence before',
    lang: 'uk', channel: 'synegubov', channelRegion: 'UA-63',
    text: 'Ворог атакував Харків. Зафіксовано 3 удари безпілотників по Салтівському та Київському районах. Є поранені.',
    expected: [{ region: 'UA-63', count: 3, outcome: 'hit', places: ['Харків', 'Салтівський район', 'Київський район'] }],
  },
  {
    note: 'launch areas given as occupied territories with no "з напрямків" list',
    lang: 'uk', channel: 'kpszsu',
    text: 'У ніч на 9 травня противник атакував 52 ударними БпЛА типу Shahed з тимчасово окупованого Криму та з ТОТ Донеччини. Станом на 09:00 збито/подавлено 41 ворожий БпЛА. Ще 7 імітаторів локаційно втрачені (без негативних наслідків).',
    expected: [
      { region: null, count: 52, outcome: 'launched', droneType: 'Shahed', places: ['Автономна Республіка Крим', 'Донецька область'] },
      { region: null, count: 41, outcome: 'destroyed' },
      { region: null, count: 7, outcome: 'suppressed' },
    ],
  },
  {
    note: 'Air Force: "N – локаційно втрачені" as a line of its own, cape as a launch area',
    lang: 'uk', channel: 'kpszsu',
    text: 'У ніч на 14 червня противник атакував 37 ударними БпЛА типу Shahed і дронами-імітаторами з напрямків: Міллерово, Курськ, мис Чауда.\n\nСтаном на 09:00 збито/подавлено 29 ворожих БпЛА. 6 – локаційно втрачені (без негативних наслідків). Зафіксовано влучання 2 ударних БпЛА.',
    expected: [
      { region: null, count: 37, outcome: 'launched', droneType: 'Shahed', places: ['Міллерово', 'Курськ', 'Чауда'] },
      { region: null, count: 29, outcome: 'destroyed' },
      { region: null, count: 6, outcome: 'suppressed' },
      { region: null, count: 2, outcome: 'hit' },
    ],
  },
  {
    note: 'Air Force bullet report: a mixed total header, a missile bullet, then the drone bullet with launch areas and no verb',
    lang: 'uk', channel: 'kpszsu',
    text: 'У ніч на 14 травня ворог завдав комбінованого удару.\nЗагалом зафіксовано 97 засобів повітряного нападу:\n▪️ 6 крилатих ракет Х-101 з району Енгельса;\n▪️ 91 ударний БпЛА типу Shahed та дрони-імітатори з напрямків Орел, Міллерово, Шаталово.\n\nЗа попередніми даними, станом на 08:30 збито/подавлено 5 ракет та 70 ворожих БпЛА.',
    expected: [
      { region: null, count: 91, outcome: 'launched', droneType: 'Shahed', places: ['Oryol', 'Millerovo', 'Shatalovo'] },
      { region: null, count: 70, outcome: 'destroyed' },
    ],
  },
  {
    note: 'regional channel: a strike on a city, then the attack on its district with a count, is a hit',
    lang: 'uk', channel: 'zhytomyrskaODA', channelRegion: 'UA-18',
    text: 'Вночі окупанти вдарили по Житомиру. Ворог атакував Богунський район трьома безпілотниками. На місці влучання виникла пожежа.',
    expected: [{ region: 'UA-18', count: 3, outcome: 'hit', places: ['Богунський район', 'Житомир'] }],
  },
  {
    note: 'regional channel: an attack on a named town with a count and no outcome stated is unknown',
    lang: 'uk', channel: 'sumyODA', channelRegion: 'UA-59',
    text: 'Близько 22:00 противник атакував Конотоп чотирма дронами. Наслідки з\u2019ясовуються.',
    expected: [{ region: 'UA-59', count: 4, outcome: 'unknown', places: ['Конотоп'] }],
  },
];

export const EN: Fixture[] = [
  {
    note: 'TASS: total then breakdown in the next sentence',
    lang: 'en', channel: 'tassagency_en',
    text: 'Air defense systems destroyed 24 Ukrainian drones over Russian regions overnight, the Defense Ministry said. According to the ministry, 12 were downed over the Bryansk region, 7 over the Kursk region and 5 over the Smolensk region.',
    expected: [
      { region: 'RU-BRY', count: 12, outcome: 'destroyed' },
      { region: 'RU-KRS', count: 7, outcome: 'destroyed' },
      { region: 'RU-SMO', count: 5, outcome: 'destroyed' },
    ],
  },
  {
    note: 'a drone over a district of a region',
    lang: 'en', channel: 'tassagency_en',
    text: 'KURSK, March 3. /TASS/. Air defenses shot down a Ukrainian drone over the Sudzha district of the Kursk region, Governor Alexander Khinshtein said. There were no casualties.',
    expected: [{ region: 'RU-KRS', count: 1, outcome: 'destroyed', places: ['Sudzha district'] }],
  },
  {
    note: 'strike on a city, no count',
    lang: 'en', channel: 'ukrinform_eng',
    text: 'Russian drones attacked Sumy overnight, damaging an infrastructure facility, the regional military administration said.',
    expected: [{ region: 'UA-59', count: null, outcome: 'hit', places: ['Sumy'] }],
  },
  {
    note: 'country-wide approximate count',
    lang: 'en', channel: 'kyivindependent_official',
    text: 'Air defense downed more than 40 drones over Ukraine overnight, the Air Force reported.',
    expected: [{ region: null, count: 40, outcome: 'destroyed', approx: true }],
  },
  {
    note: 'Air Force summary in English',
    lang: 'en', channel: 'kyivindependent_official',
    text: 'Russia launched 120 drones against Ukraine overnight from the directions of Kursk, Oryol and Bryansk, the Air Force said. Air defense shot down or suppressed 95 drones, while 20 drones hit 7 locations.',
    expected: [
      { region: null, count: 120, outcome: 'launched', places: ['Kursk', 'Oryol', 'Bryansk'] },
      { region: null, count: 95, outcome: 'destroyed' },
      { region: null, count: 20, outcome: 'hit' },
    ],
  },
  {
    note: 'sea and Crimea counted apart',
    lang: 'en', channel: 'mod_russia_en',
    text: 'Last night, air defence systems on duty intercepted and destroyed nine Ukrainian fixed-wing UAVs over the Black Sea and five over the Republic of Crimea.',
    expected: [
      { region: null, count: 9, outcome: 'destroyed', places: ['Black Sea'], droneType: 'fixed-wing' },
      { region: 'UA-43', count: 5, outcome: 'destroyed' },
    ],
  },
  {
    note: 'flying toward Moscow',
    lang: 'en', channel: 'tassagency_en',
    text: 'Air defense forces repelled an attack by three drones flying toward Moscow, Mayor Sergey Sobyanin said.',
    expected: [{ region: MOS, count: 3, outcome: 'destroyed' }],
  },
  {
    note: 'a drone fell',
    lang: 'en', channel: 'rtnews',
    text: 'A drone fell near Kirishi in the Leningrad region, Governor Alexander Drozdenko said. No one was hurt.',
    expected: [{ region: 'RU-LEN', count: 1, outcome: 'crashed', places: ['Kirishi'] }],
  },
  {
    note: 'drone attack as a cause: no count',
    lang: 'en', channel: 'rtnews',
    text: 'A fire broke out at a fuel depot in the Tikhoretsk district after a Ukrainian drone attack, the Krasnodar Territory emergency headquarters said.',
    expected: [{ region: 'RU-KDA', count: null, outcome: 'hit', places: ['Tikhoretsk district'] }],
  },
  {
    note: '"of which N were shot down" is an outcome, not a subset',
    lang: 'en', channel: 'kyivindependent_official',
    text: "Ukraine's Air Force said Russia launched 73 Shahed-type drones and decoys overnight, of which 58 were shot down or suppressed.",
    expected: [
      { region: null, count: 73, outcome: 'launched', droneType: 'Shahed' },
      { region: null, count: 58, outcome: 'destroyed' },
    ],
  },
  {
    note: 'coordinated English region names: one count, no breakdown',
    lang: 'en', channel: 'tassagency_en',
    text: 'Air defenses intercepted 15 drones over the Belgorod, Kursk and Voronezh regions overnight, the Defense Ministry said.',
    expected: [{ region: null, count: 15, outcome: 'destroyed', places: ['Belgorod Oblast', 'Kursk Oblast', 'Voronezh Oblast'] }],
  },
  {
    note: 'two drones over a region',
    lang: 'en', channel: 'tassagency_en',
    text: 'Two Ukrainian drones were shot down over the Bryansk region, Governor Alexander Bogomaz said.',
    expected: [{ region: 'RU-BRY', count: 2, outcome: 'destroyed' }],
  },
  {
    note: 'a subset over one region does not give the total that region',
    lang: 'en', channel: 'tassagency_en',
    text: 'Russian air defenses downed 125 Ukrainian drones overnight, including 40 over the Bryansk region, the Defense Ministry said.',
    expected: [{ region: null, count: 125, outcome: 'destroyed' }],
  },
  {
    note: 'drones attacked a city, hitting a city district',
    lang: 'en', channel: 'ukrinform_eng',
    text: 'Russian forces attacked Kharkiv with drones overnight, hitting a residential building in the Kyivskyi district, Mayor Ihor Terekhov said.',
    expected: [{ region: 'UA-63', count: null, outcome: 'hit', places: ['Kharkiv', 'Kyivskyi district'] }],
  },
  {
    note: 'English total with the type, then a breakdown sentence that only says "of the drones"',
    lang: 'en', channel: 'tass_agency',
    text: 'Russian air defences shot down 18 Ukrainian fixed-wing drones overnight, the ministry said. Eight of them were destroyed over the Kaluga Region, six over the Tula Region and four over the Ryazan Region.',
    expected: [
      { region: 'RU-KLU', count: 8, outcome: 'destroyed', droneType: 'fixed-wing' },
      { region: 'RU-TUL', count: 6, outcome: 'destroyed', droneType: 'fixed-wing' },
      { region: 'RU-RYA', count: 4, outcome: 'destroyed', droneType: 'fixed-wing' },
    ],
  },
  {
    note: 'English distributive "four each over the X and Y regions"',
    lang: 'en', channel: 'mod_russia_en',
    text: 'Overnight, air defence systems intercepted and destroyed 30 Ukrainian fixed-wing UAVs: 12 over the Bryansk region, 10 over the Kursk region, and four each over the Oryol and Tula regions.',
    expected: [
      { region: 'RU-BRY', count: 12, outcome: 'destroyed', droneType: 'fixed-wing' },
      { region: 'RU-KRS', count: 10, outcome: 'destroyed' },
      { region: 'RU-ORL', count: 4, outcome: 'destroyed' },
      { region: 'RU-TUL', count: 4, outcome: 'destroyed' },
    ],
  },
  {
    note: 'English Air Force summary: impacts counted at locations (locations are not counts)',
    lang: 'en', channel: 'ukr_news_en',
    text: 'Russia launched 64 Shahed-type drones against Ukraine overnight, the Air Force reported. Air defense forces neutralized 51 of them. Impacts of 9 attack drones were registered at six locations, and downed drone debris fell at 3 locations.',
    expected: [
      { region: null, count: 64, outcome: 'launched', droneType: 'Shahed' },
      { region: null, count: 51, outcome: 'destroyed' },
      { region: null, count: 9, outcome: 'hit' },
    ],
  },
];

/** Posts that state no drone incident. */
export const NEGATIVES: Array<[string, Lang, string?]> = [
  ['Дорогие земляки! Поздравляю вас с Днём защитника Отечества! Желаю крепкого здоровья и мирного неба.', 'ru'],
  ['Над Белгородской областью сбиты две ракеты «Точка-У». Пострадавших нет.', 'ru'],
  ['Всего с начала проведения специальной военной операции уничтожены: 680 самолетов, 91 тыс. 300 беспилотных летательных аппаратов.', 'ru'],
  ['❗️Внимание! На территории Елецкого муниципального округа объявлена угроза атаки БПЛА. Оставайтесь в помещениях.', 'ru', 'RU-LIP'],
  ['Отбой беспилотной опасности. Спасибо за терпение.', 'ru', 'RU-LIP'],
  ['В акватории Черного моря уничтожены три безэкипажных катера ВСУ.', 'ru'],
  ['Для справок работает горячая линия 8-800-100-12-34, а также номер 112.', 'ru'],
  ['За неделю средства ПВО сбили 1 240 беспилотных летательных аппаратов самолетного типа.', 'ru'],
  ['Завтра в Курске пройдёт выставка беспилотных систем.', 'ru'],
  ['Расчеты ударных БПЛА «Герань» уничтожили пункт управления противника.', 'ru'],
  ['С помощью FPV-дронов уничтожены два танка и бронеавтомобиль противника.', 'ru'],
  ['Сили оборони за допомогою FPV-дронів знищили три танки окупантів.', 'uk'],
  ['Увага! Загроза застосування ударних БпЛА на Полтавщині. Перебувайте в укриттях.', 'uk'],
  ['Відбій повітряної тривоги на Київщині.', 'uk'],
  ['Через негоду 12 населених пунктів Харківщини залишилися без світла.', 'uk'],
  ['В ніч на 8 квітня противник завдав удару 3 балістичними ракетами Іскандер-М. Збито 2 ракети.', 'uk'],
  ['Air defenses shot down four ATACMS missiles over the Belgorod region, the ministry said.', 'en'],
  ['During the week, air defence systems shot down 1,204 fixed-wing unmanned aerial vehicles.', 'en'],
  ['A new drone production plant opened in the region on Monday.', 'en'],
  ['Drone alert declared in the Kursk region; residents are urged to stay indoors.', 'en'],
  ['Площадь пожара составила 200 кв. м. Пострадавших нет, на месте работают 12 человек и 4 единицы техники.', 'ru', 'RU-KDA'],
];
