/**
 * The IBAN's verification reaches the checks through concludeCase: the activity hands each
 * document's evidence on, so an IBAN that OCR read once and that fails mod-97 is not reported as
 * invalid (it is unverified), while one the readings agree on still fails.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, test } from 'vitest';
import { checksActivities, type ConcludeCaseInput } from '../../activities/checks.activities.js';
import { DEFAULT_POLICY } from '../../src/domain/decision.js';
import type { FieldVerification } from '../../src/domain/documents.js';
import type { DocumentStore } from '../../src/domain/ports.js';
import type { Check } from '../../src/domain/report.js';

const auditStore = { append: async () => [] } as unknown as Parameters<typeof checksActivities>[0]['auditStore'];
const store = {
  getDocument: async () => new TextEncoder().encode(''),
  getJson: async () => ({ fileKind: 'jpeg', pages: [{ page: 1, text: 'Anna Müller\nIBAN DE89 3704 0044 0582 0130 00' }] }),
} as unknown as DocumentStore;

async function ibanCheck(verification: FieldVerification): Promise<Check | undefined> {
  const statement = {
    file: 'statement.jpg',
    documentId: 's'.repeat(64),
    type: 'bank_statement' as const,
    confidence: 0.9,
    fields: { fullName: 'Anna Müller', statementDate: '2026-10-02', iban: 'DE89370400440582013000' },
    evidence: { iban: { source: 'text' as const, page: 1, verification } },
    pages: [],
  };
  const input: ConcludeCaseInput = { caseKey: 'kyc-case-b-1-c-1', caseId: 'c-1', batchId: 'b-1', round: 1, documents: [statement], asOf: '2026-11-01', policy: DEFAULT_POLICY };
  const result = (await new MockActivityEnvironment({ attempt: 1 }).run(checksActivities({ store, auditStore }).concludeCase, input)) as { checks: Check[]; reasons: string[] };
  return result.checks.find((c) => c.id === 'iban_valid');
}

describe('concludeCase and the IBAN verification', () => {
  test('when the extraction left the IBAN unverified (one OCR reading fails mod-97), then iban_valid is inconclusive, not a spurious invalid_iban', async () => {
    expect((await ibanCheck('unverified'))?.status).toBe('inconclusive');
  });

  test('when the readings agree on a failing IBAN, then iban_valid fails', async () => {
    expect((await ibanCheck('failed'))?.status).toBe('fail');
  });
});
