/**
 * Hash routes, so the server only ever serves `/`:
 *   #/inbox?queue=&status=&mine=1&offset=   #/cases/<caseId>   #/submit   #/batches/<batchId>
 */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'home' }
  | { name: 'inbox'; query: URLSearchParams }
  | { name: 'case'; caseId: string }
  | { name: 'submit' }
  | { name: 'batch'; batchId: string }
  | { name: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const segments = pathPart.split('/').filter((s) => s !== '');
  const [first, second] = segments;
  try {
    if (segments.length === 0) return { name: 'home' };
    if (first === 'inbox' && segments.length === 1) return { name: 'inbox', query: new URLSearchParams(queryPart) };
    if (first === 'submit' && segments.length === 1) return { name: 'submit' };
    if (first === 'cases' && second && segments.length === 2) return { name: 'case', caseId: decodeURIComponent(second) };
    if (first === 'batches' && second && segments.length === 2) {
      return { name: 'batch', batchId: decodeURIComponent(second) };
    }
  } catch {
    // A malformed %-escape: not a route.
  }
  return { name: 'not-found', path: raw };
}

export const hrefs = {
  inbox: (query?: URLSearchParams): string => {
    const q = query?.toString() ?? '';
    return q === '' ? '#/inbox' : `#/inbox?${q}`;
  },
  case: (caseId: string): string => `#/cases/${encodeURIComponent(caseId)}`,
  submit: (): string => '#/submit',
  batch: (batchId: string): string => `#/batches/${encodeURIComponent(batchId)}`,
};

export function navigate(href: string): void {
  if (window.location.hash !== href) window.location.hash = href;
}

export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
