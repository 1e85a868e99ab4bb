/**
 * Schedules the reminder mails to staff (server/services/reminders.ts): now, then every quarter of an hour.
 */
import { startPeriodic } from './periodic';
import { runReminders, type ReminderDeps } from '../services/reminders';

/** Runs the reminders now and then every `everyMs`; returns a function that stops them. */
export function startReminders(deps: ReminderDeps, everyMs = 15 * 60_000): () => void {
  return startPeriodic('reminders', deps.logger, everyMs, () => runReminders(deps, deps.now()));
}
