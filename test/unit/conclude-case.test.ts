/**
 * concludeCase's two kinds of failure: the checks (a defect once it outlasts a few attempts) and the
 * audit write (an outage to wait out), run through Temporal's activity test environment so the
 * attempt number is the one a worker would see.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { beforeEach, describe, expect, test } from 'vitest';
import { checksActivities, CONCLUDE_CHECK_ATTEMPTS, type ConcludeCaseInput } from '../../activities/checks.activities.js';
import { DEFAULT_POLICY } from '../../src/domain/decision.js';
import type { DocumentStore } from '../../src/domain/ports.js';

const input: ConcludeCaseInput = {
  caseKey: 'kyc-case-b-1-c-1',
  caseId: 'c-1',
  batchId: 'b-1',
  round: 1,
  documents: [],
  asOf: '2026-11-01',
  sanctionsRef: 'f'.repeat(64),
  policy: DEFAULT_POLICY,
};

/** A document store whose disk fails: the sanctions list cannot be read. */
const failingStore = { getDocument: () => Promise.reject(new Error('EIO: read error')) } as unknown as DocumentStore;

function conclude(attempt: number, deps: Parameters<typeof checksActivities>[0]): Promise<unknown> {
  const env = new MockActivityEnvironment({ attempt });
  return env.run(checksActivities(deps).concludeCase, input);
}

describe('concludeCase', () => {
  const appended: unknown[] = [];
  const auditStore = {
    append: async (_key: unknown, entries: readonly unknown[]) => {
      appended.push(...entries);
      return [];
    },
  } as unknown as Parameters<typeof checksActivities>[0]['auditStore'];
  beforeEach(() => {
    appended.length = 0;
  });

  test('when the checks fail before their last attempt, then the error is left to the retry policy', async () => {
    const err = await conclude(CONCLUDE_CHECK_ATTEMPTS - 1, { store: failingStore, auditStore }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect((err as Error).message).toContain('EIO');
    expect(appended).toEqual([]);
  });

  test('when the checks fail on their last attempt, then the activity fails as non-retryable and writes nothing', async () => {
    const err = await conclude(CONCLUDE_CHECK_ATTEMPTS, { store: failingStore, auditStore }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'CHECKS_FAILED', nonRetryable: true });
    expect((err as ApplicationFailure).cause?.message).toContain('EIO');
    expect(appended).toEqual([]);
  });

  test('when the audit write fails, then it stays retryable however many attempts have passed', async () => {
    const store = { getDocument: async () => new TextEncoder().encode('') } as unknown as DocumentStore;
    const down = { append: () => Promise.reject(new Error('SQLITE_BUSY: database is locked')) };
    const err = await conclude(CONCLUDE_CHECK_ATTEMPTS * 3, { store, auditStore: down }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect((err as Error).message).toContain('SQLITE_BUSY');
  });

  test('when nothing fails, then the decision comes back after its audit entries were written', async () => {
    const store = { getDocument: async () => new TextEncoder().encode('') } as unknown as DocumentStore;
    const result = (await conclude(1, { store, auditStore })) as { decision: string; reasons: string[]; checks: unknown[] };
    // No documents and no declaration: a person must look, for want of documents and of any birth date.
    expect(result).toMatchObject({ decision: 'review', reasons: ['missing_identity', 'missing_proof_of_address', 'age_unverified'] });
    expect(appended.length).toBeGreaterThan(0);
    expect(result).not.toHaveProperty('entries');
  });

  describe('fail closed through the activity', () => {
    // An empty sanctions list; the bill's stored text, which the checks search for the declared name and address.
    const billText = 'Northern Power Ltd\nElectricity bill\nBill date: 02/10/2026\nAnna Müller\n1 High Street\nLondon SW1A 1AA';
    const emptyList = {
      getDocument: async () => new TextEncoder().encode(''),
      getJson: async () => ({ fileKind: 'pdf', pages: [{ page: 1, text: billText }] }),
    } as unknown as DocumentStore;
    const report = (file: string, type: 'passport' | 'utility_bill', fields: Record<string, string>) => ({
      file, documentId: file.padEnd(64, '0'), type, confidence: 1, fields, evidence: {}, pages: [],
    });
    const documents = (mrz: Record<string, unknown>): ConcludeCaseInput['documents'] => [
      {
        ...report('p.jpg', 'passport', { surname: 'MÜLLER', givenNames: 'ANNA', dateOfBirth: '1990-04-12', expiryDate: '2031-05-20', documentNumber: '925076473' }),
        mrz: { format: 'TD3', valid: true, failedChecks: [], repaired: false, visualCompared: ['documentNumber'], visualMismatches: [], ...mrz },
      } as ConcludeCaseInput['documents'][number],
      report('b.pdf', 'utility_bill', { fullName: 'Anna Müller', address: '1 High Street, London SW1A 1AA', statementDate: '2026-10-02' }),
    ];
    const run = (mrz: Record<string, unknown>): Promise<unknown> =>
      new MockActivityEnvironment({ attempt: 1 }).run(checksActivities({ store: emptyList, auditStore }).concludeCase, {
        ...input,
        applicant: { fullName: 'Anna Müller', dateOfBirth: '1990-04-12', address: '1 High Street, London SW1A 1AA' },
        documents: documents(mrz),
      });

    test('when the documents are clean, then the case is approved', async () => {
      expect(await run({})).toMatchObject({ decision: 'approved', reasons: [] });
    });

    test('when the MRZ disagrees with the printed number and its checksum is unverified, then the case goes to review and the audit says why', async () => {
      const result = await run({ unverified: true, visualMismatches: ['documentNumber'] });
      expect(result).toMatchObject({ decision: 'review', reasons: ['mrz_unverified', 'mrz_mismatch'] });
      expect(appended).toContainEqual(expect.objectContaining({ action: 'case.decided', detail: expect.objectContaining({ decision: 'review', reasons: ['mrz_unverified', 'mrz_mismatch'] }) }));
    });

    test('when the policy given to the activity has no mapping for the failing check, then the case still goes to review', async () => {
      const { mrz_vs_visual: _gone, ...checkReasons } = DEFAULT_POLICY.checkReasons;
      const result = await new MockActivityEnvironment({ attempt: 1 }).run(checksActivities({ store: emptyList, auditStore }).concludeCase, {
        ...input,
        applicant: { fullName: 'Anna Müller', dateOfBirth: '1990-04-12', address: '1 High Street, London SW1A 1AA' },
        documents: documents({ visualMismatches: ['documentNumber'] }),
        policy: { ...DEFAULT_POLICY, checkReasons },
      });
      expect(result).toMatchObject({ decision: 'review', reasons: ['mrz_vs_visual_failed'] });
    });
  });
});
