/**
 * The README's main path through the real command line: `start` with the file source ingests the
 * bundled sample, and `incidents --json` lists its records, on PostgreSQL and on the embedded store
 * (there also while the service runs and holds the store, through its HTTP API).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePost } from '../../src/domain/post.js';
import { createPipelineEnv, waitFor, type PipelineEnv } from '../helpers/pipeline-env.js';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const SAMPLE = fileURLToPath(new URL('../../examples/posts.jsonl', import.meta.url));

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, ['src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function records(stdout: string): Array<{ id: string; post: { channel: string } }> {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; post: { channel: string } });
}

const sampleLines = readFileSync(SAMPLE, 'utf8').split('\n').filter(Boolean);
const samplePostIds = new Set(
  sampleLines.map((l) => {
    const parsed = parsePost(JSON.parse(l));
    if (!parsed.ok) throw new Error(`examples/posts.jsonl: ${parsed.reason}`);
    return parsed.post.id;
  }),
);

/** Opening a store (PGlite especially) and cleaning up take long on a loaded machine. */
const HOOK_TIMEOUT_MS = 90_000;

describe.each(['postgres', 'embedded'] as const)('CLI on %s', (kind) => {
  let env: PipelineEnv;
  let cliEnv: Record<string, string>;
  let service: WorkerProcess | undefined;
  beforeAll(async () => {
    env = await createPipelineEnv({ kind });
    await env.closeStore(); // the commands under test open it themselves
    cliEnv = { ...env.env, TELEGRAM_SOURCE: 'file', LOG_LEVEL: 'warn' };
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await env?.cleanup();
  }, HOOK_TIMEOUT_MS);

  it('start --once ingests the bundled sample; incidents --json lists its records', { timeout: 240_000 }, async () => {
    const start = await cli(['start', '--once'], cliEnv);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stderr).toMatch(new RegExp(`${sampleLines.length} posts read \\(${sampleLines.length} queued`));

    const listed = await cli(['incidents', '--json'], cliEnv);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = records(listed.stdout);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    for (const r of rows) expect(samplePostIds.has(r.id.replace(/#\d+$/, ''))).toBe(true);

    const csv = await cli(['incidents', '--csv', '--limit', '2'], cliEnv);
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^id,post_id,channel,/);
    const bad = await cli(['incidents', '--region', 'Bryansk', '--json'], cliEnv);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--region: expected an ISO 3166-2 code/);

    const status = await cli(['status', '--json'], cliEnv);
    expect(status.code, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout) as { store: { kind: string; posts: { posts: number } }; queues: Array<{ name: string; counts: Record<string, number> }> };
    expect(report.store.kind).toBe(kind);
    expect(report.store.posts.posts).toBe(samplePostIds.size);
    expect(report.queues.find((q) => q.name === 'posts')!.counts.failed).toBe(0);
  });

  it.runIf(kind === 'embedded')('asks the running service while it holds the embedded store', { timeout: 240_000 }, async () => {
    // the service claims the store in service.json; the port is written there once every role
    // has started
    const holder = (previous?: number) =>
      waitFor(
        async () => {
          try {
            const s = JSON.parse(readFileSync(`${env.config.DATA_DIR}/service.json`, 'utf8')) as { httpPort: number | null; pid: number; roles: string[] };
            return s.pid !== previous ? s : null;
          } catch {
            return null;
          }
        },
        'the service to claim the store',
        60_000,
      );

    service = spawnWorker('src/cli/main.ts', { ...cliEnv, LOG_LEVEL: 'info' }, ['start']);
    const info = await waitFor(async () => {
      const s = await holder();
      return s.httpPort ? s : null;
    }, 'the HTTP port', 60_000);

    expect(info.pid).toBe(service.child.pid);

    const listed = await cli(['incidents', '--json'], cliEnv);
    expect(listed.code, listed.stderr).toBe(0);
    expect(records(listed.stdout).length).toBeGreaterThanOrEqual(1);
    const status = await cli(['status'], cliEnv);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`service: pid ${info.pid}`));

    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);

    // a service without the HTTP role holds the store and cannot be asked: a clear message
    service = spawnWorker('src/cli/main.ts', { ...cliEnv, LOG_LEVEL: 'info' }, ['start', '--role', 'extract']);
    const extractOnly = await holder(info.pid);
    expect(extractOnly).toMatchObject({ pid: service.child.pid, roles: ['extract'] });
    const refused = await cli(['incidents', '--json'], cliEnv);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`held by the dronewire service \\(roles: extract\\), pid ${extractOnly.pid}, which serves no HTTP API`));
    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
    service = undefined;
  });
});
