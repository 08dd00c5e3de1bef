/** Runs fixtures through extractPost and reports mismatches readably. */
import type { IncidentRecord } from '../../src/domain/incident.js';
import type { Post } from '../../src/domain/post.js';
import { extractPost } from '../../src/extract/index.js';
import type { Expected, Fixture } from './fixtures.js';

let seq = 0;

export function postOf(f: Pick<Fixture, 'text' | 'lang' | 'channel' | 'channelRegion' | 'date'>): Post {
  seq++;
  const post: Post = { id: `t/${seq}`, channel: f.channel ?? 'test', messageId: seq, date: f.date ?? '2025-10-01T06:00:00Z', text: f.text, lang: f.lang };
  if (f.channelRegion) post.channelRegion = f.channelRegion;
  return post;
}

function norm(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ё/g, 'е').replace(/['’`"«».,()]/g, '').replace(/[-‐‑‒–—_/]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function placeMatches(want: string, r: IncidentRecord): boolean {
  const w = norm(want);
  return r.places.some((p) => norm(p.name) === w || norm(p.nameLocal) === w);
}

/** Human-readable differences between the records and what the fixture expects; empty when equal. */
export function diff(records: IncidentRecord[], expected: Expected[]): string[] {
  const problems: string[] = [];
  if (records.length !== expected.length) problems.push(`expected ${expected.length} records, got ${records.length}`);
  expected.forEach((e, i) => {
    const r = records[i];
    if (!r) return;
    const region = r.region?.code ?? null;
    const okRegion = Array.isArray(e.region) ? e.region.includes(region as string) : e.region === region;
    if (!okRegion) problems.push(`#${i} region ${region}, expected ${JSON.stringify(e.region)}`);
    if (r.count !== e.count) problems.push(`#${i} count ${r.count}, expected ${e.count}`);
    if (r.outcome !== e.outcome) problems.push(`#${i} outcome ${r.outcome}, expected ${e.outcome}`);
    if (e.approx !== undefined && r.approx !== e.approx) problems.push(`#${i} approx ${r.approx}, expected ${e.approx}`);
    if (e.droneType !== undefined && r.droneType !== e.droneType) problems.push(`#${i} droneType ${r.droneType}, expected ${e.droneType}`);
    if (e.period && JSON.stringify(r.period) !== JSON.stringify(e.period)) problems.push(`#${i} period ${JSON.stringify(r.period)}, expected ${JSON.stringify(e.period)}`);
    const want = e.places ?? [];
    for (const p of want) if (!placeMatches(p, r)) problems.push(`#${i} missing place ${p}`);
    if (r.places.length > want.length) problems.push(`#${i} places ${JSON.stringify(r.places.map((p) => p.nameLocal))}, expected ${JSON.stringify(want)}`);
  });
  return problems;
}

export function runFixture(f: Fixture): { records: IncidentRecord[]; problems: string[] } {
  const records = extractPost(postOf(f));
  return { records, problems: diff(records, f.expected) };
}
