/** "3 h 12 min left" / "overdue by 20 min", with the exact deadline as a tooltip and machine-readable. */
import { formatDateTime, formatTimeLeft, urgency } from '../format.js';

export function TimeLeft({ dueAt, now }: { dueAt: string; now: number }) {
  return (
    <time dateTime={dueAt} title={`Due ${formatDateTime(dueAt)}`} class={`time-left time-left-${urgency(dueAt, now)}`}>
      {formatTimeLeft(dueAt, now)}
    </time>
  );
}
