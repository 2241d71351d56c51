/** The workflowsPath target: workflow functions only. */
export { processKycCase } from './kyc-case.workflow.js';
export { processKycBatch } from './kyc-batch.workflow.js';
export { applyRetention } from './retention.workflow.js';
