/**
 * Where a case's time goes, from its workflow history: running activities, waiting for a busy
 * worker slot, and orchestration (Temporal dispatching a task to a free slot, workflow tasks, the
 * gaps between one activity's end and the next one's schedule). Pure: works on history events as
 * plain objects (the shape `fetchHistory()` returns), so it is testable without a server.
 */

/** One activity execution of a case, in epoch milliseconds. */
export interface ActivitySpan {
  activity: string;
  queue: string;
  scheduled: number;
  /** The last attempt's start; undefined while it was never started. */
  started?: number;
  /** Completed, failed, timed out or cancelled; undefined while still open. */
  closed?: number;
}

/** One workflow task of a case, in epoch milliseconds. */
export interface WorkflowTaskSpan {
  scheduled: number;
  started?: number;
  /** Completed, failed or timed out. */
  closed?: number;
}

export interface CaseTimeline {
  start: number;
  /** The case's automatic outcome: its signal to the batch, or its close when it sent none. */
  end: number;
  activities: ActivitySpan[];
  /** Workflow tasks that began inside the window. */
  workflowTasks: WorkflowTaskSpan[];
}

export interface TimeBreakdown {
  wallMs: number;
  /** At least one of the case's activities was running. */
  runningMs: number;
  /** Nothing ran; an activity was scheduled but every slot of its task queue was busy (capacity, not overhead). */
  queuedMs: number;
  /** Nothing ran; an activity was scheduled and its task queue had a free slot (dispatch latency: overhead). */
  dispatchMs: number;
  /** Nothing ran or waited: workflow tasks and the time between activities (overhead). */
  idleMs: number;
}

/** The orchestration overhead: dispatch plus idle time, as a share of wall time. */
export function overheadShare(b: TimeBreakdown): number {
  return b.wallMs > 0 ? (b.dispatchMs + b.idleMs) / b.wallMs : 0;
}

// --- history events --------------------------------------------------------------------------

type LongLike = number | string | bigint | { toString(): string } | null | undefined;

export interface HistoryEventLike {
  eventId?: LongLike;
  eventTime?: { seconds?: LongLike; nanos?: number | null } | null;
  workflowExecutionStartedEventAttributes?: object | null;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null; taskQueue?: { name?: string | null } | null } | null;
  activityTaskStartedEventAttributes?: { scheduledEventId?: LongLike } | null;
  activityTaskCompletedEventAttributes?: { scheduledEventId?: LongLike } | null;
  activityTaskFailedEventAttributes?: { scheduledEventId?: LongLike } | null;
  activityTaskTimedOutEventAttributes?: { scheduledEventId?: LongLike } | null;
  activityTaskCanceledEventAttributes?: { scheduledEventId?: LongLike } | null;
  workflowTaskScheduledEventAttributes?: object | null;
  workflowTaskStartedEventAttributes?: { scheduledEventId?: LongLike } | null;
  workflowTaskCompletedEventAttributes?: { scheduledEventId?: LongLike } | null;
  workflowTaskFailedEventAttributes?: { scheduledEventId?: LongLike } | null;
  workflowTaskTimedOutEventAttributes?: { scheduledEventId?: LongLike } | null;
  signalExternalWorkflowExecutionInitiatedEventAttributes?: object | null;
  workflowExecutionCompletedEventAttributes?: object | null;
  workflowExecutionFailedEventAttributes?: object | null;
  workflowExecutionTimedOutEventAttributes?: object | null;
  workflowExecutionTerminatedEventAttributes?: object | null;
  workflowExecutionCanceledEventAttributes?: object | null;
  workflowExecutionContinuedAsNewEventAttributes?: object | null;
}

/** A protobuf Timestamp (seconds may be a Long) in epoch milliseconds. */
export function timestampMs(ts: HistoryEventLike['eventTime']): number {
  if (!ts) throw new Error('history event without a time');
  return Number(String(ts.seconds ?? 0)) * 1000 + (ts.nanos ?? 0) / 1e6;
}

function idOf(value: LongLike): string {
  return String(value ?? '');
}

/** The case window and activity spans of one case workflow's history. */
export function caseTimeline(events: readonly HistoryEventLike[]): CaseTimeline {
  let start: number | undefined;
  let signalled: number | undefined;
  let closed: number | undefined;
  const spans = new Map<string, ActivitySpan>();
  const tasks = new Map<string, WorkflowTaskSpan>();
  for (const event of events) {
    const at = timestampMs(event.eventTime);
    const scheduled = event.activityTaskScheduledEventAttributes;
    const taskEnd = event.workflowTaskCompletedEventAttributes ?? event.workflowTaskFailedEventAttributes ?? event.workflowTaskTimedOutEventAttributes;
    if (event.workflowExecutionStartedEventAttributes) start ??= at;
    else if (event.workflowTaskScheduledEventAttributes) tasks.set(idOf(event.eventId), { scheduled: at });
    else if (event.workflowTaskStartedEventAttributes) {
      const task = tasks.get(idOf(event.workflowTaskStartedEventAttributes.scheduledEventId));
      if (task) task.started = at;
    } else if (taskEnd) {
      const task = tasks.get(idOf(taskEnd.scheduledEventId));
      if (task) task.closed = at;
    }
    else if (scheduled) {
      spans.set(idOf(event.eventId), { activity: scheduled.activityType?.name ?? '?', queue: scheduled.taskQueue?.name ?? '?', scheduled: at });
    } else if (event.activityTaskStartedEventAttributes) {
      const span = spans.get(idOf(event.activityTaskStartedEventAttributes.scheduledEventId));
      if (span) span.started = at;
    } else if (event.signalExternalWorkflowExecutionInitiatedEventAttributes) {
      signalled ??= at;
    } else {
      const end =
        event.activityTaskCompletedEventAttributes ??
        event.activityTaskFailedEventAttributes ??
        event.activityTaskTimedOutEventAttributes ??
        event.activityTaskCanceledEventAttributes;
      if (end) {
        const span = spans.get(idOf(end.scheduledEventId));
        if (span) span.closed = at;
      } else if (
        event.workflowExecutionCompletedEventAttributes ||
        event.workflowExecutionFailedEventAttributes ||
        event.workflowExecutionTimedOutEventAttributes ||
        event.workflowExecutionTerminatedEventAttributes ||
        event.workflowExecutionCanceledEventAttributes ||
        event.workflowExecutionContinuedAsNewEventAttributes
      ) {
        closed ??= at;
      }
    }
  }
  if (start === undefined) throw new Error('the history has no WorkflowExecutionStarted event');
  const end = signalled ?? closed ?? timestampMs(events[events.length - 1]?.eventTime);
  return {
    start,
    end,
    activities: [...spans.values()].filter((s) => s.scheduled < end),
    workflowTasks: [...tasks.values()].filter((t) => t.scheduled < end),
  };
}

// --- slots in use per task queue ---------------------------------------------------------------

/** Running activities of one task queue over time: `running` from `t` until the next step. */
export type Occupancy = ReadonlyArray<{ t: number; running: number }>;

/** Steps of running activities per task queue, over the spans of every case. */
export function queueOccupancy(spans: Iterable<ActivitySpan>): Map<string, Occupancy> {
  const changes = new Map<string, Array<{ t: number; delta: number }>>();
  for (const span of spans) {
    if (span.started === undefined) continue;
    const list = changes.get(span.queue) ?? [];
    list.push({ t: span.started, delta: 1 });
    if (span.closed !== undefined) list.push({ t: span.closed, delta: -1 });
    changes.set(span.queue, list);
  }
  const result = new Map<string, Occupancy>();
  for (const [queue, list] of changes) {
    // At the same instant a slot is freed before it is taken again.
    list.sort((a, b) => a.t - b.t || a.delta - b.delta);
    const steps: Array<{ t: number; running: number }> = [];
    let running = 0;
    for (const { t, delta } of list) {
      running += delta;
      const last = steps[steps.length - 1];
      if (last && last.t === t) last.running = running;
      else steps.push({ t, running });
    }
    result.set(queue, steps);
  }
  return result;
}

/** Activities of the queue running at `t`. */
export function runningAt(occupancy: Occupancy | undefined, t: number): number {
  if (!occupancy || occupancy.length === 0 || t < occupancy[0]!.t) return 0;
  let low = 0;
  let high = occupancy.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (occupancy[mid]!.t <= t) low = mid;
    else high = mid - 1;
  }
  return occupancy[low]!.running;
}

/**
 * Splits the case's window into running, queued, dispatch and idle time. `capacity` is the slots of
 * each task queue across all workers (a queue not listed counts as never full, so waiting on it is
 * dispatch); `occupancy` is `queueOccupancy` over every case of the batch.
 *
 * `waiting` (every case's activity spans by queue, `spansByQueue`) charges a freed slot's dispatch gap the way Temporal
 * hands out tasks, first come first served: while a queue has `free` slots, only the `free`
 * activities first in line wait on dispatch; those behind them wait for capacity (queued). Without
 * it, every waiting activity counts as waiting on dispatch.
 */
export function breakdownCase(
  timeline: CaseTimeline,
  occupancy: ReadonlyMap<string, Occupancy>,
  capacity: Readonly<Record<string, number>>,
  waiting?: ReadonlyMap<string, readonly ActivitySpan[]>,
): TimeBreakdown {
  const { start, end, activities } = timeline;
  const points = new Set<number>([start, end]);
  const inside = (t: number | undefined): void => {
    if (t !== undefined && t > start && t < end) points.add(t);
  };
  for (const span of activities) {
    inside(span.scheduled);
    inside(span.started);
    inside(span.closed);
    for (const step of occupancy.get(span.queue) ?? []) inside(step.t);
  }
  for (const span of activities) for (const other of waiting?.get(span.queue) ?? []) inside(other.started);
  const isDispatch = (span: ActivitySpan, t: number): boolean => {
    const free = (capacity[span.queue] ?? Infinity) - runningAt(occupancy.get(span.queue), t);
    if (free <= 0) return false;
    if (!waiting || free === Infinity) return true;
    const ahead = (waiting.get(span.queue) ?? []).filter((o) => o !== span && o.scheduled < span.scheduled && o.scheduled <= t && t < (o.started ?? Infinity)).length;
    return ahead < free;
  };
  const sorted = [...points].sort((a, b) => a - b);
  const result: TimeBreakdown = { wallMs: Math.max(0, end - start), runningMs: 0, queuedMs: 0, dispatchMs: 0, idleMs: 0 };
  for (let i = 0; i + 1 < sorted.length; i++) {
    const from = sorted[i]!;
    const length = sorted[i + 1]! - from;
    const mid = from + length / 2;
    const isRunning = activities.some((s) => s.started !== undefined && s.started <= mid && mid < (s.closed ?? Infinity));
    if (isRunning) {
      result.runningMs += length;
      continue;
    }
    const pending = activities.filter((s) => s.scheduled <= mid && mid < (s.started ?? Infinity));
    if (pending.length === 0) result.idleMs += length;
    else if (pending.some((s) => isDispatch(s, mid))) result.dispatchMs += length;
    else result.queuedMs += length;
  }
  return result;
}

/** Every case's activity spans grouped by task queue (what `breakdownCase` takes as `waiting`). */
export function spansByQueue(spans: Iterable<ActivitySpan>): Map<string, ActivitySpan[]> {
  const byQueue = new Map<string, ActivitySpan[]>();
  for (const span of spans) {
    const list = byQueue.get(span.queue);
    if (list) list.push(span);
    else byQueue.set(span.queue, [span]);
  }
  return byQueue;
}

export function addBreakdowns(parts: readonly TimeBreakdown[]): TimeBreakdown {
  const total: TimeBreakdown = { wallMs: 0, runningMs: 0, queuedMs: 0, dispatchMs: 0, idleMs: 0 };
  for (const p of parts) {
    total.wallMs += p.wallMs;
    total.runningMs += p.runningMs;
    total.queuedMs += p.queuedMs;
    total.dispatchMs += p.dispatchMs;
    total.idleMs += p.idleMs;
  }
  return total;
}

/**
 * Mean share of a queue's slots in use over [from, to]: activity time on the queue divided by
 * (window × slots). Shows whether the scarce resource (OCR) was kept busy.
 */
export function slotUtilisation(spans: Iterable<ActivitySpan>, queue: string, slots: number, from: number, to: number): number {
  if (to <= from || slots <= 0) return 0;
  let busy = 0;
  for (const span of spans) {
    if (span.queue !== queue || span.started === undefined) continue;
    busy += Math.max(0, Math.min(span.closed ?? to, to) - Math.max(span.started, from));
  }
  return busy / ((to - from) * slots);
}
