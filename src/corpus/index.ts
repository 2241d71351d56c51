/** Public API of the synthetic KYC corpus generator. */
export {
  DEFAULT_AS_OF, SAMPLE_SEED, corpusLabels, generateCorpus, generateSampleBatch, planCases, planCorpus, planSampleBatch, writeCorpus,
} from './generate.js';
export type { CorpusOptions, CorpusPlan, CorpusSummary, CustomPlanOptions, PlanOptions, WriteOptions } from './generate.js';
export type { CaseRecipe, DocRecipe, PlannedType } from './plan-cases.js';
export { idCardMrz, passportMrz } from './identity-templates.js';
export { DECISION_REASONS, REJECTION_REASONS, decisionFor } from './specs.js';
export type {
  CaseLabel, CaseSpec, CorpusLabels, DecisionReason, DeclaredApplicant, DocumentLabel, DocumentSpec, FileFormat,
} from './specs.js';
export { buildTd1, buildTd3, mrzCheckDigit, transliterate } from './mrz.js';
export { groupIban, ibanFromBban, isValidIban } from './iban.js';
export { SANCTIONS_HEADER, sanctionsCsv } from './sanctions.js';
export { Rng, rngFor } from './random.js';
