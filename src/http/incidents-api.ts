/**
 * Additions to the core incidents API of src/http/server.ts (GET /incidents, filters and pages):
 *   GET /incidents/:id          one record with its status (also a retracted one); id URL-encoded,
 *                               e.g. /incidents/mod_russia%2F52011%230
 *   GET /incidents/:id/events   the record's change events, oldest first (what consumers were sent)
 * Mounted after /incidents/stream so that "stream" is not taken for an id.
 */
import type { Express } from 'express';
import type { IncidentRecord } from '../domain/incident.js';
import type { ServiceDeps } from '../service.js';

const RECORD_ID_RE = /^[A-Za-z0-9_]{1,64}\/\d{1,20}#\d{1,6}$|^[^\s]{1,250}#\d{1,6}$/;

function iso(v: Date | string): string {
  return v instanceof Date ? v.toISOString() : new Date(v).toISOString();
}

export function mountIncidentsApi(app: Express, deps: ServiceDeps): void {
  const { db } = deps.store;

  app.get('/incidents/:id', async (req, res) => {
    const id = req.params.id;
    if (!RECORD_ID_RE.test(id)) {
      res.status(400).json({ error: 'bad request', problems: ['id: expected a record id such as mod_russia/52011#0 (URL-encoded)'] });
      return;
    }
    const [row] = await db.query<{ record: IncidentRecord; status: string; created_at: Date | string; updated_at: Date | string }>(
      'select record, status, created_at, updated_at from incidents where id = $1',
      [id],
    );
    if (!row) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    res.json({ record: row.record, status: row.status, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) });
  });

  app.get('/incidents/:id/events', async (req, res) => {
    const id = req.params.id;
    if (!RECORD_ID_RE.test(id)) {
      res.status(400).json({ error: 'bad request', problems: ['id: expected a record id (URL-encoded)'] });
      return;
    }
    const rows = await db.query<{ id: string; type: string; payload: IncidentRecord; created_at: Date | string; published_at: Date | string | null }>(
      'select id, type, payload, created_at, published_at from events where record_id = $1 order by seq limit 1000',
      [id],
    );
    if (rows.length === 0) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    res.json({
      items: rows.map((r) => ({ id: r.id, type: r.type, timestamp: iso(r.created_at), published: r.published_at !== null, data: r.payload })),
    });
  });
}
