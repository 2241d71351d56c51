import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';

/** Task queues, workflow ids and search attributes. Pure: imported by workflows too. */

export const TASK_QUEUES = {
  /** Workflow tasks only: cheap, deterministic orchestration. */
  workflows: 'kyc-workflows',
  /** PDF parsing, rendering and OCR: CPU-bound, one slot per OCR worker. */
  ocr: 'kyc-ocr',
  /** Classification and field extraction (rules now, the local model later). */
  model: 'kyc-model',
  /** Light I/O: validations, sanctions screening, storage. */
  io: 'kyc-io',
} as const;
export type QueueName = keyof typeof TASK_QUEUES;
export const QUEUE_NAMES = Object.keys(TASK_QUEUES) as QueueName[];

/** Custom search attributes the workflows set (ids only: visibility is never encrypted). */
export const SEARCH_ATTRIBUTES = {
  batchId: defineSearchAttributeKey('KycBatchId', SearchAttributeType.KEYWORD),
  caseId: defineSearchAttributeKey('KycCaseId', SearchAttributeType.KEYWORD),
} as const;

const ID_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isValidIdPart(value: string): boolean {
  return ID_PART.test(value);
}

export function batchWorkflowId(batchId: string): string {
  return `kyc-batch-${batchId}`;
}

/** Case ids are unique within a batch, so the batch id is part of the workflow id. */
export function caseWorkflowId(batchId: string, caseId: string): string {
  return `kyc-case-${batchId}-${caseId}`;
}
