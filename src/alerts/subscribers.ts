/**
 * Webhook subscribers: one from WEBHOOK_URL + WEBHOOK_SECRET, or several with filters from
 * WEBHOOKS_FILE (JSON). Subscribers are named; job data carries the name, never the secret.
 *
 * WEBHOOKS_FILE:
 * ```json
 * { "subscribers": [
 *   { "name": "ops", "url": "https://example.org/hook", "secret": "whsec_…",
 *     "filters": { "regions": ["RU-BEL", "UA"], "outcomes": ["hit"], "minCount": 5, "channels": ["mod_russia"] },
 *     "types": ["incident.created"] } ] }
 * ```
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Config } from '../config.js';
import { OUTCOMES, type IncidentRecord } from '../domain/incident.js';
import { secretKey } from './signing.js';

export const EVENT_TYPES = ['incident.created', 'incident.updated', 'incident.retracted'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const filtersSchema = z
  .object({
    /** ISO 3166-2 codes (`RU-BEL`) or country codes (`UA`: every Ukrainian region). */
    regions: z.array(z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'ISO 3166-2 code such as RU-BEL, or a country code')).min(1).optional(),
    outcomes: z.array(z.enum(OUTCOMES)).min(1).optional(),
    minCount: z.number().int().min(0).optional(),
    channels: z.array(z.string().regex(/^[A-Za-z0-9_]{1,64}$/)).min(1).optional(),
  })
  .strict();

const subscriberSchema = z
  .object({
    // The name is part of BullMQ job ids, which may not contain ':'.
    name: z.string().regex(/^[A-Za-z0-9_.]{1,64}$/, 'letters, digits, _ and . only'),
    url: z.string().url().refine((u) => /^https?:\/\//.test(u), 'http or https URL'),
    secret: z.string().startsWith('whsec_', 'must start with whsec_').refine(validSecret, 'whsec_ + base64 of at least 16 bytes'),
    filters: filtersSchema.default({}),
    types: z.array(z.enum(EVENT_TYPES)).min(1).optional(),
  })
  .strict();

const listSchema = z.array(subscriberSchema);

export type SubscriberFilters = z.infer<typeof filtersSchema>;
export type Subscriber = z.infer<typeof subscriberSchema>;

function validSecret(secret: string): boolean {
  try {
    secretKey(secret);
    return true;
  } catch {
    return false;
  }
}

/** Parses a subscribers document; throws one Error naming every problem (never echoing a secret). */
export function parseSubscribers(value: unknown, source = 'WEBHOOKS_FILE'): Subscriber[] {
  // Either a list, or {"subscribers": [...]} (room for other top-level keys later).
  const wrapped = !Array.isArray(value) && typeof value === 'object' && value !== null;
  const items = wrapped ? (value as { subscribers?: unknown }).subscribers : value;
  const parsed = listSchema.safeParse(items);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${[wrapped ? 'subscribers' : '', ...i.path].filter((p) => p !== '').join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${source}: invalid subscribers:\n  - ${problems.join('\n  - ')}`);
  }
  const list = parsed.data;
  const seen = new Set<string>();
  for (const s of list) {
    if (seen.has(s.name)) throw new Error(`${source}: subscriber name "${s.name}" appears twice`);
    seen.add(s.name);
  }
  return list;
}

/** The subscribers a configuration names: WEBHOOK_URL's (named "default") and WEBHOOKS_FILE's. */
export function loadSubscribers(config: Pick<Config, 'WEBHOOK_URL' | 'WEBHOOK_SECRET' | 'WEBHOOKS_FILE'>): Subscriber[] {
  const list: Subscriber[] = [];
  if (config.WEBHOOK_URL && config.WEBHOOK_SECRET) {
    list.push(...parseSubscribers([{ name: 'default', url: config.WEBHOOK_URL, secret: config.WEBHOOK_SECRET }], 'WEBHOOK_URL'));
  }
  if (config.WEBHOOKS_FILE) {
    let text: string;
    try {
      text = readFileSync(config.WEBHOOKS_FILE, 'utf8');
    } catch (err) {
      throw new Error(`WEBHOOKS_FILE: cannot read ${config.WEBHOOKS_FILE}: ${(err as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new Error(`WEBHOOKS_FILE: ${config.WEBHOOKS_FILE} is not valid JSON: ${(err as Error).message}`);
    }
    for (const s of parseSubscribers(json)) {
      if (list.some((o) => o.name === s.name)) throw new Error(`WEBHOOKS_FILE: subscriber name "${s.name}" is taken by WEBHOOK_URL`);
      list.push(s);
    }
  }
  return list;
}

function regionMatches(record: IncidentRecord, wanted: string[]): boolean {
  // A record with no region of its own (a count over several regions) matches through its places.
  const codes = [record.region?.code, ...record.places.map((p) => (p.kind === 'region' ? p.region : undefined))].filter(
    (c): c is string => typeof c === 'string',
  );
  return codes.some((code) => wanted.some((w) => code === w || (w.length === 2 && code.startsWith(`${w}-`))));
}

/** Whether one record passes a subscriber's filters. */
export function recordMatches(filters: SubscriberFilters, record: IncidentRecord): boolean {
  if (filters.regions && !regionMatches(record, filters.regions)) return false;
  if (filters.outcomes && !filters.outcomes.includes(record.outcome)) return false;
  if (filters.minCount !== undefined && (record.count === null || record.count < filters.minCount)) return false;
  if (filters.channels && !filters.channels.some((c) => c.toLowerCase() === record.post.channel.toLowerCase())) return false;
  return true;
}

/**
 * Whether a subscriber wants an event. An update or retraction goes to a subscriber that matched
 * either the record's new or its previous form, so nobody keeps a stale record they were sent.
 */
export function subscriberWants(subscriber: Subscriber, type: EventType, record: IncidentRecord, previous?: IncidentRecord | null): boolean {
  if (subscriber.types && !subscriber.types.includes(type)) return false;
  return recordMatches(subscriber.filters, record) || (previous != null && recordMatches(subscriber.filters, previous));
}
