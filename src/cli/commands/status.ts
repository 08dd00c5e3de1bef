import type { Command } from 'commander';
import type { Config } from '../../config.js';
import { createQueues } from '../../queue/queues.js';
import { collectStatus, type ServiceStatus } from '../../service.js';
import type { Store } from '../../store/index.js';
import { CliError, commandContext, getJson, withData } from '../access.js';

async function directStatus(config: Config, store: Store): Promise<ServiceStatus> {
  let queues;
  try {
    queues = await createQueues({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, readyTimeoutMs: 3_000 });
  } catch (err) {
    return collectStatus(store, null, err instanceof Error ? err.message : String(err));
  }
  try {
    return await collectStatus(store, queues);
  } finally {
    await queues.close();
  }
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function oneLine(s: string, max = 160): string {
  const t = s.replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** The report a person reads. */
export function formatStatus(s: ServiceStatus): string {
  const lines: string[] = [];
  const st = s.store;
  if (s.service) lines.push(`service: pid ${s.service.pid}, roles ${s.service.roles.join(', ')}, since ${s.service.startedAt}`);
  lines.push(`store: ${st.kind}${st.schema !== 'public' ? ` (schema ${st.schema})` : ''}, ${bytes(st.bytes)}`);
  lines.push(`  posts ${st.posts.posts} (${st.posts.versions} versions, ${st.posts.deleted} deleted); records ${st.incidents.active} active, ${st.incidents.retracted} retracted`);
  lines.push(`  events ${st.events.total} (${st.events.unpublished} unpublished); failed posts ${st.failures} unresolved`);
  if (s.queuesError) lines.push(`queues: unavailable (${s.queuesError})`);
  for (const q of s.queues) {
    const counts = Object.entries(q.counts)
      .filter(([, n]) => n > 0)
      .map(([state, n]) => `${state} ${n}`)
      .join(', ');
    lines.push(`queue ${q.name}: ${counts || 'empty'}`);
    for (const f of q.failed.slice(0, 10)) lines.push(`  failed ${f.id} (${f.attempts} attempts): ${oneLine(f.reason)}`);
  }
  lines.push(s.channels.length ? 'channels:' : 'channels: none polled yet');
  for (const c of s.channels) {
    const health = c.lastError ? `, ${c.errorCount} errors in a row (${c.errorsTotal} in all), last: ${oneLine(c.lastError, 80)}` : '';
    const silent = c.silent && c.usualGapMs ? `  SILENT (usually posts within ${Math.round(c.usualGapMs / 60_000)} min)` : '';
    const unavailable = c.unavailable ? `  UNAVAILABLE (${c.unavailable}) until ${c.backoffUntil ?? '-'}` : '';
    lines.push(`  ${c.channel.padEnd(24)} cursor ${String(c.cursor).padStart(8)}  last post ${c.lastPostAt ?? '-'}  polled ${c.lastSuccessAt ?? '-'}${health}${silent}${unavailable}`);
  }
  if (s.failedPosts.length) lines.push('failed posts (latest, unresolved):');
  for (const f of s.failedPosts) lines.push(`  ${f.failedAt} job ${f.jobId ?? '-'} post ${f.postId ?? '-'}: ${oneLine(f.reason)}`);
  return `${lines.join('\n')}\n`;
}

/** `status`: queue counts, failed jobs, channel cursors, store size. */
export function register(cmd: Command): void {
  cmd
    .option('--json', 'the report as one JSON document')
    .addHelpText(
      'after',
      `
Queue counts per state and the latest failed jobs with their reasons (Redis), channel cursors and
health, failed posts and the store's size (PostgreSQL, or the embedded store / the running service).`,
    )
    .action(async (opts: { json?: boolean }) => {
      try {
        const { config } = commandContext();
        const status = await withData(
          config,
          (store) => directStatus(config, store),
          async (baseUrl, info) => ({ ...(await getJson<ServiceStatus>(baseUrl, '/status', info)), service: info }),
        );
        process.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
      } catch (err) {
        if (err instanceof CliError) process.exitCode = err.exitCode;
        throw err;
      }
    });
}
