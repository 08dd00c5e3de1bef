// One linter for the whole tree. The rule that matters most: src/extract and src/domain are pure
// (text in, records out), so they may not import anything that does I/O or keeps a clock.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = [
  'node:*', 'fs', 'fs/*', 'path', 'http', 'https', 'net', 'child_process', 'os', 'worker_threads',
  'ioredis', 'bullmq', 'pg', '@electric-sql/pglite', 'pino', 'telegram', 'telegram/*', 'express',
  'prom-client', '**/logger.js', '**/config.js', '**/store/**', '**/queue/**', '**/sources/**',
  '**/alerts/**', '**/http/**',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'src/extract/gazetteer/data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-control-regex': 'off',
      'no-misleading-character-class': 'off',
    },
  },
  {
    files: ['src/extract/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ioModules, message: 'src/extract and src/domain are pure: no I/O, no logger, no config.' }] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'pure code does not read the process' }, { name: 'fetch', message: 'pure code does no I/O' }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'pure code keeps no clock' }],
    },
  },
);
