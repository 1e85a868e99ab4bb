import { describe, expect, it } from 'vitest';
import { answersAfterStep, pageAfterStep, skippedAheadTo } from '../../server/domain/request-steps';
import { STEPS, type Answers } from '../../server/domain/rights-request';

const doneUpTo = (n: number): Answers => ({ done: STEPS.slice(0, n) as Answers['done'] });

describe('the request form’s step plan', () => {
  it('sends a person who skips ahead back to the first step not done, and lets them go back', () => {
    expect(skippedAheadTo({}, 'type')).toBeUndefined();
    expect(skippedAheadTo({}, 'identite')).toBe('type');
    expect(skippedAheadTo(doneUpTo(2), 'pour-qui')).toBeUndefined();
    expect(skippedAheadTo(doneUpTo(2), 'contact')).toBe('pour-qui');
    expect(skippedAheadTo(doneUpTo(2), 'type')).toBeUndefined();
    expect(skippedAheadTo(doneUpTo(STEPS.length), 'details')).toBeUndefined();
  });

  it('asks the identity again, without the NIR, when the new scope changes whether the NIR is asked', () => {
    const before: Answers = { ...doneUpTo(STEPS.length), scope: 'snds', nir: '295109912611193', insuranceScheme: 'cpam' };
    const asksNir = (a: Answers) => a.scope === 'snds';
    const after = answersAfterStep(before, 'portee', { scope: 'responsable', organisationId: 'org' }, asksNir);
    expect(after.done).not.toContain('identite');
    expect(after.nir).toBeUndefined();
    expect(after.insuranceScheme).toBeUndefined();
    const same = answersAfterStep(before, 'portee', { scope: 'snds' }, asksNir);
    expect(same.done).toContain('identite');
    expect(same.nir).toBe('295109912611193');
  });

  it('asks the details again when the kind of request changes, and marks the step done', () => {
    const before: Answers = { ...doneUpTo(STEPS.length), kind: 'acces' };
    expect(answersAfterStep(before, 'type', { kind: 'opposition' }, () => false).done).not.toContain('details');
    expect(answersAfterStep(before, 'type', { kind: 'acces' }, () => false).done).toContain('details');
    expect(answersAfterStep({}, 'type', { kind: 'acces' }, () => false).done).toEqual(['type']);
  });

  it('leads to the next step still to do, or back to the check page when the person came from it', () => {
    expect(pageAfterStep('type', doneUpTo(1), false)).toBe('portee');
    expect(pageAfterStep('contact', doneUpTo(STEPS.length), true)).toBe('verifier');
    expect(pageAfterStep('contact', doneUpTo(STEPS.length), false)).toBe('verifier');
    // The next step done already: the first one not done.
    const gap: Answers = { done: ['type', 'pour-qui'] };
    expect(pageAfterStep('type', gap, false)).toBe('portee');
    expect(pageAfterStep('pour-qui', { done: ['type', 'pour-qui', 'identite'] }, false)).toBe('portee');
  });
});
