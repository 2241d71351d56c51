/**
 * Corroboration of MRZ values that agree with their check digit only after a look-alike swap (or
 * whose digit was inferred): the case workflow asks this planner for the next reading tool, runs it
 * as an activity, and asks again until no protected field is unverified or the budget is spent.
 *
 * Pure and deterministic (workflow code imports it): the plan is a fixed list of reading steps in
 * order of cost, and the choice depends only on which fields are unverified and which steps were
 * taken with what outcome.
 */

/**
 * The reading tools, cheapest first:
 * - `band-reread`: the MRZ band OCR'd again with another page-segmentation mode or a threshold;
 * - `band-transform`: the band at another scale or turned by a small angle (a tilted photo);
 * - `visual-zone`: the printed (visual-zone) fields above the band OCR'd on their own, their
 *   document numbers and dates compared with the MRZ's;
 * - `model`: the local model picks the printed value from the visual zone's text (last: seconds).
 */
import { unverifiedMrzFieldsOf, type MrzFieldName, type MrzSummary } from './documents.js';

export type WithFieldStatus = Pick<MrzSummary, 'fieldStatus'>;

export const READING_TOOLS = ['band-reread', 'band-transform', 'visual-zone', 'model'] as const;
export type ReadingTool = (typeof READING_TOOLS)[number];

/** How one step reads: the OCR settings of a band re-read, or nothing for the other tools. */
export interface ReadingSettings {
  /** Tesseract page-segmentation mode. */
  psm?: number;
  /** Enlargement of the crop, ≥ 1. */
  scale?: number;
  /** Degrees the crop is turned, clockwise. */
  rotateDeg?: number;
  /** Binarise the crop (Otsu) before OCR. */
  threshold?: boolean;
}

/** One planned reading: `id` names it in the report and in stored keys (`[a-z0-9-]`). */
export interface ReadingStep {
  id: string;
  tool: ReadingTool;
  settings: ReadingSettings;
}

export type StepOutcome = 'corroborated' | 'no-change' | 'disagreed' | 'failed';

export interface TakenStep {
  id: string;
  tool: ReadingTool;
  outcome: StepOutcome;
}

export interface CorroborationBudget {
  /** Reading steps per document at most. */
  maxSteps: number;
  /** Tools the deployment offers (default all): a worker without a model leaves out `model`. */
  tools?: readonly ReadingTool[];
}

export const DEFAULT_CORROBORATION_BUDGET: Readonly<CorroborationBudget> = Object.freeze({ maxSteps: 4 });

/**
 * MRZ fields a tool can speak to. The band re-reads read the whole zone; the printed visual zone
 * (and the model reading it) carries the document number and the dates, the values whose check
 * digits a look-alike swap can satisfy.
 */
const VISUAL_ZONE_FIELDS: readonly string[] = ['documentNumber', 'dateOfBirth', 'expiryDate'];
const TOOL_FIELDS: Readonly<Record<ReadingTool, readonly string[] | 'all'>> = {
  'band-reread': 'all',
  'band-transform': 'all',
  'visual-zone': VISUAL_ZONE_FIELDS,
  model: VISUAL_ZONE_FIELDS,
};

/**
 * Every step there is, cheapest first. Extraction already read the band with psm 6, psm 11 and
 * psm 6 at 2×: these are other ways. A plan never repeats a step.
 */
export const READING_PLAN: readonly ReadingStep[] = Object.freeze([
  { id: 'band-psm7-lines', tool: 'band-reread', settings: { psm: 7 } },
  { id: 'band-psm6-otsu', tool: 'band-reread', settings: { psm: 6, threshold: true } },
  { id: 'band-psm4', tool: 'band-reread', settings: { psm: 4 } },
  { id: 'band-scale3', tool: 'band-transform', settings: { psm: 6, scale: 3 } },
  { id: 'band-rotate-plus1', tool: 'band-transform', settings: { psm: 6, rotateDeg: 1 } },
  { id: 'band-rotate-minus1', tool: 'band-transform', settings: { psm: 6, rotateDeg: -1 } },
  { id: 'visual-zone', tool: 'visual-zone', settings: { psm: 6 } },
  { id: 'model', tool: 'model', settings: {} },
] satisfies ReadingStep[]);

export interface PlannerState {
  /** Protected MRZ fields still unverified (see `unverifiedMrzFields`). */
  unverified: readonly string[];
  stepsTaken: readonly TakenStep[];
  budget: CorroborationBudget;
}

/**
 * The next reading step, or undefined when nothing is unverified, the budget is spent, or no step
 * is left that could speak to the unverified fields. Steps are taken in plan order; a tool whose
 * step `failed` (no band or no image to read) is not tried again in another setting, and a band
 * read that `disagreed` moves the plan on to the visual zone: a second band reading saying
 * something else is no tie-breaker.
 */
export function nextReadingStep(state: PlannerState): ReadingStep | undefined {
  const { unverified, stepsTaken, budget } = state;
  if (unverified.length === 0 || stepsTaken.length >= budget.maxSteps) return undefined;
  const allowed = budget.tools ?? READING_TOOLS;
  const taken = new Set(stepsTaken.map((s) => s.id));
  const failedTools = new Set(stepsTaken.filter((s) => s.outcome === 'failed').map((s) => s.tool));
  const bandDisagreed = stepsTaken.some((s) => s.outcome === 'disagreed' && isBandTool(s.tool));
  return READING_PLAN.find(
    (step) =>
      !taken.has(step.id) &&
      allowed.includes(step.tool) &&
      !failedTools.has(step.tool) &&
      !(bandDisagreed && isBandTool(step.tool)) &&
      speaksTo(step.tool, unverified),
  );
}

function isBandTool(tool: ReadingTool): boolean {
  return tool === 'band-reread' || tool === 'band-transform';
}

function speaksTo(tool: ReadingTool, unverified: readonly string[]): boolean {
  const fields = TOOL_FIELDS[tool];
  return fields === 'all' || unverified.some((f) => fields.includes(f));
}

/** The MRZ fields whose status is `unverified` (the contract's `unverifiedFields`), in a stable order. */
export function unverifiedMrzFields(summary: WithFieldStatus | undefined): MrzFieldName[] {
  return unverifiedMrzFieldsOf(summary?.fieldStatus).sort();
}

/**
 * A step's outcome from the field statuses before and after it: `corroborated` when a field that
 * was unverified now is corroborated; `disagreed` when the independent reading gave another value
 * for one (or a field turned `failed`); `failed` when the tool produced no reading; else `no-change`.
 */
export function stepOutcome(input: {
  before: WithFieldStatus;
  after: WithFieldStatus | undefined;
  /** Unverified fields for which the independent reading gave a different value. */
  disagreeing?: readonly string[];
}): StepOutcome {
  const { before, after } = input;
  if (!after) return 'failed';
  const was = unverifiedMrzFields(before);
  const now = after.fieldStatus ?? {};
  if (was.some((f) => now[f] === 'corroborated')) return 'corroborated';
  if (was.some((f) => now[f] === 'failed') || (input.disagreeing ?? []).some((f) => (was as readonly string[]).includes(f))) return 'disagreed';
  return 'no-change';
}
