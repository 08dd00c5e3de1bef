import { spawnSync } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { extractStream } from '../../src/cli/commands/extract.js';

function collect(stream: PassThrough): () => string {
  const chunks: string[] = [];
  stream.on('data', (c: Buffer | string) => chunks.push(String(c)));
  return () => chunks.join('');
}

const good = (messageId: number, text: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ channel: 'mod_russia', messageId, date: '2025-11-01T05:00:00Z', text, lang: 'ru', ...extra });

describe('extract command', () => {
  it('writes one line per post in input order, reports bad lines with their number and goes on', async () => {
    const input = Readable.from([
      `${good(1, 'Над Брянской областью уничтожены три беспилотника.')}\n`,
      '\n',
      'not json\n',
      `${JSON.stringify({ channel: 'x', text: 'no id or date' })}\n`,
      `${good(2, 'Поздравляю с праздником!')}\n`,
      `${good(3, 'Над Курской областью сбит БПЛА.', { id: 'custom-id' })}`,
    ]);
    const out = new PassThrough();
    const err = new PassThrough();
    const readOut = collect(out);
    const readErr = collect(err);
    const result = await extractStream(input, out, err);
    expect(result).toEqual({ posts: 3, invalid: 2 });
    const lines = readOut().trim().split('\n').map((l) => JSON.parse(l) as { id: string; incidents: Array<{ id: string; count: number; region: { code: string } }> });
    expect(lines.map((l) => l.id)).toEqual(['mod_russia/1', 'mod_russia/2', 'custom-id']);
    expect(lines[0]?.incidents.map((r) => [r.id, r.region.code, r.count])).toEqual([['mod_russia/1#0', 'RU-BRY', 3]]);
    expect(lines[1]?.incidents).toEqual([]);
    expect(lines[2]?.incidents[0]?.id).toBe('custom-id#0');
    const errors = readErr();
    expect(errors).toMatch(/line 3: not JSON/);
    expect(errors).toMatch(/line 4: not a valid post: .*messageId/);
  });

  it('exits with status 2 when a line is invalid, and has --help', () => {
    const run = (args: string[], input: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'extract', ...args], { input, encoding: 'utf8', cwd: process.cwd(), timeout: 60_000 });
    const bad = run([], `${good(1, 'Над Тульской областью сбиты 2 БПЛА.')}\n{"broken"\n`);
    expect(bad.status).toBe(2);
    expect(bad.stdout.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/line 2/);
    const ok = run([], `${good(1, 'Над Тульской областью сбиты 2 БПЛА.')}\n`);
    expect(ok.status).toBe(0);
    const help = run(['--help'], '');
    expect(help.stdout).toMatch(/--input/);
    expect(help.stdout).toMatch(/--no-channels/);
  }, 60_000);

  it("gives a post without channelRegion its channel's home region from the registry, unless told not to", () => {
    const run = (args: string[], input: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'extract', ...args], { input, encoding: 'utf8', cwd: process.cwd(), timeout: 60_000 });
    const post = `${JSON.stringify({ channel: 'vvgladkov', messageId: 7, date: '2025-11-01T05:00:00Z', text: 'Ночью над областью сбиты 2 БПЛА.' })}\n`;
    const regionOf = (stdout: string) => (JSON.parse(stdout) as { incidents: Array<{ region: { code: string } | null; provenance: { regionSource: string } }> }).incidents.map((r) => [r.region?.code ?? null, r.provenance.regionSource]);
    expect(regionOf(run([], post).stdout)).toEqual([['RU-BEL', 'channel']]);
    expect(regionOf(run(['--no-channels'], post).stdout)).toEqual([[null, 'none']]);
  }, 60_000);
});
