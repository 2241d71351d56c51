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
    const result = (await conclude(1, { store, auditStore })) as { decision: string; checks: unknown[] };
    expect(['approve', 'reject', 'review']).toContain(result.decision);
    expect(appended.length).toBeGreaterThan(0);
    expect(result).not.toHaveProperty('entries');
  });
});
