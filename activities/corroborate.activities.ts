import { Context } from '@temporalio/activity';
import type { ReadingStep } from '../src/domain/corroboration.js';
import { corroborateDocumentMrz, type StepResult } from '../src/domain/corroborate-document.js';
import type { DocumentRef, MrzSummary } from '../src/domain/documents.js';
import type { ReadingPorts } from '../src/domain/corroboration-reading.js';
import { KycError } from '../src/domain/errors.js';
import type { LocalModel } from '../src/domain/model-prompts.js';
import type { DocumentStore } from '../src/domain/ports.js';
import { toFailure } from './to-failure.js';

export interface CorroborateInput {
  doc: DocumentRef;
  textKey: string;
  asOf: string;
  step: ReadingStep;
  /** 1-based place of the step in the document's loop: its results are stored under it (retries overwrite). */
  stepNumber: number;
  /** The document's MRZ summary as it stands: statuses and check names, no MRZ text. */
  mrz: MrzSummary;
}

/** The step's outcome, the summary with its statuses (no MRZ text), and MRZ values it put right, if any. */
export type CorroborateResult = StepResult;

export interface CorroborateDeps extends ReadingPorts {
  store: DocumentStore;
  /** The model worker's local model, for the `model` tool; absent → that step fails (no model). */
  model?: LocalModel;
}

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
