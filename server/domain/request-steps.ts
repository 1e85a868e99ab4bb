/**
 * The request form's step plan: the order of the steps (server/domain/rights-request.ts STEPS), the guard
 * that sends a person who skips ahead back to the first step not done, what a changed answer makes them
 * answer again, and where a saved step leads. Pure: whether the route asks for the NIR is passed in.
 */
import { STEPS, nextStep, type Answers, type StepId } from './rights-request';

/**
 * The steps build on each other: a page (or a post) of a step after the first one not done sends the
 * person back there. Undefined when the step may be shown.
 */
export function skippedAheadTo(answers: Answers, step: StepId): StepId | undefined {
  const first = nextStep(answers);
  return first !== 'verifier' && STEPS.indexOf(step) > STEPS.indexOf(first) ? first : undefined;
}

/**
 * The answers once a step is saved: the step marked done, and what the change invalidates. A scope with
 * another route changes what the identity step asks (the NIR only through the CNAM, routing.ts): it is
 * asked again, without the NIR and scheme given for the other route. Another kind of request asks other
 * details.
 */
export function answersAfterStep(before: Answers, step: StepId, values: Partial<Answers>, asksNir: (a: Answers) => boolean): Answers {
  const done = [...new Set([...(before.done ?? []), step])];
  let answers: Answers = { ...before, ...values, done };
  if (step === 'portee' && before.scope && asksNir(before) !== asksNir(answers))
    answers = { ...answers, done: done.filter((s) => s !== 'identite'), nir: undefined, insuranceScheme: undefined };
  if (step === 'type' && before.kind && before.kind !== answers.kind) answers = { ...answers, done: done.filter((s) => s !== 'details') };
  return answers;
}

/**
 * Where a saved step leads: back to the check page when the person came from it and nothing is missing;
 * otherwise the next step when it is still to do, or the first step not done.
 */
export function pageAfterStep(step: StepId, answers: Answers, returnToCheck: boolean): StepId | 'verifier' {
  const next = nextStep(answers);
  if (returnToCheck && next === 'verifier') return 'verifier';
  const after = STEPS[STEPS.indexOf(step) + 1];
  return after && !answers.done?.includes(after) ? after : next;
}
