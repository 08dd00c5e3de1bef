/**
 * The extractor's public face: a post in, incident records out. Pure: no I/O, no clock.
 * (Placeholder until the extractor lands; the signature is final.)
 */
import type { IncidentRecord } from '../domain/incident.js';
import type { Post } from '../domain/post.js';

export const EXTRACTOR_NAME = 'dronewire-rules';
export const EXTRACTOR_VERSION = `${EXTRACTOR_NAME}@0.0.0`;

export function extractPost(_post: Post): IncidentRecord[] {
  return [];
}
