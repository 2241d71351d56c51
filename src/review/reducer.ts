/**
 * Review as a pure reducer: `apply(task, command, now) → { task, events, effects }`. The case
 * workflow holds the task and runs one command at a time under a lock (workflows/review.ts): it
 * re-validates against the current task, runs what has to happen before the change (a correction's
 * check re-run), applies, then runs the effects (inbox projection, deadline timers). Everything a
 * reviewer can do, four-eyes included, is decided here and unit-tested without Temporal.
 *
 * `apply` refuses what the rules refuse (a ReviewRuleError, like the Updates' validators); the
 * workflow's old, unlocked path calls `transition` instead, which changes the task exactly as the
 * code before the lock did, so histories recorded before it replay unchanged.
 */
import type { ReviewPolicy } from './policy.js';
import {
  claimed,
  escalated,
  isSenior,
  released,
  validateAddDocuments,
  validateClaim,
  validateDecide,
  validateNote,
  validateReassign,
  validateRelease,
  ReviewRuleError,
  type DecideInput,
} from './rules.js';
import type { Actor, Approval, FieldCorrection, ReviewAction, ReviewEvent, ReviewTask } from './types.js';
import { principalOf, SYSTEM_ACTOR } from './types.js';

/** What someone (or the engine's timers) asks of a task. */
export type ReviewCommand =
  | { type: 'claim'; actor: Actor }
  | { type: 'release'; actor: Actor }
  | { type: 'reassign'; actor: Actor; to: Actor }
  | { type: 'note'; actor: Actor; text: string }
  /** The corrections that come with a decision: recorded first, then the checks re-run on them. */
  | { type: 'correct'; actor: Actor; decision: DecideInput; documentIds: readonly string[] }
  /** `failedChecks`: the ids of the checks failing when the decision is taken (after any re-run). */
  | { type: 'decide'; actor: Actor; decision: DecideInput; documentIds: readonly string[]; failedChecks: readonly string[] }
  | { type: 'add_documents'; actor: Actor; count: number }
  | { type: 'remind' }
  | { type: 'escalate'; policy: ReviewPolicy; assigneeIsSenior: boolean };

/** What the workflow does after a command was applied, in this order. */
export type ReviewEffect =
  /** Re-run the case's checks on the corrected values (an activity) and keep the corrections. */
  | { kind: 'rerun_checks'; corrections: FieldCorrection[] }
  /** The task's deadline changed or stopped mattering: timers waiting on the old one stop. */
  | { kind: 'deadline_changed' }
  /** Hand the waiting workflow the documents that arrived. */
  | { kind: 'documents_arrived' }
  /** Write the task and its new events to the inbox database. */
  | { kind: 'project' };

export interface ReviewStep {
  task: ReviewTask;
  events: ReviewEvent[];
  effects: ReviewEffect[];
}

/** Refuses the command when the rules do (ReviewRuleError); otherwise says nothing. */
export function validate(task: ReviewTask, command: ReviewCommand): void {
  switch (command.type) {
    case 'claim':
      return validateClaim(task, command.actor);
    case 'release':
      return validateRelease(task, command.actor);
    case 'reassign':
      return validateReassign(task, command.actor, command.to);
    case 'note':
      return validateNote(task, command.actor, command.text);
    case 'correct':
    case 'decide':
      return validateDecide(task, command.actor, command.decision, command.documentIds);
    case 'add_documents':
      return validateAddDocuments(task, command.actor, command.count);
    case 'remind':
    case 'escalate':
      if (task.status === 'completed' || task.status === 'waiting_documents') {
        throw new ReviewRuleError('CONFLICT', `no ${command.type === 'remind' ? 'reminder' : 'escalation'} for a task that is ${task.status}`);
      }
      return;
  }
}

/** The command applied to the current task, refused (ReviewRuleError) when the rules say no. */
export function apply(task: ReviewTask, command: ReviewCommand, now: Date): ReviewStep {
  validate(task, command);
  return transition(task, command, now);
}

/** The change itself, without validation (the validators ran before, in the Update's pre-check). */
export function transition(task: ReviewTask, command: ReviewCommand, now: Date): ReviewStep {
  const step = new Step(task, now);
  switch (command.type) {
    case 'claim':
      return step.set(claimed(task, command.actor)).event(command.actor, 'claimed').then('project');
    case 'release':
      return step.set(released(task)).event(command.actor, 'released').then('project');
    case 'reassign':
      return step
        .set(claimed(task, command.to))
        .event(command.actor, 'reassigned', { from: task.assignee ?? null, to: command.to.name })
        .then('project');
    case 'note':
      return step.event(command.actor, 'note', { text: command.text }).then('project');
    case 'correct': {
      const corrections = command.decision.corrections ?? [];
      const s = step.event(command.actor, 'corrected', { fields: corrections.map((c) => ({ documentId: c.documentId, field: c.field })) });
      return { ...s.done(), effects: [{ kind: 'rerun_checks', corrections }] };
    }
    case 'decide':
      return decide(step, task, command, now);
    case 'add_documents':
      return step.event(command.actor, 'documents_received', { documents: command.count }).then('documents_arrived', 'project');
    case 'remind':
      return step.event(SYSTEM_ACTOR, 'reminder', { dueAt: task.dueAt }).then('project');
    case 'escalate':
      if (task.queue === 'standard') {
        return step
          .set(escalated(task, now, command.policy, command.assigneeIsSenior))
          .event(SYSTEM_ACTOR, 'escalated', { from: 'standard', to: 'senior' })
          .then('deadline_changed', 'project');
      }
      // Already in the senior queue: overdue, kept there with high priority.
      return step
        .set({ ...task, priority: 'high', escalatedAt: now.toISOString() })
        .event(SYSTEM_ACTOR, 'escalated', { queue: 'senior', overdue: true })
        .then('project');
  }
}

/** The approval a person gives: names the person across their keys where the key names one. */
export function approvalOf(actor: Actor, reason: string, now: Date): Approval {
  const principal = principalOf(actor);
  return { by: actor.name, keyId: actor.keyId, senior: isSenior(actor), at: now.toISOString(), reason, ...(principal ? { principal } : {}) };
}

function decide(step: Step, task: ReviewTask, command: Extract<ReviewCommand, { type: 'decide' }>, now: Date): ReviewStep {
  const { actor, decision } = command;
  // An approval over failed checks is a person's explicit decision: the event names what it overrides.
  const overrides = decision.decision === 'approve' ? [...command.failedChecks] : [];
  const overriding = overrides.length > 0 ? { overridesFailedChecks: overrides } : {};
  if (decision.decision === 'approve' && task.fourEyes && task.approvals.length === 0) {
    const approval = approvalOf(actor, decision.reason, now);
    // The second approver: anyone else when the first was senior, otherwise a senior reviewer.
    const next = { ...released(task), approvals: [approval], queue: approval.senior ? ('standard' as const) : ('senior' as const) };
    return step.set(next).event(actor, 'first_approval', { reason: decision.reason, next: next.queue, ...overriding }).then('project');
  }
  const final = { decision: decision.decision, by: actor.name, keyId: actor.keyId, at: now.toISOString(), reason: decision.reason };
  if (decision.decision === 'request_documents') {
    return step
      .set({ ...released(task), status: 'waiting_documents', final })
      .event(actor, 'documents_requested', { reason: decision.reason })
      .then('deadline_changed', 'project');
  }
  const approvals = decision.decision === 'approve' && task.fourEyes ? [...task.approvals, approvalOf(actor, decision.reason, now)] : task.approvals;
  return step
    .set({ ...task, status: 'completed', approvals, final })
    .event(actor, decision.decision === 'approve' ? 'approved' : 'rejected', { reason: decision.reason, ...overriding })
    .then('deadline_changed', 'project');
}

/**
 * One event on the task: bumps its version; the event id is `<taskId>:<version>` (the version counts
 * the task's events, so the id is deterministic and a retried projection is a no-op).
 */
export function withEvent(
  task: ReviewTask,
  actor: Actor,
  action: ReviewAction,
  now: Date,
  detail?: Record<string, unknown>,
): { task: ReviewTask; event: ReviewEvent } {
  const next = { ...task, version: task.version + 1, updatedAt: now.toISOString() };
  return {
    task: next,
    event: {
      eventId: `${next.taskId}:${next.version}`,
      taskId: next.taskId,
      caseId: next.caseId,
      at: now.toISOString(),
      actor: actor.name,
      actorKeyId: actor.keyId,
      action,
      ...(detail ? { detail } : {}),
    },
  };
}

class Step {
  private readonly events: ReviewEvent[] = [];
  constructor(
    private task: ReviewTask,
    private readonly now: Date,
  ) {}

  set(task: ReviewTask): this {
    this.task = task;
    return this;
  }

  event(actor: Actor, action: ReviewAction, detail?: Record<string, unknown>): this {
    const { task, event } = withEvent(this.task, actor, action, this.now, detail);
    this.task = task;
    this.events.push(event);
    return this;
  }

  then(...kinds: Array<Exclude<ReviewEffect['kind'], 'rerun_checks'>>): ReviewStep {
    return { ...this.done(), effects: kinds.map((kind) => ({ kind }) as ReviewEffect) };
  }

  done(): ReviewStep {
    return { task: this.task, events: [...this.events], effects: [] };
  }
}
