import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, SERVICE_NODE_FLAGS } from '../../src/heap.js';
import { splitStatements } from '../../src/store/migrate.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('service processes start with the heap policy (src/heap.ts)', () => {
  it('Dockerfile, docker-compose.yml and the npm scripts pass SERVICE_NODE_FLAGS to node', () => {
    const flag = SERVICE_NODE_FLAGS[0]!;
    expect(flag).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    const cmd = read('Dockerfile').split('\n').find((l) => l.startsWith('CMD '));
    expect(cmd).toContain(`"node", "${flag}"`);
    for (const line of read('docker-compose.yml').split('\n').filter((l) => l.includes('"node"'))) expect(line).toContain(`"node", "${flag}"`);
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    expect(scripts.start).toMatch(new RegExp(`^node ${flag} `));
    expect(scripts.cli).toMatch(new RegExp(`^node ${flag} `));
  });

  it('node accepts the flags', () => {
    const out = execFileSync(process.execPath, [...SERVICE_NODE_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
    expect(out).toBe('ok');
  });
});

describe('migration statements', () => {
  it.each([
    ['statements end at a semicolon that ends a line', 'create table a (x int);\ncreate index b on a (x);\n', ['create table a (x int)', 'create index b on a (x)']],
    ['a dollar-quoted body stays whole', 'create function f() returns int language plpgsql as $fn$\nbegin\n  perform 1;\n  return 2;\nend\n$fn$;\nselect 1;', ['create function f() returns int language plpgsql as $fn$\nbegin\n  perform 1;\n  return 2;\nend\n$fn$', 'select 1']],
    ['another tag inside a body does not end it', 'do $a$ begin perform $b$x;\n$b$; end $a$;\nselect 2;\n', ['do $a$ begin perform $b$x;\n$b$; end $a$', 'select 2']],
    ['a semicolon inside a line does not split', "select ';' as s; select 2;\n", ["select ';' as s; select 2"]],
  ])('%s', (_name, sql, expected) => {
    expect(splitStatements(sql)).toEqual(expected);
  });
});
