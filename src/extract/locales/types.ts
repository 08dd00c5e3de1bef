/** The shape of one language's dictionaries; the engine merges all three (posts mix languages). */
import type { Outcome } from '../../domain/incident.js';

/** Grammatical number a drone word shows on its own: singular, plural, or either. */
export type GramNumber = 'sg' | 'pl' | '?';

export interface DroneWord {
  number: GramNumber;
  /** Normalized drone type the word itself names (Shahed, FPV, ...). */
  type?: string;
  /** The word starts a multi-word head ("беспилотный летательный аппарат", "unmanned aerial vehicle"): needs a following part. */
  needs?: readonly string[];
}

export interface OutcomeStem {
  stem: string;
  outcome: Outcome;
  /** Exact word, not a prefix. */
  exact?: boolean;
}

export interface LocaleVocab {
  /** Exact word forms of drone nouns → number. */
  droneWords: ReadonlyMap<string, DroneWord>;
  /** Stems of verbs/participles/nouns that state an outcome. */
  outcomeStems: readonly OutcomeStem[];
  /** Words before a number that make it approximate ("более", "понад", "more than"). */
  approxWords: readonly string[];
  /** Words after which a number is a subset of another count ("в том числе"). */
  subsetPhrases: readonly string[];
  /** Phrases that mark cumulative or weekly tallies: the sentence gives no record. */
  tallyPhrases: readonly string[];
  /** Stems of alert/threat words: a sentence with these and no outcome gives no record. */
  alertStems: readonly string[];
  /** Stems of debris words ("обломки"): damage from debris belongs to the shoot-down, not a hit. */
  debrisStems: readonly string[];
  /** Stems of damage/casualty words that make a drone mention a hit when no other outcome is said. */
  damageStems: readonly string[];
  /** Words that make the drone noun after them a naval/other non-aerial drone, or a unit/institution. */
  notDroneBefore: readonly string[];
  notDroneAfter: readonly string[];
  /** Words meaning "another one"/"more": "ещё два сбиты" counts drones without a drone noun. */
  moreWords: readonly string[];
  /** Words that open a source/origin phrase: a region after them is where drones came from. */
  sourcePreps: readonly string[];
  /** Words that name the whole country: the count is country-wide. */
  countryWords: readonly string[];
  /** Drone type words and phrases (lower case, space-joined tokens) → normalized type. */
  droneTypes: ReadonlyArray<readonly [string, string]>;
  /** Nouns for vague counts: "несколько", "группа" → count null. */
  vagueWords: readonly string[];
  /** Words meaning "the rest" / "others": a count of null with its own outcome. */
  restWords: readonly string[];
}

/** Builds a form map from a stem and endings grouped by number. */
export function forms(stem: string, sg: string[], pl: string[], both: string[] = [], extra: Partial<DroneWord> = {}): Array<[string, DroneWord]> {
  const out: Array<[string, DroneWord]> = [];
  for (const e of sg) out.push([stem + e, { number: 'sg', ...extra }]);
  for (const e of pl) out.push([stem + e, { number: 'pl', ...extra }]);
  for (const e of both) out.push([stem + e, { number: '?', ...extra }]);
  return out;
}
