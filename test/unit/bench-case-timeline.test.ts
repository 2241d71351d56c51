import { describe, expect, it } from 'vitest';

import {
  addBreakdowns, breakdownCase, caseTimeline, overheadShare, queueOccupancy, runningAt, slotUtilisation, spansByQueue, timestampMs,
  type ActivitySpan, type CaseTimeline, type HistoryEventLike,
} from '../../src/bench/case-timeline.js';

/** A protobuf-style time `ms` milliseconds after a fixed epoch second (seconds as a Long-like object). */
const at = (ms: number): HistoryEventLike['eventTime'] => ({ seconds: { toString: () => String(1_000 + Math.floor(ms / 1000)) }, nanos: (ms % 1000) * 1e6 });
const T0 = 1_000_000;

function history(): HistoryEventLike[] {
  return [
    { eventId: 1, eventTime: at(0), workflowExecutionStartedEventAttributes: {} },
    { eventId: 5, eventTime: at(100), activityTaskScheduledEventAttributes: { activityType: { name: 'extractText' }, taskQueue: { name: 'ocr' } } },
    { eventId: 6, eventTime: at(300), activityTaskStartedEventAttributes: { scheduledEventId: 5 } },
    { eventId: 7, eventTime: at(1300), activityTaskCompletedEventAttributes: { scheduledEventId: 5 } },
    { eventId: 11, eventTime: at(1400), activityTaskScheduledEventAttributes: { activityType: { name: 'analyseDocument' }, taskQueue: { name: 'model' } } },
    { eventId: 12, eventTime: at(1450), activityTaskStartedEventAttributes: { scheduledEventId: 11 } },
    { eventId: 13, eventTime: at(1900), activityTaskFailedEventAttributes: { scheduledEventId: 11 } },
    { eventId: 17, eventTime: at(2000), signalExternalWorkflowExecutionInitiatedEventAttributes: {} },
    { eventId: 20, eventTime: at(2500), activityTaskScheduledEventAttributes: { activityType: { name: 'deliverWebhook' }, taskQueue: { name: 'io' } } },
    { eventId: 25, eventTime: at(9000), workflowExecutionCompletedEventAttributes: {} },
  ];
}

describe('caseTimeline', () => {
  it('when a case signals its outcome, then its window ends there and later activities are left out', () => {
    const timeline = caseTimeline(history());
    expect(timeline.start).toBe(T0);
    expect(timeline.end).toBe(T0 + 2000);
    expect(timeline.activities).toEqual([
      { activity: 'extractText', queue: 'ocr', scheduled: T0 + 100, started: T0 + 300, closed: T0 + 1300 },
      { activity: 'analyseDocument', queue: 'model', scheduled: T0 + 1400, started: T0 + 1450, closed: T0 + 1900 },
    ]);
  });

  it('when a case sends no signal, then its window ends when it closes', () => {
    const events = history().filter((e) => !e.signalExternalWorkflowExecutionInitiatedEventAttributes);
    expect(caseTimeline(events).end).toBe(T0 + 9000);
  });

  it('when the history has workflow tasks, then each keeps its schedule, start and close', () => {
    const events: HistoryEventLike[] = [
      { eventId: 1, eventTime: at(0), workflowExecutionStartedEventAttributes: {} },
      { eventId: 2, eventTime: at(5), workflowTaskScheduledEventAttributes: {} },
      { eventId: 3, eventTime: at(30), workflowTaskStartedEventAttributes: { scheduledEventId: 2 } },
      { eventId: 4, eventTime: at(70), workflowTaskCompletedEventAttributes: { scheduledEventId: 2 } },
      { eventId: 5, eventTime: at(90), workflowExecutionCompletedEventAttributes: {} },
    ];
    expect(caseTimeline(events).workflowTasks).toEqual([{ scheduled: T0 + 5, started: T0 + 30, closed: T0 + 70 }]);
  });

  it('when the history has no start event, then it throws', () => {
    expect(() => caseTimeline(history().slice(1))).toThrow();
  });

  it('when a timestamp has nanoseconds, then milliseconds keep the fraction', () => {
    expect(timestampMs({ seconds: 2, nanos: 500_000 })).toBe(2000.5);
  });
});

describe('breakdownCase', () => {
  it('when slots are free, then waiting for the start is dispatch and gaps are idle', () => {
    const timeline = caseTimeline(history());
    const occupancy = queueOccupancy(timeline.activities);
    const b = breakdownCase(timeline, occupancy, { ocr: 2, model: 1 });
    // 0–100 idle, 100–300 dispatch, 300–1300 running, 1300–1400 idle, 1400–1450 dispatch, 1450–1900 running, 1900–2000 idle
    expect(b).toEqual({ wallMs: 2000, runningMs: 1450, queuedMs: 0, dispatchMs: 250, idleMs: 300 });
    expect(overheadShare(b)).toBeCloseTo(550 / 2000);
  });

  it('when every slot of the queue is busy with other cases, then the wait is queueing, not overhead', () => {
    const timeline = caseTimeline(history());
    const others: ActivitySpan[] = [{ activity: 'extractText', queue: 'ocr', scheduled: T0, started: T0, closed: T0 + 200 }];
    const occupancy = queueOccupancy([...timeline.activities, ...others]);
    const b = breakdownCase(timeline, occupancy, { ocr: 1, model: 1 });
    expect(b.queuedMs).toBe(100); // 100–200: the only OCR slot runs another case's page
    expect(b.dispatchMs).toBe(150); // 200–300 and 1400–1450
  });

  it('when a freed slot has several activities waiting for it, then only the first in line waits on dispatch; the others wait for capacity', () => {
    // One OCR slot, busy 0–100 with another case; this case's page (scheduled at 10) and a third
    // case's (scheduled at 5, first in line) both wait; the slot is taken again at 130 (dispatch
    // gap 100–130) by the third case, whose page runs 130–300; this case's page then starts at 320.
    const mine: ActivitySpan = { activity: 'extractText', queue: 'ocr', scheduled: 10, started: 320, closed: 400 };
    const timeline: CaseTimeline = { start: 0, end: 400, activities: [mine], workflowTasks: [] };
    const others: ActivitySpan[] = [
      { activity: 'extractText', queue: 'ocr', scheduled: 0, started: 0, closed: 100 },
      { activity: 'extractText', queue: 'ocr', scheduled: 5, started: 130, closed: 300 },
    ];
    const all = [mine, ...others];
    const b = breakdownCase(timeline, queueOccupancy(all), { ocr: 1 }, spansByQueue(all));
    // 0–10 idle; 10–300 queued (behind the third case's page, its dispatch gap included); 300–320 dispatch; 320–400 running
    expect(b).toEqual({ wallMs: 400, runningMs: 80, queuedMs: 290, dispatchMs: 20, idleMs: 10 });
    // Without the line, the gap 100–130 counted as this case's dispatch too.
    expect(breakdownCase(timeline, queueOccupancy(all), { ocr: 1 }).dispatchMs).toBe(50);
  });

  it('when a queue has no known capacity, then waiting on it counts as dispatch', () => {
    const timeline = caseTimeline(history());
    const b = breakdownCase(timeline, queueOccupancy(timeline.activities), {});
    expect(b.queuedMs).toBe(0);
    expect(b.dispatchMs).toBe(250);
  });
});

describe('queueOccupancy and runningAt', () => {
  it('when a slot is freed and taken at the same instant, then the count does not spike', () => {
    const spans: ActivitySpan[] = [
      { activity: 'a', queue: 'q', scheduled: 0, started: 0, closed: 10 },
      { activity: 'b', queue: 'q', scheduled: 0, started: 10, closed: 20 },
      { activity: 'c', queue: 'q', scheduled: 0, started: 5, closed: 15 },
    ];
    const occupancy = queueOccupancy(spans).get('q');
    expect(occupancy).toEqual([{ t: 0, running: 1 }, { t: 5, running: 2 }, { t: 10, running: 2 }, { t: 15, running: 1 }, { t: 20, running: 0 }]);
    expect(runningAt(occupancy, -1)).toBe(0);
    expect(runningAt(occupancy, 7)).toBe(2);
    expect(runningAt(occupancy, 15)).toBe(1);
    expect(runningAt(undefined, 7)).toBe(0);
  });
});

describe('slotUtilisation and addBreakdowns', () => {
  it('when one of two slots is busy half the window, then utilisation is a quarter', () => {
    const spans: ActivitySpan[] = [
      { activity: 'a', queue: 'q', scheduled: 0, started: 0, closed: 50 },
      { activity: 'b', queue: 'other', scheduled: 0, started: 0, closed: 100 },
    ];
    expect(slotUtilisation(spans, 'q', 2, 0, 100)).toBe(0.25);
  });

  it('when breakdowns are added, then every part is summed', () => {
    const one = { wallMs: 10, runningMs: 5, queuedMs: 2, dispatchMs: 1, idleMs: 2 };
    expect(addBreakdowns([one, one])).toEqual({ wallMs: 20, runningMs: 10, queuedMs: 4, dispatchMs: 2, idleMs: 4 });
  });
});
