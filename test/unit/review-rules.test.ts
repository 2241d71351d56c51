import { describe, expect, test } from 'vitest';
import { DEFAULT_REVIEW_POLICY, type ReviewPolicy } from '../../src/review/policy.js';
import {
  ReviewRuleError,
  TaskLedger,
  claimed,
  deadlines,
  escalated,
  newTask,
  released,
  validateAddDocuments,
  validateClaim,
  validateDecide,
  validateNote,
  validateReassign,
  validateRelease,
  type DecideInput,
} from '../../src/review/rules.js';
import type { Actor, Approval, ReviewTask } from '../../src/review/types.js';

const NOW = new Date('2026-11-21T09:00:00.000Z');
const POLICY: ReviewPolicy = {
  queues: { standard: { deadline: '24h', reminder: '20h' }, senior: { deadline: '8h', reminder: '6h' } },
  qualityControlSampleRate: 0,
};

const reviewer = (keyId: string): Actor => ({ keyId, name: `reviewer ${keyId}`, roles: ['reviewer'] });
const senior = (keyId: string): Actor => ({ keyId, name: `senior ${keyId}`, roles: ['senior_reviewer'] });
const ANNA = reviewer('k-anna');
const BEN = reviewer('k-ben');
const SARA = senior('k-sara');
const SAM = senior('k-sam');
const ADMIN: Actor = { keyId: 'k-admin', name: 'admin', roles: ['admin'] };
const AUDITOR: Actor = { keyId: 'k-audit', name: 'auditor', roles: ['auditor'] };
const SUBMITTER: Actor = { keyId: 'k-sub', name: 'intake', roles: ['submitter'] };
/** The key that submitted the batch also holds reviewer roles. */
const SUBMITTING_SENIOR: Actor = { keyId: 'k-sub', name: 'intake lead', roles: ['submitter', 'senior_reviewer'] };

const DOCS = ['doc-1', 'doc-2'];

function task(overrides: Partial<ReviewTask> = {}, highRisk = false): ReviewTask {
  const base = newTask({
    workflowId: 'kyc-case-b-1-case-001',
    caseId: 'case-001',
    batchId: 'b-1',
    round: 1,
    reasons: ['name_mismatch'],
    highRisk,
    submittedBy: SUBMITTER.keyId,
    now: NOW,
    policy: POLICY,
  });
  return { ...base, ...overrides };
}

const seniorTask = (overrides: Partial<ReviewTask> = {}): ReviewTask => task(overrides, true);
const claimedBy = (actor: Actor, t: ReviewTask = task()): ReviewTask => claimed(t, actor);

function approval(by: Actor): Approval {
  return { by: by.name, keyId: by.keyId, senior: by.roles.includes('senior_reviewer'), at: NOW.toISOString(), reason: 'documents consistent' };
}

/** A high-risk task after its first approval, as the workflow leaves it: released, in the queue of the second approver. */
function afterFirstApproval(first: Actor): ReviewTask {
  const a = approval(first);
  return seniorTask({ approvals: [a], queue: a.senior ? 'standard' : 'senior' });
}

const approve: DecideInput = { decision: 'approve', reason: 'documents consistent' };

/** The rule error a call throws, for asserting its code and message together. */
function ruleError(action: () => void): ReviewRuleError {
  try {
    action();
  } catch (err) {
    if (err instanceof ReviewRuleError) return err;
    throw err;
  }
  throw new Error('expected a ReviewRuleError, but the action was allowed');
}

describe('newTask', () => {
  test('when the case is not high-risk, then the task opens in the standard queue at normal priority with one approval needed', () => {
    const t = task();
    expect(t).toMatchObject({
      taskId: 'kyc-case-b-1-case-001:1',
      workflowId: 'kyc-case-b-1-case-001',
      caseId: 'case-001',
      batchId: 'b-1',
      round: 1,
      version: 0,
      queue: 'standard',
      status: 'open',
      priority: 'normal',
      fourEyes: false,
      approvals: [],
      reasons: ['name_mismatch'],
      submittedBy: 'k-sub',
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      dueAt: '2026-11-22T09:00:00.000Z',
      followUpAt: '2026-11-22T05:00:00.000Z',
    });
    expect(t.assignee).toBeUndefined();
  });

  test('when the case is high-risk, then the task opens in the senior queue at high priority with four eyes and the senior deadlines', () => {
    expect(seniorTask()).toMatchObject({
      queue: 'senior',
      priority: 'high',
      fourEyes: true,
      dueAt: '2026-11-21T17:00:00.000Z',
      followUpAt: '2026-11-21T15:00:00.000Z',
    });
  });

  test('when no submitter is known, then the task has no submittedBy key', () => {
    const t = newTask({ workflowId: 'w', caseId: 'c', batchId: 'b', round: 2, reasons: [], highRisk: false, now: NOW, policy: POLICY });
    expect('submittedBy' in t).toBe(false);
    expect(t.taskId).toBe('w:2');
  });
});

describe('deadlines', () => {
  test('when computed from a time, then due and follow-up dates are that time plus the queue deadline and reminder', () => {
    expect(deadlines('standard', NOW, POLICY)).toEqual({ dueAt: '2026-11-22T09:00:00.000Z', followUpAt: '2026-11-22T05:00:00.000Z' });
    expect(deadlines('senior', NOW, POLICY)).toEqual({ dueAt: '2026-11-21T17:00:00.000Z', followUpAt: '2026-11-21T15:00:00.000Z' });
  });

  test('when the default policy applies, then the reminder comes before the deadline', () => {
    const d = deadlines('standard', NOW, DEFAULT_REVIEW_POLICY);
    expect(Date.parse(d.followUpAt)).toBeLessThan(Date.parse(d.dueAt));
  });
});

describe('claimed and released', () => {
  test('when a task is claimed, then it records the assignee by name and key', () => {
    expect(claimedBy(ANNA)).toMatchObject({ status: 'claimed', assignee: ANNA.name, assigneeKeyId: ANNA.keyId });
  });

  test('when a claimed task is released, then it is open with no assignee and keeps its approvals', () => {
    const t = released(claimedBy(SARA, afterFirstApproval(SAM)));
    expect(t.status).toBe('open');
    expect('assignee' in t || 'assigneeKeyId' in t).toBe(false);
    expect(t.approvals).toHaveLength(1);
  });
});

describe('escalated', () => {
  const later = new Date('2026-11-22T09:00:01.000Z');

  test('when an open task breaches its deadline, then it moves to the senior queue at high priority with fresh senior deadlines', () => {
    const t = escalated(task(), later, POLICY, false);
    expect(t).toMatchObject({
      status: 'open',
      queue: 'senior',
      priority: 'high',
      escalatedAt: later.toISOString(),
      dueAt: '2026-11-22T17:00:01.000Z',
      followUpAt: '2026-11-22T15:00:01.000Z',
    });
  });

  test('when the assignee is not senior, then escalation releases the claim', () => {
    const t = escalated(claimedBy(ANNA), later, POLICY, false);
    expect(t.status).toBe('open');
    expect(t.assignee).toBeUndefined();
    expect(t.assigneeKeyId).toBeUndefined();
  });

  test('when the assignee is senior, then escalation keeps the claim', () => {
    const t = escalated(claimedBy(SARA), later, POLICY, true);
    expect(t).toMatchObject({ status: 'claimed', assignee: SARA.name, assigneeKeyId: SARA.keyId, queue: 'senior' });
  });

  test('when a released non-senior reviewer tries to claim the escalated task, then the senior queue refuses them', () => {
    const t = escalated(claimedBy(ANNA), later, POLICY, false);
    expect(ruleError(() => validateClaim(t, ANNA)).code).toBe('FORBIDDEN');
    expect(() => validateClaim(t, SARA)).not.toThrow();
  });
});

describe('validateClaim', () => {
  test('when a reviewer claims an open standard task, then it is allowed', () => {
    expect(() => validateClaim(task(), ANNA)).not.toThrow();
    expect(() => validateClaim(task(), SARA)).not.toThrow();
  });

  test('when a plain reviewer claims a senior-queue task, then it is forbidden and the needed role is named', () => {
    const err = ruleError(() => validateClaim(seniorTask(), ANNA));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toMatch(/senior queue needs the role senior_reviewer/);
  });

  test.each([
    ['an admin', ADMIN],
    ['an auditor', AUDITOR],
    ['a submitter', { ...SUBMITTER, keyId: 'k-other-sub' }],
  ])('when %s claims, then it is forbidden: no reviewer role', (_name, actor) => {
    expect(ruleError(() => validateClaim(task(), actor)).code).toBe('FORBIDDEN');
  });

  test('when the key that submitted the batch claims, then separation of duties forbids it even with a senior role', () => {
    const err = ruleError(() => validateClaim(task(), SUBMITTING_SENIOR));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toMatch(/separation of duties/);
  });

  test('when the submitting person claims with another of their keys, then separation of duties forbids it; another person may', () => {
    const submitted = task({ submittedBy: 'acme/Alice Martin' });
    const aliceReviewing: Actor = { keyId: 'k-alice-2', name: 'Alice Martin', roles: ['reviewer'], org: 'acme', person: 'Alice Martin' };
    const err = ruleError(() => validateClaim(submitted, aliceReviewing));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toMatch(/separation of duties/);
    // Another organisation's Alice Martin is another person.
    expect(() => validateClaim(submitted, { ...aliceReviewing, org: 'globex' })).not.toThrow();
    expect(() => validateClaim(submitted, { ...aliceReviewing, keyId: 'k-bob', name: 'Bob', person: 'Bob' })).not.toThrow();
  });

  test('when a person gave the first approval with one key, then four-eyes forbids their second key', () => {
    const first: Actor = { keyId: 'k-sara-1', name: 'Sara Senior', roles: ['senior_reviewer'], org: 'bank', person: 'Sara Senior' };
    const t = seniorTask({ approvals: [approval(first)] });
    const err = ruleError(() => validateClaim(t, { ...first, keyId: 'k-sara-2' }));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toMatch(/four-eyes/);
  });

  test('when the task records no submitter, then any reviewer may claim', () => {
    const { submittedBy: _s, ...noSubmitter } = task();
    expect(() => validateClaim(noSubmitter, SUBMITTING_SENIOR)).not.toThrow();
  });

  test('when the claimer already holds the task, then it is a conflict saying so', () => {
    const err = ruleError(() => validateClaim(claimedBy(ANNA), ANNA));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toMatch(/already claimed/);
  });

  test('when someone else holds the task, then it is a conflict naming the assignee', () => {
    const err = ruleError(() => validateClaim(claimedBy(ANNA), BEN));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain(ANNA.name);
  });

  test.each([
    ['decided', 'completed'],
    ['waiting for documents', 'waiting_documents'],
  ] as const)('when the task is %s, then claiming is a conflict', (_name, status) => {
    expect(ruleError(() => validateClaim(task({ status }), ANNA)).code).toBe('CONFLICT');
  });

  test('when the first approver claims the task for the second approval, then four-eyes forbids it', () => {
    const err = ruleError(() => validateClaim(afterFirstApproval(SARA), SARA));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toMatch(/different reviewer/);
  });

  test('when the first approver was senior, then a plain reviewer may claim for the second approval', () => {
    expect(() => validateClaim(afterFirstApproval(SARA), ANNA)).not.toThrow();
  });

  test('when the first approver was not senior, then a plain reviewer may not claim for the second approval but a senior may', () => {
    const t = afterFirstApproval(ANNA);
    expect(ruleError(() => validateClaim(t, BEN)).code).toBe('FORBIDDEN');
    expect(() => validateClaim(t, SARA)).not.toThrow();
  });

  test('when a four-eyes task sits in the standard queue after a non-senior first approval, then four-eyes still demands a senior', () => {
    const t = seniorTask({ approvals: [approval(ANNA)], queue: 'standard' });
    const err = ruleError(() => validateClaim(t, BEN));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toMatch(/senior/);
  });
});

describe('validateRelease', () => {
  test('when the assignee releases, then it is allowed', () => {
    expect(() => validateRelease(claimedBy(ANNA), ANNA)).not.toThrow();
  });

  test('when a senior reviewer or an admin releases someone else\'s task, then it is allowed', () => {
    expect(() => validateRelease(claimedBy(ANNA), SARA)).not.toThrow();
    expect(() => validateRelease(claimedBy(ANNA), ADMIN)).not.toThrow();
  });

  test('when another plain reviewer releases the task, then it is forbidden', () => {
    expect(ruleError(() => validateRelease(claimedBy(ANNA), BEN)).code).toBe('FORBIDDEN');
  });

  test('when the task is not claimed, then releasing is a conflict', () => {
    expect(ruleError(() => validateRelease(task(), ANNA)).code).toBe('CONFLICT');
  });

  test.each(['completed', 'waiting_documents'] as const)('when the task is %s, then releasing is a conflict', (status) => {
    expect(ruleError(() => validateRelease({ ...claimedBy(ANNA), status }, ANNA)).code).toBe('CONFLICT');
  });
});

describe('validateReassign', () => {
  test('when the assignee hands the task to another reviewer, then it is allowed', () => {
    expect(() => validateReassign(claimedBy(ANNA), ANNA, BEN)).not.toThrow();
  });

  test('when a senior reviewer or an admin assigns someone else\'s task, then it is allowed', () => {
    expect(() => validateReassign(claimedBy(ANNA), SARA, BEN)).not.toThrow();
    expect(() => validateReassign(task(), ADMIN, BEN)).not.toThrow();
  });

  test('when a plain reviewer who is not the assignee reassigns, then it is forbidden', () => {
    expect(ruleError(() => validateReassign(claimedBy(ANNA), BEN, BEN)).code).toBe('FORBIDDEN');
    expect(ruleError(() => validateReassign(task(), BEN, ANNA)).code).toBe('FORBIDDEN');
  });

  test('when the task goes to its current assignee, then it is a conflict', () => {
    expect(ruleError(() => validateReassign(claimedBy(ANNA), SARA, ANNA)).code).toBe('CONFLICT');
  });

  test('when the new assignee may not work the queue, then the reassignment is invalid', () => {
    const err = ruleError(() => validateReassign(claimedBy(SARA, seniorTask()), SARA, ANNA));
    expect(err.code).toBe('INVALID');
    expect(err.message).toMatch(/senior queue/);
    expect(ruleError(() => validateReassign(claimedBy(ANNA), SARA, AUDITOR)).code).toBe('INVALID');
  });

  test('when the new assignee submitted the batch, then separation of duties forbids it', () => {
    const err = ruleError(() => validateReassign(claimedBy(ANNA), SARA, SUBMITTING_SENIOR));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toMatch(/separation of duties/);
  });

  test('when the new assignee gave the first approval, then four-eyes forbids it', () => {
    const t = claimedBy(SAM, afterFirstApproval(SARA));
    expect(ruleError(() => validateReassign(t, SAM, SARA)).code).toBe('FORBIDDEN');
  });

  test('when the first approver was not senior and the new assignee is not senior either, then four-eyes forbids it', () => {
    const t = claimedBy(SARA, seniorTask({ approvals: [approval(ANNA)], queue: 'standard' }));
    const err = ruleError(() => validateReassign(t, SARA, BEN));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toMatch(/four-eyes/);
  });

  test.each(['completed', 'waiting_documents'] as const)('when the task is %s, then reassigning is a conflict', (status) => {
    expect(ruleError(() => validateReassign(task({ status }), ADMIN, BEN)).code).toBe('CONFLICT');
  });
});

describe('validateDecide', () => {
  test('when the assignee decides with a reason, then it is allowed', () => {
    expect(() => validateDecide(claimedBy(ANNA), ANNA, approve, DOCS)).not.toThrow();
    expect(() => validateDecide(claimedBy(ANNA), ANNA, { decision: 'reject', reason: 'forged' }, DOCS)).not.toThrow();
    expect(() => validateDecide(claimedBy(ANNA), ANNA, { decision: 'request_documents', reason: 'need a bill' }, DOCS)).not.toThrow();
  });

  test('when someone other than the assignee decides, then it is forbidden, even for a senior or an admin', () => {
    for (const actor of [BEN, SARA, ADMIN]) {
      const err = ruleError(() => validateDecide(claimedBy(ANNA), actor, approve, DOCS));
      expect(err.code).toBe('FORBIDDEN');
      expect(err.message).toMatch(/only the assignee/);
    }
  });

  test('when nobody has claimed the task, then deciding is forbidden: claim first', () => {
    expect(ruleError(() => validateDecide(task(), ANNA, approve, DOCS)).message).toMatch(/claim the task first/);
  });

  test.each(['', '   ', '\n\t'])('when the reason is %j, then the decision is invalid', (reason) => {
    const err = ruleError(() => validateDecide(claimedBy(ANNA), ANNA, { decision: 'reject', reason }, DOCS));
    expect(err.code).toBe('INVALID');
    expect(err.message).toMatch(/reason/);
  });

  test.each(['completed', 'waiting_documents'] as const)('when the task is %s, then deciding is a conflict', (status) => {
    expect(ruleError(() => validateDecide({ ...claimedBy(ANNA), status }, ANNA, approve, DOCS)).code).toBe('CONFLICT');
  });

  test('when the assignee is the submitter of the batch, then separation of duties forbids the decision', () => {
    // Defence in depth: the claim is refused already, and so is the decision should a claim exist.
    const err = ruleError(() => validateDecide(claimedBy(SUBMITTING_SENIOR), SUBMITTING_SENIOR, approve, DOCS));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toMatch(/separation of duties/);
  });

  test('when a correction names a document of the case, then it is allowed', () => {
    const input: DecideInput = { ...approve, corrections: [{ documentId: 'doc-2', field: 'surname', value: 'Müller' }] };
    expect(() => validateDecide(claimedBy(ANNA), ANNA, input, DOCS)).not.toThrow();
  });

  test('when a correction names a document not in the case, then the decision is invalid and names it', () => {
    const input: DecideInput = {
      ...approve,
      corrections: [
        { documentId: 'doc-1', field: 'surname', value: 'Müller' },
        { documentId: 'doc-9', field: 'iban', value: 'DE89370400440532013000' },
      ],
    };
    const err = ruleError(() => validateDecide(claimedBy(ANNA), ANNA, input, DOCS));
    expect(err.code).toBe('INVALID');
    expect(err.message).toContain('doc-9');
  });

  test('when a four-eyes task gets its first approval, then any eligible assignee may give it', () => {
    expect(() => validateDecide(claimedBy(SARA, seniorTask()), SARA, approve, DOCS)).not.toThrow();
  });

  test('when the second approval comes from the first approver, then four-eyes forbids it', () => {
    // Defence in depth: claim and reassignment refuse the first approver already.
    const t = claimedBy(SARA, afterFirstApproval(SARA));
    const err = ruleError(() => validateDecide(t, SARA, approve, DOCS));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toMatch(/different reviewer/);
  });

  test('when the first approver was senior, then a plain reviewer may give the second approval', () => {
    expect(() => validateDecide(claimedBy(ANNA, afterFirstApproval(SARA)), ANNA, approve, DOCS)).not.toThrow();
  });

  test('when neither approver is senior, then four-eyes forbids the second approval', () => {
    const t = claimedBy(BEN, seniorTask({ approvals: [approval(ANNA)], queue: 'standard' }));
    const err = ruleError(() => validateDecide(t, BEN, approve, DOCS));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toMatch(/senior/);
  });

  test('when the first approver was not senior and a senior gives the second approval, then it is allowed', () => {
    expect(() => validateDecide(claimedBy(SARA, afterFirstApproval(ANNA)), SARA, approve, DOCS)).not.toThrow();
  });

  test('when the second reviewer of a four-eyes task rejects, then no second-approver rule applies', () => {
    const t = claimedBy(BEN, seniorTask({ approvals: [approval(ANNA)], queue: 'standard' }));
    expect(() => validateDecide(t, BEN, { decision: 'reject', reason: 'not convinced' }, DOCS)).not.toThrow();
  });
});

describe('validateNote', () => {
  test('when a reviewer, a senior or an admin writes a note, then it is allowed on any task status', () => {
    for (const actor of [ANNA, SARA, ADMIN]) expect(() => validateNote(task({ status: 'completed' }), actor, 'called the applicant')).not.toThrow();
  });

  test.each([
    ['a submitter', SUBMITTER],
    ['an auditor', AUDITOR],
  ])('when %s writes a note, then it is forbidden', (_name, actor) => {
    expect(ruleError(() => validateNote(task(), actor, 'hello')).code).toBe('FORBIDDEN');
  });

  test.each(['', '  '])('when the note is %j, then it is invalid', (text) => {
    expect(ruleError(() => validateNote(task(), ANNA, text)).code).toBe('INVALID');
  });

  test('when the note is 4000 characters, then it is allowed; at 4001 it is invalid', () => {
    expect(() => validateNote(task(), ANNA, 'x'.repeat(4000))).not.toThrow();
    expect(ruleError(() => validateNote(task(), ANNA, 'x'.repeat(4001))).code).toBe('INVALID');
  });
});

describe('validateAddDocuments', () => {
  const waiting = (): ReviewTask => task({ status: 'waiting_documents' });

  test('when the submitter, a reviewer or an admin sends documents to a waiting case, then it is allowed', () => {
    for (const actor of [SUBMITTER, ANNA, SARA, ADMIN]) expect(() => validateAddDocuments(waiting(), actor, 1)).not.toThrow();
  });

  test('when an auditor sends documents, then it is forbidden', () => {
    expect(ruleError(() => validateAddDocuments(waiting(), AUDITOR, 1)).code).toBe('FORBIDDEN');
  });

  test.each(['open', 'claimed', 'completed'] as const)('when the task is %s, then sending documents is a conflict', (status) => {
    expect(ruleError(() => validateAddDocuments(task({ status }), SUBMITTER, 1)).code).toBe('CONFLICT');
  });

  test('when no documents are sent, then it is invalid', () => {
    expect(ruleError(() => validateAddDocuments(waiting(), SUBMITTER, 0)).code).toBe('INVALID');
  });
});

describe('TaskLedger', () => {
  test('when actions are recorded, then each bumps the version and updatedAt and gets the next event id', () => {
    const ledger = new TaskLedger(task());
    const t1 = new Date('2026-11-21T09:05:00.000Z');
    const t2 = new Date('2026-11-21T09:07:00.000Z');
    ledger.task = claimed(ledger.task, ANNA);
    ledger.record(ANNA, 'claimed', t1);
    ledger.record(ANNA, 'note', t2, { text: 'called the applicant' });
    expect(ledger.task).toMatchObject({ version: 2, updatedAt: t2.toISOString(), status: 'claimed' });
    expect(ledger.pending).toEqual([
      { eventId: 'kyc-case-b-1-case-001:1:1', taskId: 'kyc-case-b-1-case-001:1', caseId: 'case-001', at: t1.toISOString(), actor: ANNA.name, actorKeyId: ANNA.keyId, action: 'claimed' },
      {
        eventId: 'kyc-case-b-1-case-001:1:2',
        taskId: 'kyc-case-b-1-case-001:1',
        caseId: 'case-001',
        at: t2.toISOString(),
        actor: ANNA.name,
        actorKeyId: ANNA.keyId,
        action: 'note',
        detail: { text: 'called the applicant' },
      },
    ]);
  });

  test('when events are drained, then they are returned once and numbering continues', () => {
    const ledger = new TaskLedger(task());
    ledger.record(ANNA, 'claimed', NOW);
    expect(ledger.drain().map((e) => e.eventId)).toEqual(['kyc-case-b-1-case-001:1:1']);
    expect(ledger.drain()).toEqual([]);
    ledger.record(ANNA, 'released', NOW);
    expect(ledger.drain().map((e) => e.eventId)).toEqual(['kyc-case-b-1-case-001:1:2']);
    expect(ledger.task.version).toBe(2);
  });

  test('when the task is replaced between records, then the version keeps growing from the replaced task', () => {
    const ledger = new TaskLedger(task());
    ledger.record(ANNA, 'claimed', NOW);
    ledger.task = { ...released(ledger.task) };
    ledger.record(ANNA, 'released', NOW);
    expect(ledger.task.version).toBe(2);
    expect(ledger.task.status).toBe('open');
  });
});
