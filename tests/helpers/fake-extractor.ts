/**
 * A deterministic stand-in for the extractor, for tests about the pipeline rather than about
 * reading posts: one record per line that says "N drones", so a test controls exactly what records
 * a post gives (and an edit can add, change or drop them).
 */
import type { IncidentRecord } from '../../src/domain/incident.js';
import { postUrl, type Post } from '../../src/domain/post.js';

export const FAKE_EXTRACTOR = 'fake-extractor@1';

export function fakeExtract(post: Post): IncidentRecord[] {
  const records: IncidentRecord[] = [];
  for (const line of post.text.split('\n')) {
    const m = /(\d+) drones?(?: over (\w+))?/.exec(line);
    if (!m) continue;
    const code = m[2] ? `RU-${m[2].slice(0, 3).toUpperCase()}` : null;
    records.push({
      id: `${post.id}#${records.length}`,
      post: { id: post.id, channel: post.channel, messageId: post.messageId, date: post.date, url: postUrl(post), ...(post.editDate ? { editDate: post.editDate } : {}) },
      region: code ? { code, name: m[2]!, nameLocal: m[2]! } : null,
      places: [],
      count: Number(m[1]),
      approx: false,
      outcome: 'destroyed',
      droneType: null,
      evidence: line,
      lang: post.lang ?? 'en',
      extractor: FAKE_EXTRACTOR,
    });
  }
  return records;
}
