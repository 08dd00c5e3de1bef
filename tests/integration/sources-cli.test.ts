/** The sources commands' guards and help, as an operator meets them (each a real CLI process). */
import { spawn } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TELEGRAM_') && k !== 'CHANNELS'));
    const child = spawn('npm', ['run', '--silent', 'cli', '--', ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('login', () => {
  it('explains itself', async () => {
    const r = await cli(['login', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('TELEGRAM_API_ID and TELEGRAM_API_HASH');
    expect(r.stdout).toContain('mode 0600');
  }, 60_000);

  it('needs the api id and hash', async () => {
    const r = await cli(['login']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/set TELEGRAM_API_ID and TELEGRAM_API_HASH/);
  }, 60_000);

  it('does not overwrite an existing session without --force, and leaves it untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dw-login-'));
    const path = join(dir, 'telegram.session');
    writeFileSync(path, 'EXISTING-SESSION\n', { mode: 0o600 });
    const r = await cli(['login'], { TELEGRAM_API_ID: '12345', TELEGRAM_API_HASH: '0123456789abcdef0123456789abcdef', TELEGRAM_SESSION_FILE: path });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`a session already exists at ${path}; use --force`);
    expect(r.stderr).not.toContain('EXISTING-SESSION');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  }, 60_000);
});

describe('backfill', () => {
  it('explains itself and refuses incomplete or contradictory arguments', async () => {
    const help = await cli(['backfill', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--since <date>/);
    expect(help.stdout).toMatch(/resumes/);
    const none = await cli(['backfill', '--channel', 'vvgladkov']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give --since <date> or --from-id <id>');
    const both = await cli(['backfill', '--channel', 'vvgladkov', '--since', '2026-01-01', '--from-id', '5']);
    expect(both.code).toBe(2);
    const badDate = await cli(['backfill', '--channel', 'vvgladkov', '--since', 'yesterday']);
    expect(badDate.code).not.toBe(0);
    expect(badDate.stderr).toContain('expected an ISO 8601 date');
    const badName = await cli(['backfill', '--channel', 'not a name', '--from-id', '5']);
    expect(badName.code).toBe(2);
    const file = await cli(['backfill', '--channel', 'vvgladkov', '--from-id', '5'], { TELEGRAM_SOURCE: 'file' });
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('set TELEGRAM_SOURCE=web or mtproto');
  }, 120_000);
});
