import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    // One PostgreSQL cluster for the run, started by the first file that needs it (tests/helpers/postgres-run.ts).
    globalSetup: ['tests/helpers/postgres-global-setup.ts'],
    // A ceiling, not a pace: waits poll with deadlines (tests/helpers/wait.ts, 30 s by default) that a
    // test outlives, so a slow wait on a busy machine fails with what it awaited, not a bare timeout.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Browser tests share two cores with the servers they drive: keep files to two at a time.
    maxWorkers: 2,
    // it.concurrent tests (one browser tab each) run this many at a time within a file.
    maxConcurrency: 4,
    reporters: ['default'],
  },
});
