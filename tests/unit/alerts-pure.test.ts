/** Pure parts of the alerts: Standard Webhooks signing, subscriber filters, back-off. */
import { describe, expect, it } from 'vitest';
import { sign, signedHeaders, verify, WebhookVerificationError } from '../../src/alerts/signing.js';
import { parseSubscribers, recordMatches, subscriberWants } from '../../src/alerts/subscribers.js';
import { backoffDelay } from '../../src/alerts/webhook-worker.js';
import { compareStreamIds } from '../../src/alerts/stream.js';
import type { IncidentRecord } from '../../src/domain/incident.js';

// The test vector published with the Standard Webhooks specification.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('signing', () => {
  it('reproduces the specification test vector', () => {
    expect(sign(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('verifies the vector, with several signatures, and refuses tampering, old timestamps and missing headers', () => {
    const now = new Date(VECTOR.timestamp * 1000 + 10_000);
    const headers = { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature };
    expect(verify(VECTOR.secret, headers, VECTOR.body, { now })).toEqual({ id: VECTOR.id, timestamp: VECTOR.timestamp });
    expect(verify(VECTOR.secret, { ...headers, 'webhook-signature': `v1,bm9wZQ== ${VECTOR.signature}` }, VECTOR.body, { now }).id).toBe(VECTOR.id);
    expect(() => verify(VECTOR.secret, headers, '{"test": 2432232315}', { now })).toThrow(WebhookVerificationError);
    expect(() => verify(VECTOR.secret, { ...headers, 'webhook-id': 'msg_other' }, VECTOR.body, { now })).toThrow('no matching signature');
    expect(() => verify(VECTOR.secret, headers, VECTOR.body, { now: new Date(VECTOR.timestamp * 1000 + 600_000) })).toThrow('tolerance');
    expect(() => verify(VECTOR.secret, { ...headers, 'webhook-signature': VECTOR.signature.replace('v1,', 'v2,') }, VECTOR.body, { now })).toThrow();
    expect(() => verify(VECTOR.secret, { 'webhook-id': VECTOR.id }, VECTOR.body, { now })).toThrow('missing');
    const h = new Headers({ ...signedHeaders(VECTOR.secret, 'evt_1', '{}') });
    expect(verify(VECTOR.secret, h, '{}').id).toBe('evt_1');
  });
});

const record = (over: Partial<IncidentRecord> = {}): IncidentRecord => ({
  id: 'ch/1#0',
  post: { id: 'ch/1', channel: 'Kursk_Gov', messageId: 1, date: '2026-11-20T00:00:00Z', url: 'https://t.me/Kursk_Gov/1' },
  region: { code: 'RU-KRS', name: 'Kursk', nameLocal: 'Курская' },
  places: [],
  count: 4,
  approx: false,
  outcome: 'destroyed',
  droneType: null,
  evidence: '',
  lang: 'ru',
  extractor: 'x',
  ...over,
});

describe('subscriber filters', () => {
  it('match regions (code or country), outcomes, minimum count and channels', () => {
    expect(recordMatches({ regions: ['RU-KRS'] }, record())).toBe(true);
    expect(recordMatches({ regions: ['RU'] }, record())).toBe(true);
    expect(recordMatches({ regions: ['UA'] }, record())).toBe(false);
    expect(recordMatches({ regions: ['RU-BRY'] }, record({ region: null, places: [{ name: 'Bryansk', nameLocal: 'Брянская', kind: 'region', resolved: true, region: 'RU-BRY' }] }))).toBe(true);
    expect(recordMatches({ outcomes: ['hit'] }, record())).toBe(false);
    expect(recordMatches({ minCount: 4 }, record())).toBe(true);
    expect(recordMatches({ minCount: 5 }, record())).toBe(false);
    expect(recordMatches({ minCount: 1 }, record({ count: null }))).toBe(false);
    expect(recordMatches({ channels: ['kursk_gov'] }, record())).toBe(true);
  });

  it('an update reaches a subscriber that matched the previous form; types limit events', () => {
    const [s] = parseSubscribers([{ name: 'krs', url: 'https://e.org/h', secret: VECTOR.secret, filters: { regions: ['RU-KRS'] }, types: ['incident.created', 'incident.updated'] }]);
    const moved = record({ region: { code: 'RU-BEL', name: 'Belgorod', nameLocal: 'Белгородская' } });
    expect(subscriberWants(s!, 'incident.updated', moved, record())).toBe(true);
    expect(subscriberWants(s!, 'incident.updated', moved, null)).toBe(false);
    expect(subscriberWants(s!, 'incident.retracted', record())).toBe(false);
  });
});

describe('back-off and stream ids', () => {
  it('grows exponentially, is capped, and jitters within ±10 %', () => {
    const s = { baseMs: 5_000, capMs: 3_600_000 };
    expect(backoffDelay(1, s, () => 0.5)).toBe(5_000);
    expect(backoffDelay(4, s, () => 0.5)).toBe(40_000);
    expect(backoffDelay(14, s, () => 0.5)).toBe(3_600_000);
    expect(backoffDelay(3, s, () => 0)).toBe(18_000);
    expect(backoffDelay(3, s, () => 1)).toBe(22_000);
    const total = Array.from({ length: 14 }, (_, i) => backoffDelay(i + 1, s, () => 0.5)).reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeGreaterThan(4); // "over hours"
  });

  it('orders stream ids numerically', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('10-1', '10-1')).toBe(0);
  });
});
