/** Pure formatting for the page: time left, dates, labels. */
import { fieldText } from './reasons.js';
import type { FieldName } from './types.js';

const MINUTE = 60_000;

export type Urgency = 'overdue' | 'soon' | 'later';

/** "3 h 12 min left", "overdue by 20 min", "2 d 4 h left", "less than 1 min left". */
export function formatTimeLeft(dueAt: string, now: number): string {
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return 'no deadline';
  const diff = due - now;
  if (diff >= 0) {
    const minutes = Math.floor(diff / MINUTE);
    return minutes < 1 ? 'less than 1 min left' : `${formatMinutes(minutes)} left`;
  }
  const minutes = Math.max(1, Math.floor(-diff / MINUTE));
  return `overdue by ${formatMinutes(minutes)}`;
}

export function urgency(dueAt: string, now: number): Urgency {
  const diff = Date.parse(dueAt) - now;
  if (diff < 0) return 'overdue';
  return diff < 60 * MINUTE ? 'soon' : 'later';
}

function formatMinutes(total: number): string {
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(iso: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : DATE_TIME.format(at);
}

/** `waiting_documents` → "waiting documents", `request_documents` → "request documents". */
export function humanize(code: string): string {
  return code.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, (_m, a: string, b: string) => `${a} ${b.toLowerCase()}`);
}

/** A field name in words, from the message catalogue (src/review/messages). */
export function fieldLabel(field: FieldName): string {
  return fieldText(field);
}

export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)} %`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
