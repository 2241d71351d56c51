import { describe, expect, test } from 'vitest';
import {
  DEFAULT_CORROBORATION_BUDGET,
  READING_PLAN,
  nextReadingStep,
  stepOutcome,
  unverifiedMrzFields,
  type CorroborationBudget,
  type ReadingStep,
  type StepOutcome,
  type TakenStep,
} from '../../src/domain/corroboration.js';

const budget: CorroborationBudget = { maxSteps: 4 };
const taken = (step: ReadingStep, outcome: StepOutcome): TakenStep => ({ id: step.id, tool: step.tool, outcome });

/** Runs the planner to the end with every step getting `outcome`, as the workflow's loop does. */
function runPlan(unverified: string[], outcomeOf: (step: ReadingStep) => StepOutcome, b: CorroborationBudget = budget): TakenStep[] {
  const steps: TakenStep[] = [];
  let open = unverified;
  for (let step = nextReadingStep({ unverified: open, stepsTaken: steps, budget: b }); step; step = nextReadingStep({ unverified: open, stepsTaken: steps, budget: b })) {
    const outcome = outcomeOf(step);
    steps.push(taken(step, outcome));
    if (outcome === 'corroborated') open = [];
  }
  return steps;
}

describe('nextReadingStep', () => {
  test('when nothing is unverified, then no step is taken', () => {
    expect(nextReadingStep({ unverified: [], stepsTaken: [], budget })).toBeUndefined();
  });

  test('when the document number is unverified, then the band is re-read first, with the cheapest setting', () => {
    const step = nextReadingStep({ unverified: ['documentNumber'], stepsTaken: [], budget });
    expect(step).toEqual(READING_PLAN[0]);
    expect(step?.tool).toBe('band-reread');
  });

  test('when every step changes nothing, then the steps go in order of cost and stop at the budget', () => {
    const steps = runPlan(['documentNumber'], () => 'no-change');
    expect(steps.map((s) => s.id)).toEqual(READING_PLAN.slice(0, 4).map((s) => s.id));
    expect(steps.map((s) => s.tool)).toEqual(['band-reread', 'band-reread', 'band-reread', 'band-transform']);
  });

  test('when the budget is large, then the whole plan is tried once, ending with the model, and never a step twice', () => {
    const steps = runPlan(['documentNumber'], () => 'no-change', { maxSteps: 100 });
    expect(steps.map((s) => s.id)).toEqual(READING_PLAN.map((s) => s.id));
    expect(steps.at(-1)?.tool).toBe('model');
    expect(new Set(steps.map((s) => s.id)).size).toBe(steps.length);
  });

  test('when a step corroborates, then the loop ends there', () => {
    const steps = runPlan(['documentNumber'], (s) => (s.id === 'band-psm6-otsu' ? 'corroborated' : 'no-change'));
    expect(steps.map((s) => s.outcome)).toEqual(['no-change', 'corroborated']);
  });

  test('when a band re-read fails (no band to read), then the other band settings of that tool are skipped', () => {
    const steps = runPlan(['documentNumber'], (s) => (s.tool === 'band-reread' ? 'failed' : 'no-change'), { maxSteps: 100 });
    expect(steps.filter((s) => s.tool === 'band-reread')).toHaveLength(1);
    expect(steps.map((s) => s.tool)).toContain('band-transform');
  });

  test('when a band re-read disagrees, then the plan moves on to the visual zone', () => {
    const steps = runPlan(['documentNumber'], (s) => (s.tool === 'band-reread' ? 'disagreed' : 'no-change'), { maxSteps: 100 });
    expect(steps.map((s) => s.tool)).toEqual(['band-reread', 'visual-zone', 'model']);
  });

  test('when only a name is unverified, then the visual zone and the model (numbers and dates only) are not asked', () => {
    const steps = runPlan(['surname'], () => 'no-change', { maxSteps: 100 });
    expect(steps.map((s) => s.tool)).not.toContain('visual-zone');
    expect(steps.map((s) => s.tool)).not.toContain('model');
  });

  test('when the deployment offers no model, then the model step is never chosen', () => {
    const steps = runPlan(['expiryDate'], () => 'no-change', { maxSteps: 100, tools: ['band-reread', 'band-transform', 'visual-zone'] });
    expect(steps.map((s) => s.tool)).not.toContain('model');
    expect(steps.at(-1)?.tool).toBe('visual-zone');
  });

  test('when the budget is zero, then no step is taken', () => {
    expect(nextReadingStep({ unverified: ['documentNumber'], stepsTaken: [], budget: { maxSteps: 0 } })).toBeUndefined();
  });

  test('the default budget is four steps', () => {
    expect(DEFAULT_CORROBORATION_BUDGET.maxSteps).toBe(4);
  });

  test('every step id is usable in a store key', () => {
    for (const step of READING_PLAN) expect(step.id).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('unverifiedMrzFields', () => {
  test('lists the unverified fields only, sorted', () => {
    expect(unverifiedMrzFields({ fieldStatus: { surname: 'read', expiryDate: 'unverified', documentNumber: 'unverified', dateOfBirth: 'repaired' } })).toEqual([
      'documentNumber',
      'expiryDate',
    ]);
    expect(unverifiedMrzFields(undefined)).toEqual([]);
    expect(unverifiedMrzFields({})).toEqual([]);
  });
});

describe('stepOutcome', () => {
  const before = { fieldStatus: { documentNumber: 'unverified' as const, dateOfBirth: 'read' as const } };
  test('an unverified field that became corroborated → corroborated', () => {
    expect(stepOutcome({ before, after: { fieldStatus: { documentNumber: 'corroborated', dateOfBirth: 'read' } } })).toBe('corroborated');
  });
  test('an unverified field that became failed, or a different independent value → disagreed', () => {
    expect(stepOutcome({ before, after: { fieldStatus: { documentNumber: 'failed' } } })).toBe('disagreed');
    expect(stepOutcome({ before, after: before, disagreeing: ['documentNumber'] })).toBe('disagreed');
  });
  test('a disagreement on a field that was not unverified is not this step’s business', () => {
    expect(stepOutcome({ before, after: before, disagreeing: ['dateOfBirth'] })).toBe('no-change');
  });
  test('no reading → failed; same statuses → no-change', () => {
    expect(stepOutcome({ before, after: undefined })).toBe('failed');
    expect(stepOutcome({ before, after: before })).toBe('no-change');
  });
});
