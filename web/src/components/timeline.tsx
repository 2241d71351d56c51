/** The task's events, oldest first: who did what, when, and the details they gave. */
import { formatDateTime } from '../format.js';
import { actionLabel, checkLabel, eventDetailLabel, fieldText, reasonLabel } from '../reasons.js';
import type { ReviewEvent } from '../types.js';

export function Timeline({ events }: { events: readonly ReviewEvent[] }) {
  const sorted = [...events].sort((a, b) => a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId));
  return (
    <section aria-labelledby="timeline-heading" class="panel">
      <h2 id="timeline-heading">History</h2>
      {sorted.length === 0 ? (
        <p class="muted">No events yet.</p>
      ) : (
        <ol class="timeline">
          {sorted.map((event) => (
            <li key={event.eventId} class={`event event-${event.action}`}>
              <time dateTime={event.at}>{formatDateTime(event.at)}</time>
              <span class="event-what">
                <strong>{event.actor}</strong> <span class="event-action">{actionLabel(event.action)}</span>
              </span>
              {event.detail && Object.keys(event.detail).length > 0 ? <EventDetail detail={event.detail} /> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function EventDetail({ detail }: { detail: Record<string, unknown> }) {
  return (
    <dl class="event-detail">
      {Object.entries(detail).map(([key, value]) => (
        <div key={key}>
          <dt>{eventDetailLabel(key)}</dt>
          <dd>{renderValue(key, value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Codes in a detail (check ids, reason codes, field names) in words; the rest as given. */
function renderValue(key: string, value: unknown): string {
  if (key === 'overridesFailedChecks' && Array.isArray(value)) return value.map((v) => checkLabel(String(v))).join(', ');
  if (key === 'reasons' && Array.isArray(value)) return value.map((v) => reasonLabel(String(v))).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  // Corrections: [{ documentId, field }] → the field names.
  if (Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && 'field' in v)) {
    return value.map((v) => fieldText(String((v as { field: unknown }).field))).join(', ');
  }
  if (value === null) return '—';
  return JSON.stringify(value);
}
