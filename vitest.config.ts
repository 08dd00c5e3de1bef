import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Integration suites share one Redis and one PostgreSQL; each uses its own prefix/schema,
    // but running files one at a time keeps CPU-bound timing out of the picture on 2 cores.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
