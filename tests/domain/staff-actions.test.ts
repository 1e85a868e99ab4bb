/**
 * The actions offered on a staff request page (server/domain/status-machine.ts staffActionAvailability):
 * a table of the cases the page shows, then a property: an action is offered exactly when the status
 * machine would accept its update, and when it is not, the reason is the machine's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STATUSES } from '../../server/domain/rights-request';
import { STAFF_ACTIONS, applyUpdate, staffActionAvailability, updateAvailability, type StaffAction } from '../../server/domain/status-machine';

const DUE = '2026-02-05';
const IN_TIME = '2026-01-20';
const LATE = '2026-02-06';
const ACTIONS = Object.keys(STAFF_ACTIONS) as StaffAction[];

describe('staffActionAvailability', () => {
  it('offers every action but closing on a delivered request', () => {
    const a = staffActionAvailability({ status: 'transmise', dueOn: DUE }, IN_TIME);
    expect(a).toEqual({
      accuser: { ok: true },
      precision: { ok: true },
      prolonger: { ok: true },
      repondre: { ok: true },
      cloturer: { ok: false, reason: 'status' },
    });
  });

  it('refuses a second extension (GDPR art. 12(3)), also after a question that followed the first', () => {
    expect(staffActionAvailability({ status: 'prolongee', dueOn: DUE }, IN_TIME).prolonger).toEqual({ ok: false, reason: 'already_extended' });
    expect(staffActionAvailability({ status: 'precision_demandee', dueOn: DUE, extended: true }, IN_TIME).prolonger).toEqual({
      ok: false,
      reason: 'already_extended',
    });
  });

  it('refuses an extension after the first month (GDPR art. 12(3))', () => {
    expect(staffActionAvailability({ status: 'accusee', dueOn: DUE }, LATE).prolonger).toEqual({ ok: false, reason: 'first_month_over' });
    expect(staffActionAvailability({ status: 'accusee', dueOn: DUE }, DUE).prolonger).toEqual({ ok: true });
  });

  it('offers only closing once answered or refused, and nothing before confirmation or after closing', () => {
    for (const status of ['repondue', 'refusee'] as const) {
      const a = staffActionAvailability({ status, dueOn: DUE }, IN_TIME);
      expect(ACTIONS.filter((k) => a[k].ok)).toEqual(['cloturer']);
    }
    for (const status of ['a_confirmer', 'cloturee', 'retiree'] as const) {
      const a = staffActionAvailability({ status, dueOn: DUE }, IN_TIME);
      expect(ACTIONS.filter((k) => a[k].ok)).toEqual([]);
    }
  });

  it('offers an action exactly when the status machine accepts its update, whatever the status, history and date', () => {
    const day = fc.integer({ min: 0, max: 120 }).map((n) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.constantFrom(...STATUSES), fc.option(day, { nil: null }), day, fc.boolean(), (status, dueOn, today, extended) => {
        const request = { status, dueOn, extended };
        const offered = staffActionAvailability(request, today);
        for (const action of ACTIONS) {
          const type = STAFF_ACTIONS[action];
          // A complete update of that type: only the request's state can make the machine refuse it.
          const update = type === 'answered' ? { type, outcome: 'granted' as const, message: 'm' } : { type, message: 'm' };
          const applied = applyUpdate({ ...request, receivedOn: null, extendedDueOn: null }, update, today);
          expect(offered[action].ok).toBe(applied.ok);
          expect(offered[action].ok).toBe(updateAvailability(request, type, today).ok);
        }
      }),
    );
  });
});
