/**
 * The HTTP role: health, readiness, the incidents API and the status report. Operator commands ask
 * these routes when the embedded store is held by the running service. Other modules (metrics,
 * the SSE stream, the queue dashboard) mount themselves through HttpMount.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { OUTCOMES, type Outcome } from '../domain/incident.js';
import type { RoleHandle, ServiceDeps } from '../service.js';
import { InvalidCursorError, MAX_PAGE, type IncidentFilter } from '../store/incidents.js';
import { mountDashboard } from './dashboard.js';
import { hardenServer, requestLimits } from './hardening.js';
import { mountIncidentsApi } from './incidents-api.js';
import { mountMetrics } from './metrics.js';
import { mountSse } from './sse.js';

/** A module that adds routes (metrics, SSE, dashboard); called once before listening. */
export type HttpMount = (app: Express, deps: ServiceDeps) => void | Promise<void>;

/** Mounted by default. The stream comes before incidents-api so that "stream" is not read as an id. */
export const DEFAULT_MOUNTS: HttpMount[] = [mountMetrics, mountSse, mountIncidentsApi, mountDashboard];

function isClientError(err: unknown): err is { status: number; message: string } {
  const e = err as { status?: unknown; expose?: unknown } | null;
  return typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true;
}

export class BadRequestError extends Error {
  readonly code = 'BAD_REQUEST';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'BadRequestError';
  }
}

const REGION_RE = /^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$/;

function parseDate(value: string, name: string, problems: string[]): Date | undefined {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) {
    problems.push(`${name}: expected an ISO 8601 date`);
    return undefined;
  }
  return d;
}

function parseNonNegative(value: string, name: string, problems: string[], max = Number.MAX_SAFE_INTEGER): number | undefined {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    problems.push(`${name}: expected an integer from 0 to ${max}`);
    return undefined;
  }
  return n;
}

/**
 * Builds an incident filter from string parameters (an HTTP query, CLI options); every problem is
 * reported at once. Keys: region, channel, outcome, since, until, minCount, limit, after, status.
 */
export function incidentFilterFrom(q: Record<string, unknown>): IncidentFilter {
  const problems: string[] = [];
  const str = (k: string): string | undefined => {
    const v = q[k];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    problems.push(`${k}: expected one value`);
    return undefined;
  };
  const filter: IncidentFilter = {};
  const region = str('region');
  if (region !== undefined) {
    if (REGION_RE.test(region)) filter.region = region.toUpperCase();
    else problems.push('region: expected an ISO 3166-2 code such as RU-BRY or UA-63');
  }
  const channel = str('channel');
  if (channel !== undefined) filter.channel = channel.replace(/^@/, '');
  const outcome = str('outcome');
  if (outcome !== undefined) {
    if ((OUTCOMES as readonly string[]).includes(outcome)) filter.outcome = outcome as Outcome;
    else problems.push(`outcome: expected one of ${OUTCOMES.join(', ')}`);
  }
  const since = str('since');
  if (since !== undefined) filter.since = parseDate(since, 'since', problems);
  const until = str('until');
  if (until !== undefined) filter.until = parseDate(until, 'until', problems);
  const minCount = str('minCount') ?? str('min-count');
  if (minCount !== undefined) filter.minCount = parseNonNegative(minCount, 'minCount', problems);
  const limit = str('limit');
  if (limit !== undefined) filter.limit = parseNonNegative(limit, 'limit', problems, MAX_PAGE);
  const after = str('after');
  if (after !== undefined) filter.after = after;
  const status = str('status');
  if (status !== undefined) {
    if (status === 'active' || status === 'retracted' || status === 'all') filter.status = status;
    else problems.push('status: expected active, retracted or all');
  }
  if (problems.length > 0) throw new BadRequestError(problems);
  return filter;
}

/** The reverse of incidentFilterFrom: query parameters for GET /incidents. */
export function incidentFilterToQuery(filter: IncidentFilter): URLSearchParams {
  const q = new URLSearchParams();
  if (filter.region) q.set('region', filter.region);
  if (filter.channel) q.set('channel', filter.channel);
  if (filter.outcome) q.set('outcome', filter.outcome);
  if (filter.since) q.set('since', filter.since.toISOString());
  if (filter.until) q.set('until', filter.until.toISOString());
  if (filter.minCount !== undefined) q.set('minCount', String(filter.minCount));
  if (filter.limit !== undefined) q.set('limit', String(filter.limit));
  if (filter.after) q.set('after', filter.after);
  if (filter.status) q.set('status', filter.status);
  return q;
}

async function readiness(deps: ServiceDeps): Promise<{ ok: boolean; checks: Record<string, string> }> {
  const checks: Record<string, string> = {};
  await Promise.all([
    deps.store.ping().then(
      () => (checks.store = 'ok'),
      (err: unknown) => (checks.store = err instanceof Error ? err.message : String(err)),
    ),
    deps.queues.connection.ping().then(
      () => (checks.redis = 'ok'),
      (err: unknown) => (checks.redis = err instanceof Error ? err.message : String(err)),
    ),
  ]);
  return { ok: Object.values(checks).every((v) => v === 'ok'), checks };
}

/** The express app with the core routes and the given mounts. */
export async function createHttpApp(deps: ServiceDeps, mounts: HttpMount[] = DEFAULT_MOUNTS): Promise<Express> {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestLimits());

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  app.get('/readyz', async (_req, res) => {
    const r = await readiness(deps);
    res.status(r.ok ? 200 : 503).json(r);
  });

  /** GET /incidents?region=RU-BRY&outcome=destroyed&since=…&limit=100&after=<next> → {items, next?} */
  app.get('/incidents', async (req, res) => {
    const filter = incidentFilterFrom(req.query as Record<string, unknown>);
    res.json(await deps.store.listIncidents(filter));
  });

  app.get('/status', async (_req, res) => {
    res.json(await deps.status());
  });

  for (const mount of mounts) await mount(app, deps);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  const log = deps.logger.child({ role: 'http' });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof BadRequestError) {
      res.status(400).json({ error: 'bad request', problems: err.problems });
    } else if (err instanceof InvalidCursorError) {
      res.status(400).json({ error: 'bad request', problems: ['after: invalid page cursor'] });
    } else if (isClientError(err)) {
      // body-parser's errors (malformed JSON 400, too large 413): their message is safe to show.
      res.status(err.status).json({ error: err.message });
    } else {
      log.error({ err }, 'request failed');
      res.status(500).json({ error: 'internal error' });
    }
  });
  return app;
}

export interface HttpServer extends RoleHandle {
  /** The bound port (HTTP_PORT=0 takes any free one). */
  port(): number;
}

/** The HTTP role: listens on HTTP_HOST:HTTP_PORT. */
export function createHttpServer(deps: ServiceDeps, mounts: HttpMount[] = DEFAULT_MOUNTS): HttpServer {
  const log = deps.logger.child({ role: 'http' });
  let server: Server | undefined;
  return {
    port() {
      const addr = server?.address() as AddressInfo | null | undefined;
      return addr?.port ?? deps.config.HTTP_PORT;
    },
    async start() {
      const app = await createHttpApp(deps, mounts);
      await new Promise<void>((resolve, reject) => {
        const s = app.listen(deps.config.HTTP_PORT, deps.config.HTTP_HOST, (err?: Error) => (err ? reject(err) : resolve()));
        s.once('error', reject);
        server = s;
        hardenServer(s);
      });
      log.info({ host: deps.config.HTTP_HOST, port: this.port() }, 'HTTP listening');
    },
    async stop() {
      if (!server) return;
      const s = server;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        // Long-lived connections (SSE, keep-alive) must not hold the shutdown.
        s.closeAllConnections();
      });
    },
  };
}
