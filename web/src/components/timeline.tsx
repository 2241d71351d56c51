/** The task's events, oldest first: who did what, when, and the details they gave. */
import { formatDateTime, humanize } from '../format.js';
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
                <strong>{event.actor}</strong> <span class="event-action">{humanize(event.action)}</span>
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
          <dt>{humanize(key)}</dt>
          <dd>{renderValue(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function renderValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  // Corrections: [{ documentId, field }] → the field names.
  if (Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && 'field' in v)) {
    return value.map((v) => String((v as { field: unknown }).field)).join(', ');
  }
  if (value === null) return '—';
  return JSON.stringify(value);
}
