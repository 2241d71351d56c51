import { describe, expect, test } from 'vitest';
import type { ReviewPolicy } from '../../src/review/policy.js';
import { apply, transition, type ReviewCommand, type ReviewStep } from '../../src/review/reducer.js';
import { newTask, ReviewRuleError, type DecideInput } from '../../src/review/rules.js';
import type { Actor, ReviewTask } from '../../src/review/types.js';

const NOW = new Date('2026-11-21T09:00:00.000Z');
const LATER = new Date('2026-11-21T09:05:00.000Z');
const POLICY: ReviewPolicy = {
  queues: { standard: { deadline: '24h', reminder: '20h' }, senior: { deadline: '8h', reminder: '6h' } },
  qualityControlSampleRate: 0,
};
const DOCS = ['doc-1'];

const person = (keyId: string, name: string, roles: Actor['roles']): Actor => ({ keyId, name, roles, org: 'bank', person: name });
const ANNA = person('k-anna', 'anna', ['reviewer']);
const BEN = person('k-ben', 'ben', ['reviewer']);
const SARA = person('k-sara', 'sara', ['senior_reviewer']);
/** Sara's second key: the same person. */
const SARA_2 = person('k-sara-2', 'sara', ['senior_reviewer']);
const SAM = person('k-sam', 'sam', ['senior_reviewer']);
const SUBMITTER = person('k-sub', 'intake', ['submitter', 'reviewer']);

function task(highRisk = false): ReviewTask {
  return newTask({
    workflowId: 'kyc-case-b-1-case-001',
    caseId: 'case-001',
    batchId: 'b-1',
    round: 1,
    reasons: highRisk ? ['sanctions_match'] : ['name_mismatch'],
    highRisk,
    submittedBy: 'bank/intake',
    now: NOW,
    policy: POLICY,
  });
}

/** Applies the commands in order, each on the task the previous one left. */
function run(start: ReviewTask, ...commands: ReviewCommand[]): ReviewStep {
  let step: ReviewStep = { task: start, events: [], effects: [] };
  for (const command of commands) step = apply(step.task, command, NOW);
  return step;
}

const approve = (reason = 'documents consistent', corrections?: DecideInput['corrections']): DecideInput => ({
  decision: 'approve',
  reason,
  ...(corrections ? { corrections } : {}),
});
const claim = (actor: Actor): ReviewCommand => ({ type: 'claim', actor });
const decide = (actor: Actor, decision: DecideInput, failedChecks: string[] = []): ReviewCommand => ({ type: 'decide', actor, decision, documentIds: DOCS, failedChecks });

function refusal(action: () => unknown): ReviewRuleError {
  try {
    action();
  } catch (err) {
    if (err instanceof ReviewRuleError) return err;
    throw err;
  }
  throw new Error('expected a ReviewRuleError, but the command was applied');
}

/** Freezes the task deeply, so that a reducer changing its input throws. */
function frozen(t: ReviewTask): ReviewTask {
  for (const value of Object.values(t)) if (value && typeof value === 'object') Object.freeze(value);
  return Object.freeze(t);
}

describe('each command, when allowed, changes the task and says what to do', () => {
  test('claim: the task is the actor\'s, one event numbered by the version, projected', () => {
    const start = frozen(task());
    const step = apply(start, claim(ANNA), LATER);
    expect(step.task).toMatchObject({ status: 'claimed', assignee: 'anna', assigneeKeyId: 'k-anna', version: 1, updatedAt: LATER.toISOString() });
    expect(step.events).toEqual([
      { eventId: 'kyc-case-b-1-case-001:1:1', taskId: 'kyc-case-b-1-case-001:1', caseId: 'case-001', at: LATER.toISOString(), actor: 'anna', actorKeyId: 'k-anna', action: 'claimed' },
    ]);
    expect(step.effects).toEqual([{ kind: 'project' }]);
    expect(start.status).toBe('open');
  });

  test('release: open again without an assignee', () => {
    const step = run(task(), claim(ANNA), { type: 'release', actor: ANNA });
    expect(step.task.status).toBe('open');
    expect(step.task.assignee).toBeUndefined();
    expect(step.task.assigneeKeyId).toBeUndefined();
    expect(step.events.map((e) => [e.action, e.eventId])).toEqual([['released', 'kyc-case-b-1-case-001:1:2']]);
  });

  test('reassign: a senior gives the task to someone else; the event names both', () => {
    const step = run(task(), claim(ANNA), { type: 'reassign', actor: SARA, to: BEN });
    expect(step.task).toMatchObject({ status: 'claimed', assignee: 'ben', assigneeKeyId: 'k-ben' });
    expect(step.events[0]).toMatchObject({ actor: 'sara', action: 'reassigned', detail: { from: 'anna', to: 'ben' } });
  });

  test('note: only an event (the task\'s version moves)', () => {
    const before = run(task(), claim(ANNA)).task;
    const step = apply(before, { type: 'note', actor: BEN, text: 'called the applicant' }, NOW);
    expect(step.task).toEqual({ ...before, version: before.version + 1 });
    expect(step.events[0]).toMatchObject({ action: 'note', detail: { text: 'called the applicant' } });
  });

  test('correct: the corrected fields are recorded (not their values) and the checks must be run again', () => {
    const corrections = [{ documentId: 'doc-1', field: 'fullName' as const, value: 'Jane Doe' }];
    const step = run(task(), claim(ANNA), { type: 'correct', actor: ANNA, decision: approve('ok', corrections), documentIds: DOCS });
    expect(step.events[0]).toMatchObject({ action: 'corrected', detail: { fields: [{ documentId: 'doc-1', field: 'fullName' }] } });
    expect(JSON.stringify(step.events)).not.toContain('Jane Doe');
    expect(step.effects).toEqual([{ kind: 'rerun_checks', corrections }]);
    expect(step.task.status).toBe('claimed');
  });

  test('approve: completed, and the approval names the failed checks it overrides', () => {
    const step = run(task(), claim(ANNA), decide(ANNA, approve(), ['mrz_checksum']));
    expect(step.task).toMatchObject({ status: 'completed', approvals: [], final: { decision: 'approve', by: 'anna', keyId: 'k-anna', reason: 'documents consistent' } });
    expect(step.events[0]).toMatchObject({ action: 'approved', detail: { reason: 'documents consistent', overridesFailedChecks: ['mrz_checksum'] } });
    expect(step.effects).toEqual([{ kind: 'deadline_changed' }, { kind: 'project' }]);
    const clean = run(task(), claim(ANNA), decide(ANNA, approve()));
    expect(clean.events[0]!.detail).toEqual({ reason: 'documents consistent' });
  });

  test('reject: completed, no override named (failed checks are what a rejection agrees with)', () => {
    const step = run(task(), claim(ANNA), decide(ANNA, { decision: 'reject', reason: 'forged bill' }, ['address_matches_declared']));
    expect(step.task).toMatchObject({ status: 'completed', final: { decision: 'reject', by: 'anna' } });
    expect(step.events[0]).toMatchObject({ action: 'rejected', detail: { reason: 'forged bill' } });
  });

  test('request_documents: released, waiting for documents, deadline stops', () => {
    const step = run(task(), claim(ANNA), decide(ANNA, { decision: 'request_documents', reason: 'need a passport' }));
    expect(step.task).toMatchObject({ status: 'waiting_documents', final: { decision: 'request_documents' } });
    expect(step.task.assignee).toBeUndefined();
    expect(step.effects).toEqual([{ kind: 'deadline_changed' }, { kind: 'project' }]);
  });

  test('add_documents: recorded and handed to the waiting workflow', () => {
    const waiting = run(task(), claim(ANNA), decide(ANNA, { decision: 'request_documents', reason: 'need a passport' })).task;
    const step = apply(waiting, { type: 'add_documents', actor: SUBMITTER, count: 2 }, NOW);
    expect(step.events[0]).toMatchObject({ action: 'documents_received', detail: { documents: 2 } });
    expect(step.effects).toEqual([{ kind: 'documents_arrived' }, { kind: 'project' }]);
  });

  test('remind: an event with the due date', () => {
    const t = task();
    const step = apply(t, { type: 'remind' }, NOW);
    expect(step.events[0]).toMatchObject({ actor: 'system', action: 'reminder', detail: { dueAt: t.dueAt } });
  });

  test('escalate from the standard queue: senior queue, high priority, a fresh deadline, a standard reviewer\'s claim released', () => {
    const claimedByAnna = run(task(), claim(ANNA)).task;
    const step = apply(claimedByAnna, { type: 'escalate', policy: POLICY, assigneeIsSenior: false }, LATER);
    expect(step.task).toMatchObject({ queue: 'senior', priority: 'high', status: 'open', escalatedAt: LATER.toISOString() });
    expect(Date.parse(step.task.dueAt) - LATER.getTime()).toBe(8 * 3600_000);
    expect(step.effects).toEqual([{ kind: 'deadline_changed' }, { kind: 'project' }]);
  });

  test('escalate in the senior queue: overdue, kept there, deadline unchanged', () => {
    const t = task(true);
    const step = apply(t, { type: 'escalate', policy: POLICY, assigneeIsSenior: false }, LATER);
    expect(step.task).toMatchObject({ queue: 'senior', priority: 'high', dueAt: t.dueAt });
    expect(step.events[0]).toMatchObject({ action: 'escalated', detail: { queue: 'senior', overdue: true } });
    expect(step.effects).toEqual([{ kind: 'project' }]);
  });
});

describe('four-eyes: two approvals by different people, one of them senior', () => {
  test('a senior\'s first approval releases the task to the standard queue and records the person', () => {
    const step = run(task(true), claim(SARA), decide(SARA, approve('different birth date')));
    expect(step.task).toMatchObject({ status: 'open', queue: 'standard', approvals: [{ by: 'sara', keyId: 'k-sara', senior: true, principal: 'bank/sara' }] });
    expect(step.task.final).toBeUndefined();
    expect(step.events[0]).toMatchObject({ action: 'first_approval', detail: { next: 'standard' } });
    expect(step.effects).toEqual([{ kind: 'project' }]);
  });

  test('a standard reviewer\'s first approval sends it to the senior queue', () => {
    // Made up for the rule: a four-eyes task in the standard queue, so that a standard reviewer approves first.
    const t = { ...task(true), queue: 'standard' as const };
    const step = run(t, claim(ANNA), decide(ANNA, approve()));
    expect(step.task).toMatchObject({ queue: 'senior', approvals: [{ by: 'anna', senior: false }] });
  });

  test('a second person completes it with both approvals', () => {
    const step = run(task(true), claim(SARA), decide(SARA, approve()), claim(ANNA), decide(ANNA, approve('agree')));
    expect(step.task).toMatchObject({ status: 'completed', final: { decision: 'approve', by: 'anna' } });
    expect(step.task.approvals.map((a) => a.by)).toEqual(['sara', 'anna']);
  });

  test('the same approval applied twice from the same start (two concurrent Updates): the second is refused on the task the first left', () => {
    const claimedBySara = run(task(true), claim(SARA)).task;
    const first = apply(claimedBySara, decide(SARA, approve()), NOW);
    const err = refusal(() => apply(first.task, decide(SARA, approve()), NOW));
    expect(err.code).toBe('FORBIDDEN');
    expect(first.task.approvals).toHaveLength(1);
    expect(first.task.status).not.toBe('completed');
  });

  test('the same person may not give the second approval: not with the same key, not with another key of theirs', () => {
    const afterSara = run(task(true), claim(SARA), decide(SARA, approve())).task;
    expect(refusal(() => apply(afterSara, claim(SARA), NOW)).message).toMatch(/four-eyes/);
    expect(refusal(() => apply(afterSara, claim(SARA_2), NOW)).message).toMatch(/four-eyes/);
    // Even holding the task (claimed before the approval was given), the decision is refused.
    const held = { ...afterSara, status: 'claimed' as const, assignee: 'sara', assigneeKeyId: 'k-sara-2' };
    const err = refusal(() => apply(held, decide(SARA_2, approve()), NOW));
    expect(err).toMatchObject({ code: 'FORBIDDEN' });
    expect(err.message).toMatch(/different reviewer/);
  });

  test('a person is matched by principal too: a renamed key of the same person is still them', () => {
    const afterSara = run(task(true), claim(SARA), decide(SARA, approve())).task;
    const renamed: Actor = { ...SARA_2, name: 'Sara K.' };
    const held = { ...afterSara, status: 'claimed' as const, assignee: 'Sara K.', assigneeKeyId: renamed.keyId };
    expect(refusal(() => apply(held, decide(renamed, approve()), NOW)).message).toMatch(/different reviewer/);
    // Another person of the same rank is fine.
    expect(apply({ ...held, assignee: 'sam', assigneeKeyId: SAM.keyId }, decide(SAM, approve()), NOW).task.status).toBe('completed');
  });

  test('two standard reviewers are not enough: one approval must be senior', () => {
    const t = { ...task(true), queue: 'standard' as const };
    const afterAnna = run(t, claim(ANNA), decide(ANNA, approve())).task;
    const held = { ...afterAnna, status: 'claimed' as const, assignee: 'ben', assigneeKeyId: 'k-ben' };
    expect(refusal(() => apply(held, decide(BEN, approve()), NOW)).message).toMatch(/senior/);
  });

  test('a rejection needs no second person', () => {
    const step = run(task(true), claim(SARA), decide(SARA, { decision: 'reject', reason: 'listed person' }));
    expect(step.task).toMatchObject({ status: 'completed', approvals: [], final: { decision: 'reject' } });
  });
});

describe('refusals: the same rules as the Updates\' validators, typed by code', () => {
  const cases: Array<[string, () => unknown, ReviewRuleError['code'], RegExp]> = [
    ['deciding before claiming', () => apply(task(), decide(ANNA, approve()), NOW), 'FORBIDDEN', /claim the task first/],
    ['claiming a task someone holds', () => run(task(), claim(ANNA), claim(BEN)), 'CONFLICT', /claimed by anna/],
    ['claiming twice', () => run(task(), claim(ANNA), claim(ANNA)), 'CONFLICT', /already claimed/],
    ['a standard reviewer on the senior queue', () => apply(task(true), claim(ANNA), NOW), 'FORBIDDEN', /senior_reviewer/],
    ['the submitter reviewing', () => apply(task(), claim(SUBMITTER), NOW), 'FORBIDDEN', /separation of duties/],
    ['releasing someone else\'s task', () => run(task(), claim(ANNA), { type: 'release', actor: BEN }), 'FORBIDDEN', /assignee/],
    ['a decision without a reason', () => run(task(), claim(ANNA), decide(ANNA, approve('  '))), 'INVALID', /reason/],
    ['a correction of a document not in the case', () => run(task(), claim(ANNA), { type: 'correct', actor: ANNA, decision: approve('ok', [{ documentId: 'doc-9', field: 'fullName', value: 'x' }]), documentIds: DOCS }), 'INVALID', /no document doc-9/],
    ['an empty note', () => apply(task(), { type: 'note', actor: ANNA, text: ' ' }, NOW), 'INVALID', /text/],
    ['documents when none were asked for', () => apply(task(), { type: 'add_documents', actor: SUBMITTER, count: 1 }, NOW), 'CONFLICT', /not waiting/],
    ['deciding a decided task', () => run(task(), claim(ANNA), decide(ANNA, approve()), decide(ANNA, approve())), 'CONFLICT', /already decided/],
    ['escalating a decided task', () => run(task(), claim(ANNA), decide(ANNA, approve()), { type: 'escalate', policy: POLICY, assigneeIsSenior: false }), 'CONFLICT', /escalation/],
    ['a reminder on a task waiting for documents', () => run(task(), claim(ANNA), decide(ANNA, { decision: 'request_documents', reason: 'x' }), { type: 'remind' }), 'CONFLICT', /reminder/],
  ];
  for (const [name, action, code, message] of cases) {
    test(`when ${name}, then it is refused (${code})`, () => {
      const err = refusal(action);
      expect(err.code).toBe(code);
      expect(err.message).toMatch(message);
    });
  }

  test('transition (the pre-lock path kept for old histories) does not validate: apply does', () => {
    const open = task();
    expect(refusal(() => apply(open, decide(ANNA, approve()), NOW)).code).toBe('FORBIDDEN');
    expect(transition(open, decide(ANNA, approve()), NOW).task.status).toBe('completed');
  });
});
