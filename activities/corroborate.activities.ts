import { Context } from '@temporalio/activity';
import { corroborateDocumentMrz, type CorroborationDeps, type CorroborationStepInput, type StepResult } from '../src/domain/corroborate-document.js';
import { KycError } from '../src/domain/errors.js';
import { toFailure } from './to-failure.js';

/** One step's input: the document and its stored text by reference, and the summary without MRZ text. */
export type CorroborateInput = CorroborationStepInput;

/** The step's outcome, the summary with its statuses (no MRZ text), and MRZ values it put right, if any. */
export type CorroborateResult = StepResult;

/** The OCR worker's reading ports and store; the model worker's model for the `model` tool (absent → that step fails). */
export type CorroborateDeps = CorroborationDeps;

/**
 * One step of MRZ corroboration (see src/domain/corroboration.ts): the OCR worker runs the band
 * and visual-zone tools, the model worker the `model` tool; both through the same function.
 */
export const corroborateActivities = (deps: CorroborateDeps) => {
  const run = async (input: CorroborateInput): Promise<CorroborateResult> => {
    const ctx = Context.current();
    const timer = setInterval(() => ctx.heartbeat({ step: input.stepNumber }), 5_000);
    try {
      const result = await corroborateDocumentMrz(input, deps, { signal: ctx.cancellationSignal });
      // Ids, tools and outcomes only: the readings themselves are document text.
      ctx.log.info('mrz corroboration step', { documentId: input.doc.id, step: input.step.id, stepNumber: input.stepNumber, outcome: result.outcome });
      return result;
    } catch (err) {
      if (err instanceof KycError) ctx.log.warn('mrz corroboration step failed', { documentId: input.doc.id, step: input.step.id, code: err.code });
      throw toFailure(err);
    } finally {
      clearInterval(timer);
    }
  };
  return {
    /** A band or visual-zone reading (OCR queue). */
    corroborateDocument: run,
    /** The `model` reading (model queue). */
    corroborateWithModel: run,
  };
};
