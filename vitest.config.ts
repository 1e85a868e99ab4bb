import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser tests share two cores with the servers they drive: keep files to two at a time.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
