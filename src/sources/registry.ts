/**
 * The channel registry: which channels to follow, and what the listener should know about each
 * (home region → the post's channelRegion, language, kind, poll interval). The registry is data an
 * operator edits; `CHANNELS` picks either a registry file or a comma-separated list of usernames
 * (looked up in the default registry for their metadata).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const CHANNEL_KINDS = ['ministry', 'governor', 'mayor', 'air-force', 'regional-administration', 'news', 'other'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface ChannelEntry {
  username: string;
  title?: string;
  /** ISO 3166-2 code of the region a regional channel speaks for. */
  homeRegion?: string;
  lang?: 'ru' | 'uk' | 'en';
  kind?: ChannelKind;
  /** Overrides POLL_INTERVAL_MS for this channel. */
  pollIntervalMs?: number;
  /** How sure we are the username belongs to the body named ('confirmed' | 'likely'). */
  confidence?: 'confirmed' | 'likely' | 'unverified';
}

export const USERNAME_RE = /^[A-Za-z0-9_]{1,64}$/;

const entrySchema = z
  .object({
    username: z.string().regex(USERNAME_RE, 'a Telegram username: letters, digits, _ (no @)'),
    title: z.string().max(300).optional(),
    homeRegion: z
      .string()
      .regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'an ISO 3166-2 code such as RU-BEL')
      .nullish()
      .transform((v) => v ?? undefined),
    lang: z.enum(['ru', 'uk', 'en']).optional(),
    kind: z.enum(CHANNEL_KINDS).optional(),
    pollIntervalMs: z.number().int().min(1_000).max(86_400_000).optional(),
    confidence: z.enum(['confirmed', 'likely', 'unverified']).optional(),
  })
  .strict();

// A bare array of entries, or an object with `channels` (and a `$comment` for the operator).
const registryObjectSchema = z.object({ $comment: z.string().optional(), channels: z.array(entrySchema) }).strict();
const registryArraySchema = z.array(entrySchema);

export class RegistryError extends Error {
  readonly code = 'REGISTRY_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegistryError';
  }
}

/** Validates a parsed registry document; reports every problem at once. */
export function parseRegistry(doc: unknown, origin = 'registry'): ChannelEntry[] {
  const parsed = Array.isArray(doc) ? registryArraySchema.safeParse(doc) : registryObjectSchema.safeParse(doc);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new RegistryError(`${origin} is not a valid channel registry:\n  - ${problems.join('\n  - ')}`);
  }
  const entries = Array.isArray(parsed.data) ? parsed.data : parsed.data.channels;
  const seen = new Set<string>();
  const out: ChannelEntry[] = [];
  for (const e of entries) {
    const key = e.username.toLowerCase();
    // Telegram usernames are case-insensitive: one channel listed twice would be polled twice.
    if (seen.has(key)) throw new RegistryError(`${origin}: channel ${e.username} is listed twice`);
    seen.add(key);
    out.push(stripUndefined(e));
  }
  return out;
}

function stripUndefined(e: ChannelEntry): ChannelEntry {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as unknown as ChannelEntry;
}

/** `CHANNELS` is a path when it names a file (ends in .json, or has a slash); otherwise a list. */
export function isRegistryPath(setting: string): boolean {
  return /\.json$/i.test(setting) || setting.includes('/') || setting.includes('\\');
}

/**
 * Parses a comma-separated `CHANNELS` list. Each name takes its metadata from `known` (the default
 * registry) when it is there; an unknown name is followed with no home region.
 * Example: `parseChannelList('mod_russia, @kpszsu', known)`.
 */
export function parseChannelList(setting: string, known: ChannelEntry[] = []): ChannelEntry[] {
  const byName = new Map(known.map((e) => [e.username.toLowerCase(), e]));
  const problems: string[] = [];
  const out: ChannelEntry[] = [];
  const seen = new Set<string>();
  for (const raw of setting.split(',')) {
    const name = raw.trim().replace(/^@/, '').replace(/^https?:\/\/t\.me\/(s\/)?/i, '');
    if (name === '') continue;
    if (!USERNAME_RE.test(name)) {
      problems.push(`"${raw.trim()}" is not a Telegram username`);
      continue;
    }
    if (seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(byName.get(name.toLowerCase()) ?? { username: name });
  }
  if (problems.length > 0) throw new RegistryError(`CHANNELS: ${problems.join('; ')}`);
  if (out.length === 0) throw new RegistryError('CHANNELS names no channel');
  return out;
}

/** The registry shipped with dronewire (channels/registry.json at the project root). */
export const DEFAULT_REGISTRY_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../channels/registry.json');

export function readRegistryFile(path: string): ChannelEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RegistryError(`cannot read the channel registry ${path}: ${(err as Error).message}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new RegistryError(`channel registry ${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseRegistry(doc, path);
}

/**
 * Resolves the `CHANNELS` setting: unset → the default registry; a path → that file; otherwise a
 * comma-separated list of usernames.
 */
export function loadChannels(setting: string | undefined, defaultPath = DEFAULT_REGISTRY_PATH): ChannelEntry[] {
  if (setting === undefined || setting.trim() === '') return readRegistryFile(defaultPath);
  if (isRegistryPath(setting)) return readRegistryFile(setting);
  let known: ChannelEntry[] = [];
  try {
    known = readRegistryFile(defaultPath);
  } catch {
    // The default registry only lends metadata to a plain list; a list works without it.
  }
  return parseChannelList(setting, known);
}

/** The poll interval of one channel. */
export function pollIntervalOf(entry: ChannelEntry, defaultMs: number): number {
  return entry.pollIntervalMs ?? defaultMs;
}
