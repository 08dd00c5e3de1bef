/** Output formats of `incidents`: JSON Lines, CSV (RFC 4180), GeoJSON, and a short text line. */
import type { IncidentRecord } from '../domain/incident.js';

export function jsonLine(record: IncidentRecord): string {
  return `${JSON.stringify(record)}\n`;
}

export const CSV_COLUMNS = [
  'id', 'post_id', 'channel', 'message_id', 'post_date', 'edit_date', 'url', 'region_code', 'region_name', 'region_name_local',
  'count', 'approx', 'outcome', 'drone_type', 'places', 'period_from', 'period_to', 'lang', 'extractor', 'evidence',
] as const;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(r: IncidentRecord): string {
  const cells = [
    r.id, r.post.id, r.post.channel, r.post.messageId, r.post.date, r.post.editDate, r.post.url, r.region?.code, r.region?.name,
    r.region?.nameLocal, r.count, r.approx, r.outcome, r.droneType, r.places.map((p) => p.name).join('; '), r.period?.from,
    r.period?.to, r.lang, r.extractor, r.evidence,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * A GeoJSON Feature: a point at the first located place, or no geometry (allowed by RFC 7946 for
 * unlocated features) when the record names none with coordinates.
 */
export function geoJsonFeature(r: IncidentRecord): Record<string, unknown> {
  const located = r.places.find((p) => typeof p.lat === 'number' && typeof p.lon === 'number');
  return {
    type: 'Feature',
    id: r.id,
    geometry: located ? { type: 'Point', coordinates: [located.lon, located.lat] } : null,
    properties: {
      id: r.id,
      postId: r.post.id,
      channel: r.post.channel,
      postDate: r.post.date,
      url: r.post.url,
      region: r.region?.code ?? null,
      regionName: r.region?.name ?? null,
      place: located?.name ?? null,
      places: r.places.map((p) => p.name),
      count: r.count,
      approx: r.approx,
      outcome: r.outcome,
      droneType: r.droneType,
      lang: r.lang,
      evidence: r.evidence,
      extractor: r.extractor,
    },
  };
}

/** One readable line: date, region, outcome, count, type, post, evidence. */
export function textLine(r: IncidentRecord): string {
  const date = r.post.date.replace('T', ' ').slice(0, 16);
  const count = r.count === null ? '?' : `${r.approx ? '~' : ''}${r.count}`;
  const region = r.region?.code ?? (r.places.length ? r.places.map((p) => p.name).join('+') : '-');
  const evidence = r.evidence.replace(/\s+/g, ' ').slice(0, 100);
  return `${date}  ${region.padEnd(8)} ${r.outcome.padEnd(10)} ${count.padStart(4)}  ${(r.droneType ?? '-').padEnd(10)} ${r.post.url}  ${evidence}\n`;
}
