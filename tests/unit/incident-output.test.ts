import { describe, expect, it } from 'vitest';
import { csvHeader, csvRow, geoJsonFeature, jsonLine } from '../../src/cli/formats.js';
import type { IncidentRecord } from '../../src/domain/incident.js';
import { BadRequestError, incidentFilterFrom, incidentFilterToQuery } from '../../src/http/server.js';
import { canonicalJson, inContractOrder, recordHash } from '../../src/store/incidents.js';

const record: IncidentRecord = {
  id: 'AVBogomaz/9911#0',
  post: { id: 'AVBogomaz/9911', channel: 'AVBogomaz', messageId: 9911, date: '2025-10-13T21:47:00Z', url: 'https://t.me/AVBogomaz/9911' },
  region: { code: 'RU-BRY', name: 'Bryansk Oblast', nameLocal: 'Брянская область' },
  places: [
    { name: 'Pogar', nameLocal: 'Погар', kind: 'settlement', resolved: true, lat: 52.55, lon: 33.26 },
    { name: 'Trubchevsky District', nameLocal: 'Трубчевский район', kind: 'district', resolved: false },
  ],
  count: 3,
  approx: false,
  outcome: 'destroyed',
  droneType: null,
  evidence: 'Над Погаром уничтожены 3 беспилотника, "самолётного типа", без пострадавших',
  lang: 'ru',
  extractor: 'rules@1',
};

describe('incident output formats', () => {
  it('writes CSV with quoting where a cell needs it', () => {
    const header = csvHeader().trimEnd().split(',');
    const row = csvRow(record);
    expect(row.endsWith('\r\n')).toBe(true);
    expect(header[0]).toBe('id');
    expect(row).toContain('"Над Погаром уничтожены 3 беспилотника, ""самолётного типа"", без пострадавших"');
    expect(row).toContain(',Pogar; Trubchevsky District,');
    expect(row.startsWith('AVBogomaz/9911#0,AVBogomaz/9911,AVBogomaz,9911,')).toBe(true);
  });

  it('makes a GeoJSON point of the first located place, or no geometry', () => {
    expect(geoJsonFeature(record)).toMatchObject({ type: 'Feature', geometry: { type: 'Point', coordinates: [33.26, 52.55] }, properties: { region: 'RU-BRY', count: 3 } });
    expect(geoJsonFeature({ ...record, places: [] }).geometry).toBeNull();
  });

  it('writes one JSON line per record', () => {
    expect(jsonLine(record).split('\n')).toHaveLength(2);
    expect(JSON.parse(jsonLine(record))).toEqual(record);
  });
});

describe('record identity', () => {
  it('hashes content regardless of key order, extractor or provenance', () => {
    const shuffled = JSON.parse(JSON.stringify({ ...record, extractor: 'rules@2', provenance: { rule: 'x', regionSource: 'text' } })) as IncidentRecord;
    expect(recordHash(shuffled)).toBe(recordHash(record));
    expect(recordHash({ ...record, count: 4 })).not.toBe(recordHash(record));
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });

  it('puts a stored record back in the contract field order', () => {
    const fromJsonb = JSON.parse(canonicalJson(record)) as IncidentRecord;
    expect(Object.keys(inContractOrder(fromJsonb))).toEqual(Object.keys(record));
    expect(Object.keys(inContractOrder(fromJsonb).post)).toEqual(Object.keys(record.post));
  });
});

describe('incident filters', () => {
  it('reads every filter and writes it back', () => {
    const filter = incidentFilterFrom({ region: 'ru-bry', channel: '@AVBogomaz', outcome: 'destroyed', since: '2025-10-01', until: '2025-11-01T00:00:00Z', minCount: '2', limit: '50' });
    expect(filter).toEqual({
      region: 'RU-BRY',
      channel: 'AVBogomaz',
      outcome: 'destroyed',
      since: new Date('2025-10-01'),
      until: new Date('2025-11-01T00:00:00Z'),
      minCount: 2,
      limit: 50,
    });
    expect(incidentFilterFrom(Object.fromEntries(incidentFilterToQuery(filter)))).toEqual(filter);
  });

  it('reports every bad parameter at once', () => {
    let error: unknown;
    try {
      incidentFilterFrom({ region: 'Bryansk', outcome: 'exploded', since: 'yesterday', minCount: '-1', limit: '100000' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).problems.map((p) => p.split(':')[0])).toEqual(['region', 'outcome', 'since', 'minCount', 'limit']);
  });
});
