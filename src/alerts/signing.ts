/**
 * Standard Webhooks signing (https://www.standardwebhooks.com/, spec "Signature scheme"):
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, keyed by
 * the base64-decoded part of the secret after `whsec_`. Receivers check the signature in constant
 * time and refuse timestamps outside a tolerance (replay protection).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** The spec's recommended tolerance for webhook-timestamp, in seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export class WebhookVerificationError extends Error {
  readonly code = 'WEBHOOK_VERIFICATION_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

/** The signing key: the base64 bytes after `whsec_` (a secret without the prefix is taken as base64 too). */
export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 16) throw new Error('webhook secret too short: expected whsec_ + base64 of at least 16 bytes');
  return key;
}

/** A new random secret in the `whsec_` form (24 bytes, as the reference libraries generate). */
export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`;
}

/** `v1,<base64 signature>` of one message. `timestamp` is in seconds since the epoch. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The three headers of one delivery attempt. */
export function signedHeaders(secret: string, id: string, body: string, now: Date = new Date()): WebhookHeaders {
  const timestamp = Math.floor(now.getTime() / 1000);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': sign(secret, id, timestamp, body) };
}

type HeaderBag = Record<string, string | string[] | undefined> | Headers;

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Verifies a received webhook the way the spec says: all three headers present, timestamp within
 * the tolerance, and one of the space-separated `v1,` signatures equal (constant time) to the one
 * computed over the raw body. Throws WebhookVerificationError; returns the id and timestamp.
 */
export function verify(
  secret: string,
  headers: HeaderBag,
  rawBody: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): { id: string; timestamp: number } {
  const id = header(headers, 'webhook-id');
  const timestampText = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestampText || !signatures) throw new WebhookVerificationError('missing webhook headers');
  const timestamp = Number(timestampText);
  if (!/^\d+$/.test(timestampText) || !Number.isSafeInteger(timestamp)) throw new WebhookVerificationError('invalid webhook-timestamp');
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) throw new WebhookVerificationError('webhook-timestamp outside the tolerance');

  const expected = Buffer.from(sign(secret, id, timestamp, rawBody).slice('v1,'.length), 'base64');
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { id, timestamp };
  }
  throw new WebhookVerificationError('no matching signature');
}
