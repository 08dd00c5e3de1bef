import { Option, type Command } from 'commander';
import { OUTCOMES, type IncidentRecord } from '../../domain/incident.js';
import { BadRequestError, incidentFilterFrom, incidentFilterToQuery } from '../../http/server.js';
import type { IncidentFilter, IncidentPage } from '../../store/index.js';
import { CliError, commandContext, getJson, withData } from '../access.js';
import { csvHeader, csvRow, geoJsonFeature, jsonLine, textLine } from '../formats.js';

interface Options {
  json?: boolean;
  csv?: boolean;
  geojson?: boolean;
  region?: string;
  channel?: string;
  outcome?: string;
  since?: string;
  until?: string;
  minCount?: string;
  limit?: string;
  status?: string;
}

type Format = 'text' | 'json' | 'csv' | 'geojson';

/** Writes records as they come, respecting back-pressure (exports can be large). */
class Output {
  private count = 0;
  constructor(private readonly format: Format) {}

  private async write(s: string): Promise<void> {
    if (!process.stdout.write(s)) await new Promise<void>((r) => process.stdout.once('drain', () => r()));
  }

  async begin(): Promise<void> {
    if (this.format === 'csv') await this.write(csvHeader());
    if (this.format === 'geojson') await this.write('{"type":"FeatureCollection","features":[\n');
  }

  async record(r: IncidentRecord): Promise<void> {
    switch (this.format) {
      case 'json':
        await this.write(jsonLine(r));
        break;
      case 'csv':
        await this.write(csvRow(r));
        break;
      case 'geojson':
        await this.write(`${this.count > 0 ? ',\n' : ''}${JSON.stringify(geoJsonFeature(r))}`);
        break;
      default:
        await this.write(textLine(r));
    }
    this.count++;
  }

  async end(): Promise<number> {
    if (this.format === 'geojson') await this.write('\n]}\n');
    return this.count;
  }
}

function formatOf(opts: Options): Format {
  const chosen = (['json', 'csv', 'geojson'] as const).filter((f) => opts[f]);
  if (chosen.length > 1) throw new CliError(`choose one of --json, --csv, --geojson (got ${chosen.map((f) => `--${f}`).join(', ')})`, 2);
  return chosen[0] ?? 'text';
}

function filterOf(opts: Options): { filter: IncidentFilter; max: number } {
  try {
    const filter = incidentFilterFrom({
      region: opts.region,
      channel: opts.channel,
      outcome: opts.outcome,
      since: opts.since,
      until: opts.until,
      minCount: opts.minCount,
      status: opts.status,
    });
    let max = Infinity;
    if (opts.limit !== undefined) {
      max = Number(opts.limit);
      if (!Number.isInteger(max) || max < 1) throw new BadRequestError(['--limit: expected a positive integer']);
    }
    return { filter, max };
  } catch (err) {
    if (err instanceof BadRequestError) throw new CliError(err.problems.map((p) => p.replace(/^(\w+):/, (_, k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:`)).join('\n'), 2);
    throw err;
  }
}

/** Pages through GET /incidents of the running service. */
async function* remoteIncidents(baseUrl: string, info: Parameters<typeof getJson>[2], filter: IncidentFilter, max: number): AsyncGenerator<IncidentRecord> {
  let after: string | undefined;
  let yielded = 0;
  for (;;) {
    const q = incidentFilterToQuery({ ...filter, after, limit: Math.min(1_000, max - yielded) });
    const page = await getJson<IncidentPage>(baseUrl, `/incidents?${q.toString()}`, info);
    for (const item of page.items) {
      yield item;
      yielded++;
    }
    if (!page.next || yielded >= max) return;
    after = page.next;
  }
}

async function drain(records: AsyncIterable<IncidentRecord>, out: Output): Promise<number> {
  await out.begin();
  for await (const r of records) await out.record(r);
  return out.end();
}

/** `incidents`: stored records, newest post first. */
export function register(cmd: Command): void {
  cmd
    .option('--json', 'JSON Lines: one record per line (CONTRACT.md record)')
    .option('--csv', 'CSV with a header row')
    .option('--geojson', 'a GeoJSON FeatureCollection (a point at the first located place)')
    .option('--region <code>', 'ISO 3166-2 region, e.g. RU-BRY, UA-63')
    .option('--channel <username>', 'only records from this channel')
    .addOption(new Option('--outcome <outcome>', 'only this outcome').choices([...OUTCOMES]))
    .option('--since <date>', 'post date from (ISO 8601, inclusive)')
    .option('--until <date>', 'post date until (ISO 8601, exclusive)')
    .option('--min-count <n>', 'only records counting at least n drones')
    .option('--limit <n>', 'at most n records (default: all)')
    .addOption(new Option('--status <status>', 'active records, retracted ones, or all').choices(['active', 'retracted', 'all']).default('active'))
    .addHelpText(
      'after',
      `
Reads PostgreSQL when DATABASE_URL is set; otherwise the embedded store in DATA_DIR, or, while the
service runs on it, the service's GET /incidents.

Examples:
  npm run --silent cli -- incidents --json
  npm run --silent cli -- incidents --region RU-BRY --outcome destroyed --since 2025-09-01
  npm run --silent cli -- incidents --csv > incidents.csv`,
    )
    .action(async (opts: Options) => {
      try {
        const format = formatOf(opts);
        const { filter, max } = filterOf(opts);
        const { config } = commandContext();
        const out = new Output(format);
        const n = await withData(
          config,
          (store) => drain(store.allIncidents(filter, max), out),
          (baseUrl, info) => drain(remoteIncidents(baseUrl, info, filter, max), out),
        );
        if (n === 0 && format === 'text') process.stderr.write('no incident records match\n');
      } catch (err) {
        if (err instanceof CliError) process.exitCode = err.exitCode;
        throw err;
      }
    });
}
