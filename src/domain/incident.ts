/** The incident record of CONTRACT.md, "Incident record (output)". */
import type { Lang } from './post.js';

export const OUTCOMES = ['destroyed', 'suppressed', 'launched', 'hit', 'crashed', 'unknown'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const PLACE_KINDS = ['settlement', 'district', 'water', 'region', 'launch-area', 'other'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

export interface RegionRef {
  /** ISO 3166-2, e.g. RU-KLU, UA-63. */
  code: string;
  name: string;
  nameLocal: string;
}

export interface PlaceRef {
  name: string;
  nameLocal: string;
  kind: PlaceKind;
  resolved: boolean;
  geonameId?: number;
  lat?: number;
  lon?: number;
  /** ISO 3166-2 of the place, where known (not in the contract's minimum; useful downstream). */
  region?: string;
}

export interface PostRef {
  id: string;
  channel: string;
  messageId: number;
  date: string;
  editDate?: string;
  url: string;
}

/** How a record's region was found: read in the text, implied by a place, or the channel's home. */
export type RegionSource = 'text' | 'place' | 'channel' | 'none';

export interface IncidentRecord {
  id: string;
  post: PostRef;
  region: RegionRef | null;
  places: PlaceRef[];
  count: number | null;
  approx: boolean;
  outcome: Outcome;
  droneType: string | null;
  period?: { from: string; to: string };
  evidence: string;
  lang: Lang;
  extractor: string;
  /** Provenance: which rule made the record and where its region came from. */
  provenance?: { rule: string; regionSource: RegionSource };
}
