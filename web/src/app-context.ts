/** What every signed-in view needs: the API client, who is signed in, and the status messages. */
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { ApiClient } from './api.js';
import type { Me, Role } from './types.js';

export type NoticeKind = 'success' | 'info' | 'error';

export interface Notice {
  kind: NoticeKind;
  text: string;
  /** Grows with every notice, so the same text twice is announced twice. */
  seq: number;
}

export type Notify = (kind: NoticeKind, text: string) => void;

export interface AppContextValue {
  api: ApiClient;
  me: Me;
  notify: Notify;
  /** Opens another view, optionally with a message to show there. */
  go: (href: string, notice?: { kind: NoticeKind; text: string }) => void;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside a signed-in session');
  return value;
}

/** What each role may do, as the API enforces it (src/api/routes/review.ts); the page only hides what would fail. */
const ROLES_FOR = {
  readInbox: ['reviewer', 'senior_reviewer', 'auditor', 'admin'],
  decide: ['reviewer', 'senior_reviewer'],
  note: ['reviewer', 'senior_reviewer', 'admin'],
  sendDocuments: ['submitter', 'reviewer', 'senior_reviewer', 'admin'],
  submit: ['submitter', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof ROLES_FOR;

export function can(me: Me, permission: Permission): boolean {
  const allowed: readonly Role[] = ROLES_FOR[permission];
  return me.roles.some((role) => allowed.includes(role));
}

/** The inbox and case pages (reading). */
export function canReview(me: Me): boolean {
  return can(me, 'readInbox');
}

export function canSubmit(me: Me): boolean {
  return can(me, 'submit');
}

/** The current time, updated every `intervalMs`: for "time left" labels. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · KYC review`;
  }, [title]);
}
