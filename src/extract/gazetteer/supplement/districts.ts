/**
 * Hand-kept districts: those whose adjective does not follow from the centre's name (Россошь →
 * Россошанский, Біла Церква → Білоцерківський), those named "округ" rather than "район" (Belgorod
 * Oblast), and the city districts of the big cities posts name (Харків: Київський, Салтівський...).
 * Generated districts (every settlement's -ский/-ський adjective) fill in the rest.
 *
 * `ru`/`uk` are the full nominative names; their first word is the adjective whose stem is indexed.
 * `also` lists further adjectives or English stems that point to the same district.
 */
export interface SupplementDistrict {
  region: string;
  ru: string;
  uk: string;
  en: string;
  also?: string[];
  city?: string;
  lat?: number;
  lon?: number;
  population?: number;
}

function cityDistricts(region: string, city: string, lat: number, lon: number, population: number, rows: Array<[string, string, string, string[]?]>): SupplementDistrict[] {
  return rows.map(([ru, uk, en, also]) => ({ region, ru: `${ru} район`, uk: `${uk} район`, en: `${en} district`, also, city, lat, lon, population }));
}

export const SUPPLEMENT_DISTRICTS: SupplementDistrict[] = [
  // ---- Russia, border and frequently named regions
  { region: 'RU-VOR', ru: 'Россошанский район', uk: 'Россошанський район', en: 'Rossoshansky district', also: ['rossosh'], lat: 50.2, lon: 39.57, population: 60000 },
  { region: 'RU-VOR', ru: 'Лискинский район', uk: 'Лискинський район', en: 'Liskinsky district', also: ['liski'], lat: 50.98, lon: 39.5, population: 90000 },
  { region: 'RU-ROS', ru: 'Каменский район', uk: 'Каменський район', en: 'Kamensky district', also: ['kamensk'], lat: 48.32, lon: 40.26, population: 40000 },
  { region: 'RU-ROS', ru: 'Белокалитвинский район', uk: 'Білокалитвинський район', en: 'Belokalitvinsky district', also: ['belaya kalitva', 'belokalitvensky'], lat: 48.18, lon: 40.8, population: 90000 },
  { region: 'RU-ROS', ru: 'Тарасовский район', uk: 'Тарасовський район', en: 'Tarasovsky district', also: ['tarasovka'], lat: 48.73, lon: 40.38, population: 28000 },
  { region: 'RU-ROS', ru: 'Чертковский район', uk: 'Чертковський район', en: 'Chertkovsky district', also: ['chertkovo'], lat: 49.38, lon: 40.15, population: 33000 },
  { region: 'RU-ROS', ru: 'Миллеровский район', uk: 'Міллеровський район', en: 'Millerovsky district', also: ['millerovo'], lat: 48.92, lon: 40.4, population: 65000 },
  { region: 'RU-BEL', ru: 'Шебекинский городской округ', uk: 'Шебекінський міський округ', en: 'Shebekinsky urban district', also: ['shebekino'], lat: 50.41, lon: 36.89, population: 80000 },
  { region: 'RU-BEL', ru: 'Грайворонский городской округ', uk: 'Грайворонський міський округ', en: 'Grayvoronsky urban district', also: ['grayvoron', 'graivoron', 'graivoronsky'], lat: 50.48, lon: 35.67, population: 28000 },
  { region: 'RU-BEL', ru: 'Валуйский городской округ', uk: 'Валуйський міський округ', en: 'Valuysky urban district', also: ['valuyki', 'valuiki', 'valuisky'], lat: 50.21, lon: 38.1, population: 60000 },
  { region: 'RU-BEL', ru: 'Краснояружский район', uk: 'Краснояружський район', en: 'Krasnoyaruzhsky district', also: ['krasnaya yaruga'], lat: 50.7, lon: 35.51, population: 14000 },
  { region: 'RU-BEL', ru: 'Борисовский район', uk: 'Борисівський район', en: 'Borisovsky district', also: ['borisovka'], lat: 50.6, lon: 36.01, population: 24000 },
  { region: 'RU-BEL', ru: 'Белгородский район', uk: 'Бєлгородський район', en: 'Belgorodsky district', also: ['belgorod', 'білгородський'], lat: 50.6, lon: 36.59, population: 190000 },
  { region: 'RU-BEL', ru: 'Волоконовский район', uk: 'Волоконівський район', en: 'Volokonovsky district', also: ['volokonovka'], lat: 50.48, lon: 37.87, population: 30000 },
  { region: 'RU-BEL', ru: 'Ровеньский район', uk: 'Ровеньківський район', en: 'Rovensky district', also: ['rovenki'], lat: 49.91, lon: 38.88, population: 22000 },
  { region: 'RU-KRS', ru: 'Глушковский район', uk: 'Глушківський район', en: 'Glushkovsky district', also: ['glushkovo'], lat: 51.34, lon: 34.64, population: 20000 },
  { region: 'RU-KRS', ru: 'Суджанский район', uk: 'Суджанський район', en: 'Sudzhansky district', also: ['sudzha'], lat: 51.19, lon: 35.27, population: 22000 },
  { region: 'RU-KRS', ru: 'Кореневский район', uk: 'Коренівський район', en: 'Korenevsky district', also: ['korenevo'], lat: 51.41, lon: 34.91, population: 15000 },
  { region: 'RU-BRY', ru: 'Стародубский муниципальный округ', uk: 'Стародубський муніципальний округ', en: 'Starodubsky municipal district', also: ['starodub'], lat: 52.58, lon: 32.76, population: 36000 },
  { region: 'RU-BRY', ru: 'Суземский район', uk: 'Суземський район', en: 'Suzemsky district', also: ['suzemka'], lat: 52.32, lon: 34.08, population: 13000 },
  { region: 'RU-BRY', ru: 'Севский район', uk: 'Севський район', en: 'Sevsky district', also: ['sevsk'], lat: 52.15, lon: 34.5, population: 13000 },
  { region: 'RU-BRY', ru: 'Злынковский район', uk: 'Злинківський район', en: 'Zlynkovsky district', also: ['zlynka'], lat: 52.43, lon: 31.74, population: 10000 },
  { region: 'RU-LEN', ru: 'Тосненский район', uk: 'Тосненський район', en: 'Tosnensky district', also: ['tosno'], lat: 59.54, lon: 30.88, population: 120000 },
  { region: 'RU-MOS', ru: 'Одинцовский городской округ', uk: 'Одинцовський міський округ', en: 'Odintsovsky urban okrug', also: ['odintsovo'], lat: 55.68, lon: 37.28, population: 320000 },
  { region: 'RU-LIP', ru: 'Воловский муниципальный округ', uk: 'Воловський муніципальний округ', en: 'Volovsky Okrug', also: ['volovo'], lat: 52.03, lon: 37.88, population: 11000 },

  { region: 'RU-KLU', ru: 'Дзержинский район', uk: 'Дзержинський район', en: 'Dzerzhinsky district', also: ['kondrovo'], lat: 54.8, lon: 35.93, population: 55000 },
  { region: 'RU-KLU', ru: 'Куйбышевский район', uk: 'Куйбишевський район', en: 'Kuybyshevsky district', also: ['betlitsa'], lat: 53.95, lon: 34.19, population: 8000 },
  { region: 'RU-BRY', ru: 'Брасовский район', uk: 'Брасовський район', en: 'Brasovsky district', also: ['lokot'], lat: 52.56, lon: 34.57, population: 19000 },
  { region: 'RU-KRS', ru: 'Беловский район', uk: 'Біловський район', en: 'Belovsky district', also: ['belaya'], lat: 51.15, lon: 35.98, population: 15000 },
  { region: 'RU-KRS', ru: 'Большесолдатский район', uk: 'Большесолдатський район', en: 'Bolshesoldatsky district', also: ['bolshoye soldatskoye'], lat: 51.35, lon: 35.51, population: 11000 },
  { region: 'RU-KRS', ru: 'Горшеченский район', uk: 'Горшеченський район', en: 'Gorshechensky district', also: ['gorshechnoye'], lat: 51.52, lon: 38.03, population: 18000 },
  { region: 'RU-ROS', ru: 'Матвеево-Курганский район', uk: 'Матвієво-Курганський район', en: 'Matveyevo-Kurgansky district', also: ['matveyev kurgan'], lat: 47.56, lon: 38.87, population: 42000 },
  { region: 'RU-ROS', ru: 'Неклиновский район', uk: 'Неклинівський район', en: 'Neklinovsky district', also: ['pokrovskoye'], lat: 47.18, lon: 38.68, population: 85000 },
  { region: 'RU-ROS', ru: 'Красносулинский район', uk: 'Красносулинський район', en: 'Krasnosulinsky district', also: ['krasny sulin'], lat: 47.89, lon: 40.06, population: 75000 },
  { region: 'RU-ROS', ru: 'Родионово-Несветайский район', uk: 'Родіоново-Несвітайський район', en: 'Rodionovo-Nesvetaysky district', lat: 47.61, lon: 39.71, population: 20000 },
  { region: 'RU-ORL', ru: 'Ливенский район', uk: 'Лівенський район', en: 'Livensky district', also: ['livny'], lat: 52.42, lon: 37.6, population: 30000 },
  { region: 'RU-VOR', ru: 'Калачеевский район', uk: 'Калачеївський район', en: 'Kalacheyevsky district', also: ['kalach'], lat: 50.42, lon: 41.02, population: 50000 },

  // ---- Ukraine: raions whose adjective is irregular
  { region: 'UA-32', ru: 'Белоцерковский район', uk: 'Білоцерківський район', en: 'Bila Tserkva district', also: ['bila tserkva', 'bilotserkivskyi', 'belaya tserkov'], lat: 49.8, lon: 30.11, population: 400000 },
  { region: 'UA-23', ru: 'Запорожский район', uk: 'Запорізький район', en: 'Zaporizhzhia district', also: ['zaporizhzhia', 'zaporizkyi'], lat: 47.84, lon: 35.14, population: 200000 },
  { region: 'UA-12', ru: 'Днепровский район', uk: 'Дніпровський район', en: 'Dnipro district', also: ['dnipro', 'dniprovskyi'], lat: 48.46, lon: 35.05, population: 200000 },
  { region: 'UA-12', ru: 'Криворожский район', uk: 'Криворізький район', en: 'Kryvyi Rih district', also: ['kryvyi rih', 'kryvorizkyi'], lat: 47.91, lon: 33.39, population: 200000 },
  { region: 'UA-12', ru: 'Каменский район', uk: "Кам'янський район", en: 'Kamianske district', also: ['kamianske', "kam'ianskyi", 'kamianskyi'], lat: 48.51, lon: 34.61, population: 100000 },
  { region: 'UA-12', ru: 'Никопольский район', uk: 'Нікопольський район', en: 'Nikopol district', also: ['nikopol', 'nikopolskyi'], lat: 47.57, lon: 34.4, population: 200000 },
  { region: 'UA-59', ru: 'Шосткинский район', uk: 'Шосткинський район', en: 'Shostka district', also: ['shostka'], lat: 51.87, lon: 33.48, population: 180000 },
  { region: 'UA-59', ru: 'Роменский район', uk: 'Роменський район', en: 'Romny district', also: ['romny'], lat: 50.75, lon: 33.47, population: 110000 },
  { region: 'UA-59', ru: 'Ахтырский район', uk: 'Охтирський район', en: 'Okhtyrka district', also: ['okhtyrka'], lat: 50.31, lon: 34.9, population: 110000 },
  { region: 'UA-63', ru: 'Купянский район', uk: "Куп'янський район", en: 'Kupiansk district', also: ['kupiansk'], lat: 49.71, lon: 37.62, population: 100000 },
  { region: 'UA-63', ru: 'Чугуевский район', uk: 'Чугуївський район', en: 'Chuhuiv district', also: ['chuhuiv'], lat: 49.84, lon: 36.69, population: 180000 },
  { region: 'UA-63', ru: 'Богодуховский район', uk: 'Богодухівський район', en: 'Bohodukhiv district', also: ['bohodukhiv'], lat: 50.16, lon: 35.53, population: 120000 },
  { region: 'UA-63', ru: 'Изюмский район', uk: 'Ізюмський район', en: 'Izium district', also: ['izium'], lat: 49.21, lon: 37.26, population: 150000 },
  { region: 'UA-63', ru: 'Харьковский район', uk: 'Харківський район', en: 'Kharkiv district', also: ['kharkiv'], lat: 49.99, lon: 36.23, population: 700000 },
  { region: 'UA-74', ru: 'Новгород-Северский район', uk: 'Новгород-Сіверський район', en: 'Novhorod-Siverskyi district', also: ['novhorod-siverskyi', 'novgorod-seversky'], lat: 52.0, lon: 33.26, population: 80000 },
  { region: 'UA-63', ru: 'Лозовской район', uk: 'Лозівський район', en: 'Lozova district', also: ['lozova', 'lozivskyi'], lat: 48.89, lon: 36.32, population: 130000 },
  { region: 'UA-63', ru: 'Красноградский район', uk: 'Берестинський район', en: 'Berestyn district', also: ['krasnohrad', 'berestyn', 'krasnohradskyi', 'красноградський'], lat: 49.37, lon: 35.44, population: 110000 },
  { region: 'UA-74', ru: 'Прилукский район', uk: 'Прилуцький район', en: 'Pryluky district', also: ['pryluky', 'prylutskyi'], lat: 50.59, lon: 32.39, population: 150000 },
  { region: 'UA-23', ru: 'Пологовский район', uk: 'Пологівський район', en: 'Polohy district', also: ['polohy', 'polohivskyi'], lat: 47.48, lon: 36.25, population: 150000 },
  { region: 'UA-14', ru: 'Волновахский район', uk: 'Волноваський район', en: 'Volnovakha district', also: ['volnovakha', 'volnovaskyi'], lat: 47.6, lon: 37.49, population: 150000 },
  { region: 'UA-14', ru: 'Кальмиусский район', uk: 'Кальміуський район', en: 'Kalmiuske district', also: ['kalmiuskyi'], lat: 47.65, lon: 38.07, population: 200000 },
  { region: 'UA-09', ru: 'Ровеньковский район', uk: 'Ровеньківський район', en: 'Rovenky district', also: ['rovenky'], lat: 48.09, lon: 39.37, population: 200000 },
  { region: 'UA-09', ru: 'Должанский район', uk: 'Довжанський район', en: 'Dovzhansk district', also: ['dovzhansk', 'sverdlovsk'], lat: 48.08, lon: 39.65, population: 150000 },
  { region: 'UA-65', ru: 'Бериславский район', uk: 'Бериславський район', en: 'Beryslav district', also: ['beryslav'], lat: 46.84, lon: 33.42, population: 100000 },
  { region: 'UA-14', ru: 'Покровский район', uk: 'Покровський район', en: 'Pokrovsk district', also: ['pokrovsk'], lat: 48.28, lon: 37.18, population: 300000 },
  { region: 'UA-09', ru: 'Северодонецкий район', uk: 'Сєвєродонецький район', en: 'Sievierodonetsk district', also: ['sievierodonetsk', 'severodonetsk'], lat: 48.95, lon: 38.49, population: 300000 },
  { region: 'UA-09', ru: 'Счастинский район', uk: 'Щастинський район', en: 'Shchastia district', also: ['shchastia'], lat: 48.74, lon: 39.23, population: 100000 },
  { region: 'UA-43', ru: 'Джанкойский район', uk: 'Джанкойський район', en: 'Dzhankoi district', also: ['dzhankoy', 'dzhankoi', 'dzhankoysky'], lat: 45.71, lon: 34.39, population: 70000 },

  // ---- city districts
  ...cityDistricts('UA-63', 'Kharkiv', 49.99, 36.23, 1400000, [
    ['Киевский', 'Київський', 'Kyivskyi', ['kievsky']], ['Шевченковский', 'Шевченківський', 'Shevchenkivskyi', ['shevchenkovsky']],
    ['Салтовский', 'Салтівський', 'Saltivskyi', ['saltovsky', 'saltivsky']], ['Немышлянский', 'Немишлянський', 'Nemyshlianskyi', ['nemyshlyansky']],
    ['Холодногорский', 'Холодногірський', 'Kholodnohirskyi', ['kholodnogorsky']], ['Новобаварский', 'Новобаварський', 'Novobavarskyi'],
    ['Основянский', "Основ'янський", 'Osnovianskyi', ['osnovyansky']], ['Слободской', 'Слобідський', 'Slobidskyi', ['slobodskoy']],
    ['Индустриальный', 'Індустріальний', 'Industrialnyi', ['industrialny']],
  ]),
  ...cityDistricts('UA-23', 'Zaporizhzhia', 47.84, 35.14, 710000, [
    ['Вознесеновский', 'Вознесенівський', 'Voznesenivskyi', ['voznesenovsky']], ['Александровский', 'Олександрівський', 'Oleksandrivskyi', ['aleksandrovsky']],
    ['Шевченковский', 'Шевченківський', 'Shevchenkivskyi'], ['Коммунарский', 'Комунарський', 'Komunarskyi', ['kommunarsky']],
    ['Днепровский', 'Дніпровський', 'Dniprovskyi', ['dneprovsky']], ['Хортицкий', 'Хортицький', 'Khortytskyi', ['khortitsky']],
    ['Заводской', 'Заводський', 'Zavodskyi', ['zavodskoy']],
  ]),
  ...cityDistricts('UA-30', 'Kyiv', 50.45, 30.52, 2900000, [
    ['Голосеевский', 'Голосіївський', 'Holosiivskyi', ['goloseevsky']], ['Дарницкий', 'Дарницький', 'Darnytskyi', ['darnitsky']],
    ['Деснянский', 'Деснянський', 'Desnianskyi', ['desnyansky', 'desnyanskyi']], ['Днепровский', 'Дніпровський', 'Dniprovskyi', ['dneprovsky']],
    ['Оболонский', 'Оболонський', 'Obolonskyi', ['obolonsky']], ['Печерский', 'Печерський', 'Pecherskyi', ['pechersky']],
    ['Подольский', 'Подільський', 'Podilskyi', ['podolsky']], ['Святошинский', 'Святошинський', 'Sviatoshynskyi', ['svyatoshynskyi', 'svyatoshinsky']],
    ['Соломенский', "Солом'янський", 'Solomianskyi', ['solomyanskyi', 'solomensky']], ['Шевченковский', 'Шевченківський', 'Shevchenkivskyi'],
  ]),
  ...cityDistricts('UA-51', 'Odesa', 46.48, 30.73, 1000000, [
    ['Киевский', 'Київський', 'Kyivskyi'], ['Малиновский', 'Малиновський', 'Malynovskyi'], ['Пересыпский', 'Пересипський', 'Peresypskyi'],
    ['Приморский', 'Приморський', 'Prymorskyi', ['primorsky']],
  ]),
  ...cityDistricts('UA-12', 'Dnipro', 48.46, 35.05, 970000, [
    ['Амур-Нижнеднепровский', 'Амур-Нижньодніпровський', 'Amur-Nyzhniodniprovskyi'], ['Шевченковский', 'Шевченківський', 'Shevchenkivskyi'],
    ['Соборный', 'Соборний', 'Sobornyi'], ['Индустриальный', 'Індустріальний', 'Industrialnyi'], ['Центральный', 'Центральний', 'Tsentralnyi'],
    ['Чечеловский', 'Чечелівський', 'Chechelivskyi'], ['Новокодакский', 'Новокодацький', 'Novokodatskyi'], ['Самарский', 'Самарський', 'Samarskyi'],
  ]),
  ...cityDistricts('UA-65', 'Kherson', 46.64, 32.61, 280000, [
    ['Днепровский', 'Дніпровський', 'Dniprovskyi'], ['Корабельный', 'Корабельний', 'Korabelnyi'], ['Центральный', 'Центральний', 'Tsentralnyi'],
  ]),
  ...cityDistricts('UA-48', 'Mykolaiv', 46.97, 32.0, 470000, [
    ['Заводской', 'Заводський', 'Zavodskyi'], ['Ингульский', 'Інгульський', 'Inhulskyi'], ['Корабельный', 'Корабельний', 'Korabelnyi'], ['Центральный', 'Центральний', 'Tsentralnyi'],
  ]),
  ...cityDistricts('RU-KRS', 'Kursk', 51.73, 36.19, 440000, [
    ['Центральный', 'Центральний', 'Tsentralny'], ['Железнодорожный', 'Залізничний', 'Zheleznodorozhny'], ['Сеймский', 'Сеймський', 'Seymsky'],
  ]),
  ...cityDistricts('UA-40', 'Sevastopol', 44.6, 33.52, 500000, [
    ['Гагаринский', 'Гагарінський', 'Gagarinsky'], ['Ленинский', 'Ленінський', 'Leninsky'], ['Нахимовский', 'Нахімовський', 'Nakhimovsky'], ['Балаклавский', 'Балаклавський', 'Balaklavsky'],
  ]),
];
