/**
 * The status machine of rights requests (server/domain/status-machine.ts): a table of cases, one or more
 * per rule and per error, then properties over every status, update type and date.
 */

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { REFUSAL_CODES, UPDATE_TYPES, type UpdateType } from '../../server/domain/status-updates';
import { FINAL_STATUSES, STATUSES, type Status } from '../../server/domain/rights-request';
import { ALLOWED_FROM, MAX_MESSAGE_CHARS, applyUpdate, type RequestState, type Update, type UpdateResult } from '../../server/domain/status-machine';

// Received Mon 5 Jan 2026: first month ends Thu 5 Feb 2026, three months Tue 7 Apr 2026 (Mon 6 Apr is
// Easter Monday), as in the route tests.
const DATES = { receivedOn: '2026-01-05', dueOn: '2026-02-05', extendedDueOn: '2026-04-07' };
const IN_TIME = '2026-01-20';

function req(status: Status, more: Partial<RequestState> = {}): RequestState {
  return { status, ...DATES, ...more };
}

type Case = { name: string; request: RequestState; update: Update; today?: string; expected: UpdateResult };

const ok = (status: Status, event: string, detail: string | null, message: string | null) => ({ ok: true, status, event, detail, message }) as UpdateResult;
const no = (error: string) => ({ ok: false, error }) as UpdateResult;

const CASES: Case[] = [
  // Before confirmation, nothing: only confirmed requests are forwarded.
  {
    name: 'a_confirmer: acknowledged',
    request: req('a_confirmer', { receivedOn: null, dueOn: null, extendedDueOn: null }),
    update: { type: 'acknowledged' },
    expected: no('not_confirmed'),
  },
  { name: 'a_confirmer: answered', request: req('a_confirmer'), update: { type: 'answered', outcome: 'granted' }, expected: no('not_confirmed') },
  // Final statuses.
  { name: 'repondue: acknowledged', request: req('repondue'), update: { type: 'acknowledged' }, expected: no('final_status') },
  { name: 'refusee: answered', request: req('refusee'), update: { type: 'answered', outcome: 'granted' }, expected: no('final_status') },
  { name: 'cloturee: clarification', request: req('cloturee'), update: { type: 'clarification_requested', message: 'Q?' }, expected: no('final_status') },
  { name: 'retiree: extended', request: req('retiree'), update: { type: 'extended', message: 'Volume' }, expected: no('final_status') },
  // acknowledged
  { name: 'recue: acknowledged', request: req('recue'), update: { type: 'acknowledged' }, expected: ok('accusee', 'acknowledged', null, null) },
  {
    name: 'transmise: acknowledged, message kept trimmed',
    request: req('transmise'),
    update: { type: 'acknowledged', message: '  Bien reçu.  ' },
    expected: ok('accusee', 'acknowledged', null, 'Bien reçu.'),
  },
  {
    name: 'transmise: acknowledged, blank message is null',
    request: req('transmise'),
    update: { type: 'acknowledged', message: ' \n ' },
    expected: ok('accusee', 'acknowledged', null, null),
  },
  { name: 'accusee: acknowledged twice', request: req('accusee'), update: { type: 'acknowledged' }, expected: no('transition_not_allowed') },
  { name: 'precision_demandee: acknowledged', request: req('precision_demandee'), update: { type: 'acknowledged' }, expected: no('transition_not_allowed') },
  { name: 'prolongee: acknowledged', request: req('prolongee'), update: { type: 'acknowledged' }, expected: no('transition_not_allowed') },
  // clarification_requested
  {
    name: 'transmise: clarification',
    request: req('transmise'),
    update: { type: 'clarification_requested', message: ' Which years? ' },
    expected: ok('precision_demandee', 'clarification_asked', null, 'Which years?'),
  },
  {
    name: 'prolongee: clarification',
    request: req('prolongee'),
    update: { type: 'clarification_requested', message: 'Which years?' },
    expected: ok('precision_demandee', 'clarification_asked', null, 'Which years?'),
  },
  {
    name: 'precision_demandee: a second question',
    request: req('precision_demandee'),
    update: { type: 'clarification_requested', message: 'And?' },
    expected: ok('precision_demandee', 'clarification_asked', null, 'And?'),
  },
  { name: 'clarification without message', request: req('accusee'), update: { type: 'clarification_requested' }, expected: no('message_required') },
  {
    name: 'clarification with a blank message',
    request: req('accusee'),
    update: { type: 'clarification_requested', message: '   ' },
    expected: no('message_required'),
  },
  // extended: GDPR art. 12(3)
  {
    name: 'accusee: extended within the first month',
    request: req('accusee'),
    update: { type: 'extended', message: ' Many requests. ' },
    today: IN_TIME,
    expected: ok('prolongee', 'extended', null, 'Many requests.'),
  },
  {
    name: 'recue: extended on the last day of the first month',
    request: req('recue'),
    update: { type: 'extended', message: 'Complex' },
    today: '2026-02-05',
    expected: ok('prolongee', 'extended', null, 'Complex'),
  },
  {
    name: 'precision_demandee: extended',
    request: req('precision_demandee'),
    update: { type: 'extended', message: 'Complex' },
    today: IN_TIME,
    expected: ok('prolongee', 'extended', null, 'Complex'),
  },
  {
    name: 'extended the day after the first month',
    request: req('transmise'),
    update: { type: 'extended', message: 'Complex' },
    today: '2026-02-06',
    expected: no('extension_after_first_month'),
  },
  {
    name: 'extended with no due date yet',
    request: req('transmise', { receivedOn: null, dueOn: null, extendedDueOn: null }),
    update: { type: 'extended', message: 'Complex' },
    today: '2030-01-01',
    expected: ok('prolongee', 'extended', null, 'Complex'),
  },
  {
    name: 'prolongee: extended again',
    request: req('prolongee'),
    update: { type: 'extended', message: 'More' },
    today: IN_TIME,
    expected: no('already_extended'),
  },
  {
    name: 'extended after an earlier extension and a question',
    request: req('precision_demandee', { extended: true }),
    update: { type: 'extended', message: 'More' },
    today: IN_TIME,
    expected: no('already_extended'),
  },
  { name: 'extended without reasons', request: req('transmise'), update: { type: 'extended' }, today: IN_TIME, expected: no('message_required') },
  {
    name: 'extended with blank reasons',
    request: req('transmise'),
    update: { type: 'extended', message: '\t' },
    today: IN_TIME,
    expected: no('message_required'),
  },
  // answered
  {
    name: 'accusee: answered, granted',
    request: req('accusee'),
    update: { type: 'answered', outcome: 'granted' },
    expected: ok('repondue', 'answered', 'granted', null),
  },
  {
    name: 'prolongee: answered, partial, with a message',
    request: req('prolongee'),
    update: { type: 'answered', outcome: 'partial', message: ' Part of it. ' },
    expected: ok('repondue', 'answered', 'partial', 'Part of it.'),
  },
  {
    name: 'recue: answered late is still an answer',
    request: req('recue'),
    update: { type: 'answered', outcome: 'granted' },
    today: '2027-01-01',
    expected: ok('repondue', 'answered', 'granted', null),
  },
  { name: 'answered without outcome', request: req('transmise'), update: { type: 'answered', message: 'Done' }, expected: no('outcome_required') },
  {
    name: 'answered with an unknown outcome',
    request: req('transmise'),
    update: { type: 'answered', outcome: 'maybe' as 'granted' },
    expected: no('outcome_required'),
  },
  // refused: GDPR art. 12(4)
  {
    name: 'precision_demandee: refused',
    request: req('precision_demandee'),
    update: { type: 'refused', reason_code: 'identity_not_verified', message: ' No answer to our question. ' },
    expected: ok('refusee', 'refused', 'identity_not_verified', 'No answer to our question.'),
  },
  { name: 'refused without reason code', request: req('transmise'), update: { type: 'refused', message: 'No' }, expected: no('reason_code_required') },
  {
    name: 'refused with an empty reason code',
    request: req('transmise'),
    update: { type: 'refused', reason_code: '', message: 'No' },
    expected: no('reason_code_required'),
  },
  {
    name: 'refused with an unknown reason code',
    request: req('transmise'),
    update: { type: 'refused', reason_code: 'because', message: 'No' },
    expected: no('unknown_reason_code'),
  },
  { name: 'refused without message', request: req('transmise'), update: { type: 'refused', reason_code: 'no_data_held' }, expected: no('message_required') },
  // Messages are capped.
  {
    name: 'a message of exactly the cap',
    request: req('accusee'),
    update: { type: 'answered', outcome: 'granted', message: 'é'.repeat(MAX_MESSAGE_CHARS) },
    expected: ok('repondue', 'answered', 'granted', 'é'.repeat(MAX_MESSAGE_CHARS)),
  },
  {
    name: 'a message over the cap',
    request: req('accusee'),
    update: { type: 'answered', outcome: 'granted', message: 'x'.repeat(MAX_MESSAGE_CHARS + 1) },
    expected: no('message_too_long'),
  },
  {
    name: 'the cap counts characters, not UTF-16 units',
    request: req('accusee'),
    update: { type: 'clarification_requested', message: '😀'.repeat(MAX_MESSAGE_CHARS) },
    expected: ok('precision_demandee', 'clarification_asked', null, '😀'.repeat(MAX_MESSAGE_CHARS)),
  },
  {
    name: 'the cap applies after trimming',
    request: req('accusee'),
    update: { type: 'clarification_requested', message: `  ${'x'.repeat(MAX_MESSAGE_CHARS)}  ` },
    expected: ok('precision_demandee', 'clarification_asked', null, 'x'.repeat(MAX_MESSAGE_CHARS)),
  },
  // closed: the one move out of a final status, from an answer or a refusal.
  { name: 'repondue: closed', request: req('repondue'), update: { type: 'closed' }, expected: ok('cloturee', 'closed', null, null) },
  {
    name: 'refusee: closed, with a note',
    request: req('refusee'),
    update: { type: 'closed', message: ' Filed. ' },
    expected: ok('cloturee', 'closed', null, 'Filed.'),
  },
  { name: 'transmise: closed before any answer', request: req('transmise'), update: { type: 'closed' }, expected: no('transition_not_allowed') },
  { name: 'cloturee: closed twice', request: req('cloturee'), update: { type: 'closed' }, expected: no('final_status') },
  { name: 'retiree: closed', request: req('retiree'), update: { type: 'closed' }, expected: no('final_status') },
  { name: 'a_confirmer: closed', request: req('a_confirmer'), update: { type: 'closed' }, expected: no('not_confirmed') },
  // Untrusted input at run time.
  { name: 'an unknown update type', request: req('transmise'), update: { type: 'reopened' as UpdateType }, expected: no('transition_not_allowed') },
];

describe('applyUpdate', () => {
  it.each(CASES)('$name', ({ request, update, today, expected }) => {
    expect(applyUpdate(request, update, today ?? IN_TIME)).toEqual(expected);
  });

  it('covers every error of the machine in the table', () => {
    const errors = new Set(CASES.flatMap((c) => (c.expected.ok ? [] : [c.expected.error])));
    expect([...errors].sort()).toEqual(
      [
        'already_extended',
        'extension_after_first_month',
        'final_status',
        'message_required',
        'message_too_long',
        'not_confirmed',
        'outcome_required',
        'reason_code_required',
        'transition_not_allowed',
        'unknown_reason_code',
      ].sort(),
    );
  });

  it('accepts every refusal code', () => {
    for (const code of REFUSAL_CODES) {
      expect(applyUpdate(req('accusee'), { type: 'refused', reason_code: code, message: 'Why' }, IN_TIME)).toEqual(ok('refusee', 'refused', code, 'Why'));
    }
  });

  it('does not change the request it is given', () => {
    const request = req('transmise');
    const copy = structuredClone(request);
    applyUpdate(request, { type: 'extended', message: 'x' }, IN_TIME);
    expect(request).toEqual(copy);
  });
});

describe('ALLOWED_FROM', () => {
  it('lists an entry for each update type, never a final status (but closing an answer) nor a_confirmer', () => {
    expect(Object.keys(ALLOWED_FROM).sort()).toEqual([...UPDATE_TYPES].sort());
    for (const [type, from] of Object.entries(ALLOWED_FROM)) {
      for (const s of from) {
        expect(STATUSES).toContain(s);
        if (type === 'closed') expect(['repondue', 'refusee']).toContain(s);
        else expect(FINAL_STATUSES).not.toContain(s);
        expect(s).not.toBe('a_confirmer');
      }
    }
  });

  it('agrees with applyUpdate: a well-formed update in time is accepted exactly from the listed statuses', () => {
    const wellFormed: Record<UpdateType, Update> = {
      acknowledged: { type: 'acknowledged' },
      clarification_requested: { type: 'clarification_requested', message: 'Q' },
      extended: { type: 'extended', message: 'R' },
      answered: { type: 'answered', outcome: 'granted' },
      refused: { type: 'refused', reason_code: 'other', message: 'R' },
      closed: { type: 'closed' },
    };
    for (const type of UPDATE_TYPES) {
      for (const status of STATUSES) {
        const result = applyUpdate(req(status), wellFormed[type], IN_TIME);
        expect(result.ok, `${type} from ${status}`).toBe(ALLOWED_FROM[type].includes(status));
      }
    }
  });
});

describe('applyUpdate properties', () => {
  const isoDate = fc
    .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  const request = fc.record({
    status: fc.constantFrom(...STATUSES),
    receivedOn: fc.option(isoDate),
    dueOn: fc.option(isoDate),
    extendedDueOn: fc.option(isoDate),
    extended: fc.option(fc.boolean(), { nil: undefined }),
  });
  const update = fc.record(
    {
      type: fc.constantFrom(...UPDATE_TYPES),
      message: fc.oneof(fc.string(), fc.constant('   '), fc.string({ minLength: MAX_MESSAGE_CHARS - 2, maxLength: MAX_MESSAGE_CHARS + 2 })),
      reason_code: fc.oneof(fc.constantFrom(...REFUSAL_CODES), fc.string()),
      outcome: fc.constantFrom('granted' as const, 'partial' as const),
    },
    { requiredKeys: ['type'] },
  );

  it('never throws; when ok, the new status is a known status, not final before, and the message is trimmed and capped', () => {
    fc.assert(
      fc.property(request, update, isoDate, (r, u, today) => {
        const result = applyUpdate(r, u, today);
        if (!result.ok) return;
        expect(STATUSES).toContain(result.status);
        if (u.type !== 'closed') expect(FINAL_STATUSES).not.toContain(r.status);
        expect(r.status).not.toBe('a_confirmer');
        expect(ALLOWED_FROM[u.type]).toContain(r.status);
        if (result.message !== null) {
          expect(result.message).toBe(result.message.trim());
          expect(result.message).not.toBe('');
          expect([...result.message].length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
        }
      }),
    );
  });

  it('never accepts an extension after the first month, nor a second one', () => {
    fc.assert(
      fc.property(request, fc.string(), isoDate, (r, message, today) => {
        const result = applyUpdate(r, { type: 'extended', message }, today);
        if (r.dueOn !== null && today > r.dueOn) expect(result.ok).toBe(false);
        if (r.status === 'prolongee' || r.extended === true) expect(result.ok).toBe(false);
      }),
    );
  });

  it('never throws on malformed input from outside', () => {
    fc.assert(
      fc.property(request, fc.object(), fc.string(), (r, u, today) => {
        expect(() => applyUpdate(r, u as unknown as Update, today)).not.toThrow();
      }),
    );
  });
});
