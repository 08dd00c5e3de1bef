/**
 * The extractor's public face: a post in, incident records out (CONTRACT.md "Incident record").
 * Pure: no I/O, no clock; the same post and version always give the same records and ids.
 */
import type { IncidentRecord, PostRef, RegionRef } from '../domain/incident.js';
import { recordId } from '../domain/ids.js';
import { postUrl, type Lang, type Post } from '../domain/post.js';
import { runEngine, type Draft } from './engine.js';
import { detectLang } from './lang.js';
import { localName } from './places.js';

export const EXTRACTOR_NAME = 'dronewire-rules';
export const EXTRACTOR_VERSION = `${EXTRACTOR_NAME}@0.1.3`;

/**
 * Posts longer than this are read up to here. Telegram caps a message at 4096 characters, so no
 * real post is cut; what is longer (a hostile or broken input) costs at most this much work, which
 * keeps every extraction under 50 ms (scripts/fuzz-extractor.ts checks it).
 */
const MAX_TEXT = 4_096;

/** Every drone incident a post states, in text order. */
export function extractPost(post: Post): IncidentRecord[] {
  const lang: Lang = post.lang ?? detectLang(post.text);
  const text = post.text.length > MAX_TEXT ? post.text.slice(0, MAX_TEXT) : post.text;
  const input = { text, lang, date: post.date, ...(post.channelRegion ? { channelRegion: post.channelRegion } : {}) };
  const drafts = runEngine(input);
  const ref = postRef(post);
  return drafts.map((d, n) => toRecord(d, n, ref, lang, text));
}

function postRef(post: Post): PostRef {
  const ref: PostRef = { id: post.id, channel: post.channel, messageId: post.messageId, date: post.date, url: postUrl(post) };
  if (post.editDate) ref.editDate = post.editDate;
  return ref;
}

function toRecord(d: Draft, n: number, post: PostRef, lang: Lang, text: string): IncidentRecord {
  const region: RegionRef | null = d.region ? { code: d.region.code, name: d.region.name, nameLocal: localName(d.region, lang) } : null;
  const record: IncidentRecord = {
    id: recordId(post.id, n),
    post,
    region,
    places: d.places,
    count: d.count,
    approx: d.approx,
    outcome: d.outcome,
    droneType: d.droneType,
    evidence: evidenceOf(text, d.evStart, d.evEnd),
    lang,
    extractor: EXTRACTOR_VERSION,
    provenance: { rule: d.rule, regionSource: d.regionSource },
  };
  if (d.period) record.period = d.period;
  return record;
}

/** The sentence as the post wrote it, on one line. */
function evidenceOf(text: string, start: number, end: number): string {
  const s = text.slice(start, end);
  return /\s\s|[\n\r\t\u00a0]/.test(s) ? s.replace(/\s+/g, ' ').trim() : s.trim();
}
