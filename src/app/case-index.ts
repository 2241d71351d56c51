import { createHash } from 'node:crypto';

/**
 * The case index in the document store: `cases/<sha256(caseId)>.json` → the batch that carries
 * the case id (the last one submitted). Ids only; hashed so that case ids do not appear as names.
 */
export interface CaseIndexEntry {
  batchId: string;
  caseId: string;
}

export function caseIndexKey(caseId: string): string {
  return `cases/${createHash('sha256').update(caseId).digest('hex')}.json`;
}
