/**
 * Who may do what to a review task, and what each action does to it: pure functions, run inside
 * the case workflow (validators and handlers of its Updates) and unit-tested without Temporal.
 *
 * - Candidate groups: the standard queue is worked by reviewers and senior reviewers, the senior
 *   queue by senior reviewers only.
 * - Only the assignee decides, releases (or a senior reassigns).
 * - Separation of duties: the person who submitted the batch never reviews its cases, with any key.
 * - Four-eyes: a high-risk case needs two approvals by different people, one of them senior.
 *
 * What each action does to the task is the reducer in reducer.ts; this file holds the rules it applies.
 */
import { CHECK_IDS } from '../domain/check-ids.js';
import type { Check } from '../domain/report.js';
import type { ReviewPolicy } from './policy.js';
import { durationMs } from './policy.js';
import type {
  Actor,
  FieldCorrection,
  ReviewAction,
  ReviewDecision,
  ReviewEvent,
  ReviewQueue,
  ReviewTask,
  Role,
} from './types.js';
import { principalOf } from './types.js';

export class ReviewRuleError extends Error {
  override name = 'ReviewRuleError';
  constructor(
    readonly code: 'FORBIDDEN' | 'CONFLICT' | 'INVALID',
    message: string,
  ) {
    super(message);
  }
}

const QUEUE_ROLES: Record<ReviewQueue, readonly Role[]> = {
  standard: ['reviewer', 'senior_reviewer'],
  senior: ['senior_reviewer'],
};

export const REVIEWER_ROLES: readonly Role[] = ['reviewer', 'senior_reviewer'];
export const DOCUMENT_SENDER_ROLES: readonly Role[] = ['submitter', 'reviewer', 'senior_reviewer', 'admin'];

export function isSenior(actor: Actor): boolean {
  return actor.roles.includes('senior_reviewer');
}

export function mayWorkQueue(actor: Actor, queue: ReviewQueue): boolean {
  return actor.roles.some((r) => QUEUE_ROLES[queue].includes(r));
}

function fail(code: ReviewRuleError['code'], message: string): never {
  throw new ReviewRuleError(code, message);
}

function requireOpenForWork(task: ReviewTask): void {
  if (task.status === 'completed') fail('CONFLICT', 'the review is already decided');
  if (task.status === 'waiting_documents') fail('CONFLICT', 'the case is waiting for documents');
}

/**
 * Per person: `submittedBy` is the submitter's `<org>/<person>` (any of their keys), or a key id for
 * batches from before keys named people. A validator only, so old histories replay unchanged.
 */
function requireNotSubmitter(task: ReviewTask, actor: Actor): void {
  if (task.submittedBy !== undefined && (task.submittedBy === actor.keyId || task.submittedBy === principalOf(actor))) {
    fail('FORBIDDEN', 'separation of duties: the submitter of a batch may not review its cases');
  }
}

/** A second approval must come from someone else, and one of the two approvers must be senior. */
function requireFourEyesEligible(task: ReviewTask, actor: Actor): void {
  if (!task.fourEyes) return;
  const first = task.approvals[0];
  if (!first) return;
  // Per person too: approvals record the person (`<org>/<person>`, see principalOf) and their name,
  // and names are unique among an organisation's people.
  const principal = principalOf(actor);
  const samePerson =
    first.keyId === actor.keyId ||
    (principal !== undefined && first.principal === principal) ||
    (actor.person !== undefined && first.by === actor.name);
  if (samePerson) fail('FORBIDDEN', 'four-eyes: the second approval must come from a different reviewer');
  if (!first.senior && !isSenior(actor)) fail('FORBIDDEN', 'four-eyes: one of the two approvals must come from a senior reviewer');
}

export function validateClaim(task: ReviewTask, actor: Actor): void {
  requireOpenForWork(task);
  if (!mayWorkQueue(actor, task.queue)) fail('FORBIDDEN', `the ${task.queue} queue needs the role ${QUEUE_ROLES[task.queue].join(' or ')}`);
  requireNotSubmitter(task, actor);
  requireFourEyesEligible(task, actor);
  if (task.status === 'claimed') {
    if (task.assigneeKeyId === actor.keyId) fail('CONFLICT', 'you have already claimed this task');
    fail('CONFLICT', `the task is claimed by ${task.assignee ?? 'someone else'}`);
  }
}

export function validateRelease(task: ReviewTask, actor: Actor): void {
  requireOpenForWork(task);
  if (task.status !== 'claimed') fail('CONFLICT', 'the task is not claimed');
  if (task.assigneeKeyId !== actor.keyId && !isSenior(actor) && !actor.roles.includes('admin')) {
    fail('FORBIDDEN', 'only the assignee (or a senior reviewer) may release the task');
  }
}

/** Reassign to another reviewer: by the assignee, a senior reviewer or an admin. */
export function validateReassign(task: ReviewTask, actor: Actor, to: Actor): void {
  requireOpenForWork(task);
  const mayReassign = task.assigneeKeyId === actor.keyId || isSenior(actor) || actor.roles.includes('admin');
  if (!mayReassign) fail('FORBIDDEN', 'only the assignee, a senior reviewer or an admin may reassign the task');
  if (to.keyId === task.assigneeKeyId) fail('CONFLICT', `the task is already assigned to ${to.name}`);
  if (!mayWorkQueue(to, task.queue)) fail('INVALID', `${to.name} may not work the ${task.queue} queue`);
  requireNotSubmitter(task, to);
  requireFourEyesEligible(task, to);
}

export interface DecideInput {
  decision: ReviewDecision;
  reason: string;
  corrections?: FieldCorrection[];
}

export function validateDecide(task: ReviewTask, actor: Actor, input: DecideInput, documentIds: readonly string[]): void {
  requireOpenForWork(task);
  if (task.status !== 'claimed' || task.assigneeKeyId !== actor.keyId) fail('FORBIDDEN', 'only the assignee may decide: claim the task first');
  requireNotSubmitter(task, actor);
  if (!input.reason || input.reason.trim().length === 0) fail('INVALID', 'a decision needs a reason');
  if (input.decision === 'approve') requireFourEyesEligible(task, actor);
  for (const c of input.corrections ?? []) {
    if (!documentIds.includes(c.documentId)) fail('INVALID', `no document ${c.documentId} in this case`);
  }
}

export function validateNote(task: ReviewTask, actor: Actor, text: string): void {
  if (!actor.roles.some((r) => REVIEWER_ROLES.includes(r) || r === 'admin')) fail('FORBIDDEN', 'notes need a reviewer role');
  if (!text || text.trim().length === 0) fail('INVALID', 'a note needs text');
  if (text.length > 4000) fail('INVALID', 'a note is at most 4000 characters');
  void task;
}

export function validateAddDocuments(task: ReviewTask, actor: Actor, count: number): void {
  if (!actor.roles.some((r) => DOCUMENT_SENDER_ROLES.includes(r))) fail('FORBIDDEN', 'sending documents needs the submitter or a reviewer role');
  if (task.status !== 'waiting_documents') fail('CONFLICT', 'the case is not waiting for documents');
  if (count === 0) fail('INVALID', 'no documents');
}

/**
 * The task and its events not yet projected. Every change bumps the task's version, and an event's
 * id is `<taskId>:<version>` (the version counts the task's events; see withEvent in reducer.ts).
 */
export class TaskLedger {
  readonly pending: ReviewEvent[] = [];

  constructor(public task: ReviewTask) {}

  record(actor: Actor, action: ReviewAction, now: Date, detail?: Record<string, unknown>): void {
    this.task = { ...this.task, version: this.task.version + 1, updatedAt: now.toISOString() };
    this.pending.push({
      eventId: `${this.task.taskId}:${this.task.version}`,
      taskId: this.task.taskId,
      caseId: this.task.caseId,
      at: now.toISOString(),
      actor: actor.name,
      actorKeyId: actor.keyId,
      action,
      ...(detail ? { detail } : {}),
    });
  }

  /** Takes a reducer step's task and events (see apply in reducer.ts). */
  commit(step: { task: ReviewTask; events: readonly ReviewEvent[] }): void {
    this.task = step.task;
    this.pending.push(...step.events);
  }

  /** Events not yet written to the inbox projection. */
  drain(): ReviewEvent[] {
    return this.pending.splice(0, this.pending.length);
  }
}

export interface NewTaskInput {
  workflowId: string;
  caseId: string;
  batchId: string;
  round: number;
  reasons: string[];
  highRisk: boolean;
  submittedBy?: string;
  now: Date;
  policy: ReviewPolicy;
}

export function deadlines(queue: ReviewQueue, from: Date, policy: ReviewPolicy): { dueAt: string; followUpAt: string } {
  const q = policy.queues[queue];
  return {
    dueAt: new Date(from.getTime() + durationMs(q.deadline)).toISOString(),
    followUpAt: new Date(from.getTime() + durationMs(q.reminder)).toISOString(),
  };
}

/** High-risk cases start in the senior queue with high priority and need four eyes. */
export function newTask(input: NewTaskInput): ReviewTask {
  const queue: ReviewQueue = input.highRisk ? 'senior' : 'standard';
  return {
    taskId: `${input.workflowId}:${input.round}`,
    workflowId: input.workflowId,
    caseId: input.caseId,
    batchId: input.batchId,
    round: input.round,
    version: 0,
    queue,
    status: 'open',
    priority: input.highRisk ? 'high' : 'normal',
    createdAt: input.now.toISOString(),
    updatedAt: input.now.toISOString(),
    ...deadlines(queue, input.now, input.policy),
    reasons: input.reasons,
    fourEyes: input.highRisk,
    approvals: [],
    ...(input.submittedBy ? { submittedBy: input.submittedBy } : {}),
  };
}

export function claimed(task: ReviewTask, actor: Actor): ReviewTask {
  return { ...task, status: 'claimed', assignee: actor.name, assigneeKeyId: actor.keyId };
}

export function released(task: ReviewTask): ReviewTask {
  const { assignee: _a, assigneeKeyId: _k, ...rest } = task;
  return { ...rest, status: 'open' };
}

/**
 * Deadline breached: the task moves to the senior queue with high priority and a fresh deadline;
 * the claim of an assignee who is not senior is released (the senior queue is not theirs).
 */
export function escalated(task: ReviewTask, now: Date, policy: ReviewPolicy, assigneeIsSenior: boolean): ReviewTask {
  const base = task.status === 'claimed' && !assigneeIsSenior ? released(task) : task;
  return {
    ...base,
    queue: 'senior',
    priority: 'high',
    escalatedAt: now.toISOString(),
    ...deadlines('senior', now, policy),
  };
}

/** Appended to a check a correction could not re-run (its inputs are not fields a reviewer types). */
export const KEPT_AFTER_CORRECTION = ' (kept: not re-run on corrected values)';

/**
 * The checks after a reviewer's corrections: the re-run's verdicts, plus every earlier verdict the
 * re-run gave no new one for. A correction can change a verdict only by a new verdict on the same
 * check (same id, and the same document where both name one); it can never make a failed check
 * disappear. The MRZ checks are the case in point: the re-run sees the corrected fields, not the
 * MRZ band, so a typed expiry date does not re-verify check digits and `mrz_checksum` /
 * `mrz_vs_visual` stay as the engine found them until a reviewer decides.
 */
export function checksAfterCorrections(previous: readonly Check[], rerun: readonly Check[]): Check[] {
  const answers = (old: Check): boolean =>
    rerun.some((c) => c.id === old.id && (c.file === old.file || c.file === undefined || old.file === undefined));
  const kept = previous
    .filter((old) => !answers(old))
    .map((old) => (old.detail.endsWith(KEPT_AFTER_CORRECTION) ? old : { ...old, detail: `${old.detail}${KEPT_AFTER_CORRECTION}` }));
  const order = (c: Check): number => {
    const i = (CHECK_IDS as readonly string[]).indexOf(c.id);
    return i === -1 ? CHECK_IDS.length : i;
  };
  // Grouped in CHECK_IDS order as runChecks reports them (a stable sort keeps document order).
  return [...rerun, ...kept].map((c, i) => ({ c, i })).sort((a, b) => order(a.c) - order(b.c) || a.i - b.i).map(({ c }) => c);
}

/** Ids of the checks that failed, once each, in report order: what a reviewer's approval overrides. */
export function failedCheckIds(checks: readonly Check[]): string[] {
  return [...new Set(checks.filter((c) => c.status === 'fail').map((c) => c.id))];
}
