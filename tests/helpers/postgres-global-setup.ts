/**
 * vitest globalSetup: reserves the directory of this run's PostgreSQL cluster, which the first test file
 * that needs it starts (tests/helpers/postgres-run.ts), and stops it at the end of the run, or when the
 * run exits or is interrupted. Clusters a killed run left behind are removed first.
 */
import type { TestProject } from 'vitest/node';
import { clusterDirectory, endRun, reapStaleClusters, stopOnExit } from './postgres';

export default function setup(project: TestProject): () => void {
  reapStaleClusters();
  const dir = clusterDirectory();
  project.provide('postgresRun', dir);
  const end = () => endRun(dir);
  stopOnExit(end);
  return end;
}
