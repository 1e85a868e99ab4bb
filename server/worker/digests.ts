/**
 * Queues the digests of follows that are due (services/follow-digests.ts runDueDigests): now, then every
 * ten minutes; each follow's day comes on its own rhythm (daily or weekly from its confirmation), and the
 * mail worker is woken when a run queued any.
 */
import type { Logger } from '../logger';
import { runDueDigests, type DigestDeps } from '../services/follow-digests';
import { startPeriodic } from './periodic';

export function startDigests(deps: DigestDeps & { logger: Logger; kickMail: () => void }, everyMs = 10 * 60_000): () => void {
  return startPeriodic('follow digests', deps.logger, everyMs, async () => {
    const report = await runDueDigests(deps);
    if (report.digestsQueued > 0) deps.kickMail();
    return report;
  });
}
