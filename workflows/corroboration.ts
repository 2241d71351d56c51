import { ActivityFailure } from '@temporalio/workflow';
import type { DocumentRef, Fields, MrzSummary } from '../src/domain/documents.js';
import {
  DEFAULT_CORROBORATION_BUDGET,
  nextReadingStep,
  unverifiedMrzFields,
  type CorroborationBudget,
  type ReadingStep,
  type TakenStep,
} from '../src/domain/corroboration.js';
import type { CorroborationReport } from '../src/domain/report.js';
import { corroboration, corroborationByModel } from './activities.js';

/**
 * The engine's agentic core: while an MRZ value that matters is unverified (it agrees with its
 * check digit only after a look-alike swap, or its digit was inferred), the planner picks the next
 * reading tool and an activity reads the document again with it, within the budget. Each step is
 * an activity in the case's history; the report lists them. A step that could not be done (its
 * activity failed) counts as `failed`, and the plan moves on.
 */
export async function corroborateMrzValues(input: {
  doc: DocumentRef;
  textKey: string;
  asOf: string;
  mrz: MrzSummary;
  budget?: CorroborationBudget;
}): Promise<{ mrz: MrzSummary; fields: Fields; report: CorroborationReport }> {
  const budget = input.budget ?? DEFAULT_CORROBORATION_BUDGET;
  const taken: TakenStep[] = [];
  const steps: CorroborationReport['steps'] = [];
  let mrz = input.mrz;
  let fields: Fields = {};
  for (let step = plan(mrz, taken, budget); step; step = plan(mrz, taken, budget)) {
    const args = { doc: input.doc, textKey: input.textKey, asOf: input.asOf, step, stepNumber: taken.length + 1, mrz };
    let outcome: TakenStep['outcome'];
    try {
      const result = step.tool === 'model' ? await corroborationByModel.corroborateWithModel(args) : await corroboration.corroborateDocument(args);
      mrz = result.mrz;
      fields = { ...fields, ...result.fields };
      outcome = result.outcome;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      outcome = 'failed';
    }
    taken.push({ id: step.id, tool: step.tool, outcome });
    steps.push({ tool: step.tool, step: step.id, outcome });
  }
  return { mrz, fields, report: { steps, unverified: unverifiedMrzFields(mrz) } };
}

function plan(mrz: MrzSummary, taken: TakenStep[], budget: CorroborationBudget): ReadingStep | undefined {
  return nextReadingStep({ unverified: unverifiedMrzFields(mrz), stepsTaken: taken, budget });
}
