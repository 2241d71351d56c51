/** The page's offer of review actions (web/src/can.ts) follows the workflow's rules (src/review/rules.ts). */
import { describe, expect, test } from 'vitest';
import { allowedActions } from '../../web/src/can.js';
import type { Me, ReviewTask } from '../../web/src/types.js';

const alice: Me = { keyId: 'k-alice', name: 'alice', roles: ['reviewer'] };
const sam: Me = { keyId: 'k-sam', name: 'sam', roles: ['senior_reviewer'] };
const auditor: Me = { keyId: 'k-audit', name: 'audra', roles: ['auditor'] };

function task(overrides: Partial<ReviewTask> = {}): ReviewTask {
  return {
    taskId: 't-1',
    workflowId: 'kyc-case-c-1',
    caseId: 'c-1',
    batchId: 'b-1',
    round: 1,
    version: 1,
    queue: 'standard',
    status: 'open',
    priority: 'normal',
    createdAt: '2026-12-01T09:00:00.000Z',
    updatedAt: '2026-12-01T09:00:00.000Z',
    dueAt: '2026-12-02T09:00:00.000Z',
    followUpAt: '2026-12-01T21:00:00.000Z',
    reasons: ['name_mismatch'],
    fourEyes: false,
    approvals: [],
    ...overrides,
  };
}

const claimedBy = (me: Me): Partial<ReviewTask> => ({ status: 'claimed', assignee: me.name, assigneeKeyId: me.keyId });

describe('allowedActions', () => {
  test('an open standard task: claim only; deciding waits for the claim', () => {
    const actions = allowedActions(task(), alice);
    expect(actions.claim).toEqual({ allowed: true });
    expect(actions.release.allowed).toBe(false);
    expect(actions.decide).toEqual({ allowed: false, why: 'Claim the task to decide.' });
  });

  test('claimed by me: decide and release, no second claim', () => {
    const actions = allowedActions(task(claimedBy(alice)), alice);
    expect(actions.decide).toEqual({ allowed: true });
    expect(actions.release).toEqual({ allowed: true });
    expect(actions.claim).toEqual({ allowed: false, why: 'You have claimed this task.' });
  });

  test('claimed by someone else: no claim, no decision, no release for a standard reviewer', () => {
    const actions = allowedActions(task(claimedBy(sam)), alice);
    expect(actions.claim).toEqual({ allowed: false, why: 'The task is claimed by sam.' });
    expect(actions.decide).toEqual({ allowed: false, why: 'Only the assignee decides: the task is claimed by sam.' });
    expect(actions.release.allowed).toBe(false);
  });

  test("a senior reviewer may release another's claim but not claim over it", () => {
    const actions = allowedActions(task(claimedBy(alice)), sam);
    expect(actions.release).toEqual({ allowed: true });
    expect(actions.claim.allowed).toBe(false);
    expect(actions.decide.allowed).toBe(false);
  });

  test('the senior queue: no claim for a standard reviewer, with the reason; a senior may claim', () => {
    const senior = task({ queue: 'senior', priority: 'high' });
    const forAlice = allowedActions(senior, alice);
    expect(forAlice.claim).toEqual({ allowed: false, why: 'The task is in the senior queue: only a senior reviewer may claim it.' });
    expect(forAlice.decide).toEqual(forAlice.claim);
    expect(allowedActions(senior, sam).claim).toEqual({ allowed: true });
  });

  test('four-eyes after a first approval: neither the first approver nor (after a standard one) another standard reviewer may claim', () => {
    const approval = { by: 'alice', keyId: 'k-alice', senior: false, at: '2026-12-01T10:00:00.000Z', reason: 'seen' };
    const waiting = task({ fourEyes: true, approvals: [approval] });
    expect(allowedActions(waiting, alice).claim).toEqual({
      allowed: false,
      why: 'You gave the first approval: a different reviewer must give the second (four-eyes).',
    });
    const bob: Me = { keyId: 'k-bob', name: 'bob', roles: ['reviewer'] };
    expect(allowedActions(waiting, bob).claim).toEqual({ allowed: false, why: 'Four-eyes: the second approval must come from a senior reviewer.' });
    expect(allowedActions(waiting, sam).claim).toEqual({ allowed: true });
  });

  test('decided or waiting for documents: nothing to do', () => {
    for (const status of ['completed', 'waiting_documents'] as const) {
      const actions = allowedActions(task({ status }), sam);
      expect([actions.claim.allowed, actions.release.allowed, actions.decide.allowed]).toEqual([false, false, false]);
    }
  });

  test('an auditor reads but neither claims nor decides', () => {
    const actions = allowedActions(task(), auditor);
    expect(actions.claim.allowed).toBe(false);
    expect(actions.decide.allowed).toBe(false);
  });
});
