/**
 * /admin: the bull-board queue dashboard (/admin/queues) and the replay endpoint (POST
 * /admin/replay, used by `replay` when the embedded store is held by the running service).
 * bull-board has no authentication of its own: everything under /admin requires ADMIN_TOKEN, as a
 * bearer token or as the password of HTTP Basic (so that a browser can open the dashboard). With no
 * ADMIN_TOKEN configured the admin routes do not exist.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { EXTRACTOR_VERSION } from '../extract/index.js';
import { replay, ReplaySelectionError, selectionProblems, type ReplaySelection } from '../replay.js';
import type { ServiceDeps } from '../service.js';

export const DASHBOARD_PATH = '/admin/queues';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time token comparison (hashing first makes the lengths equal and hides the length). */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function presentedToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const [scheme, value] = header.split(' ', 2);
  if (!value) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return value.trim();
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

/** Refuses (401) any request without the admin token. */
export function requireAdminToken(token: string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = presentedToken(req);
    if (given !== undefined && tokenMatches(given, token)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="dronewire admin", charset="UTF-8"');
    res.setHeader('Cache-Control', 'no-store');
    res.status(401).json({ error: 'admin token required' });
  };
}

const ISO_KEYS = ['since', 'until'] as const;

/** A replay selection from untrusted JSON; throws ReplaySelectionError listing every problem. */
export function parseSelection(value: unknown): ReplaySelection {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ReplaySelectionError('selection: expected an object');
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  const sel: ReplaySelection = {};
  if (v.channel !== undefined) {
    if (typeof v.channel === 'string' && /^@?[A-Za-z0-9_]{1,64}$/.test(v.channel)) sel.channel = v.channel.replace(/^@/, '');
    else problems.push('channel: expected a channel username');
  }
  for (const key of ['fromId', 'toId'] as const) {
    if (v[key] === undefined) continue;
    if (typeof v[key] === 'number' && Number.isSafeInteger(v[key]) && (v[key] as number) > 0) sel[key] = v[key] as number;
    else problems.push(`${key}: expected a positive integer`);
  }
  for (const key of ISO_KEYS) {
    if (v[key] === undefined) continue;
    const t = typeof v[key] === 'string' ? Date.parse(v[key] as string) : NaN;
    if (Number.isNaN(t)) problems.push(`${key}: expected an ISO 8601 date`);
    else sel[key] = new Date(t);
  }
  for (const key of ['outdated', 'failed', 'failedDeliveries', 'all'] as const) {
    if (v[key] === undefined) continue;
    if (typeof v[key] === 'boolean') sel[key] = v[key] as boolean;
    else problems.push(`${key}: expected true or false`);
  }
  const unknown = Object.keys(v).filter((k) => !['channel', 'fromId', 'toId', ...ISO_KEYS, 'outdated', 'failed', 'failedDeliveries', 'all'].includes(k));
  if (unknown.length) problems.push(`unknown keys: ${unknown.join(', ')}`);
  problems.push(...selectionProblems(sel));
  if (problems.length) throw new ReplaySelectionError(problems.join('; '));
  return sel;
}

/** Mounts /admin/queues and /admin/replay behind ADMIN_TOKEN; nothing when no token is configured. */
export function mountDashboard(app: Express, deps: ServiceDeps): void {
  const token = deps.config.ADMIN_TOKEN;
  if (!token) {
    deps.logger.info('ADMIN_TOKEN not set: the queue dashboard and admin API are off');
    return;
  }
  const guard = requireAdminToken(token);

  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: [deps.queues.posts, deps.queues.alerts, deps.queues.polls].map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'dronewire' } },
  });
  app.use(DASHBOARD_PATH, guard, serverAdapter.getRouter() as express.Router);

  app.post('/admin/replay', guard, express.json({ limit: '16kb' }), async (req, res) => {
    let selection: ReplaySelection;
    try {
      selection = parseSelection((req.body as { selection?: unknown } | undefined)?.selection);
    } catch (err) {
      res.status(400).json({ error: (err as Error).message });
      return;
    }
    const dryRun = (req.body as { dryRun?: unknown }).dryRun === true;
    const counts = await replay({ db: deps.store.db, posts: deps.queues.posts, alerts: deps.queues.alerts, extractorVersion: EXTRACTOR_VERSION }, selection, { dryRun });
    deps.logger.info({ selection, dryRun, counts }, 'replay requested over HTTP');
    res.json({ dryRun, counts });
  });
}
