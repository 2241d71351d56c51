/**
 * The shell: sign-in state (the key lives in sessionStorage only), header and navigation, the live
 * regions, and the hash-routed views.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiRequestError, createApiClient, errorMessage, fetchIdentity } from './api.js';
import {
  AppContext,
  canReview,
  canSubmit,
  useApp,
  type AppContextValue,
  type Notice,
  type NoticeKind,
} from './app-context.js';
import { LiveRegions } from './components/live-regions.js';
import { PageHeading } from './components/page-heading.js';
import { hrefs, navigate, useHashRoute, type Route } from './router.js';
import type { Me } from './types.js';
import { BatchView } from './views/batch-view.js';
import { CaseView } from './views/case-view.js';
import { InboxView } from './views/inbox-view.js';
import { SignInView } from './views/sign-in-view.js';
import { SubmitView } from './views/submit-view.js';

const KEY_STORAGE = 'kyc.apiKey';

interface Session {
  key: string;
  me: Me;
}

type Boot = { state: 'checking' } | { state: 'signed-out' } | { state: 'signed-in'; session: Session };

export function App() {
  const [boot, setBoot] = useState<Boot>(() => (readStoredKey() ? { state: 'checking' } : { state: 'signed-out' }));
  const [notice, setNotice] = useState<Notice | undefined>();
  const seq = useRef(0);
  const route = useHashRoute();

  const notify = useCallback((kind: NoticeKind, text: string) => {
    seq.current += 1;
    setNotice({ kind, text, seq: seq.current });
  }, []);
  const dismiss = useCallback(() => setNotice(undefined), []);

  const signOut = useCallback(
    (message?: string) => {
      sessionStorage.removeItem(KEY_STORAGE);
      setBoot({ state: 'signed-out' });
      if (message) notify('error', message);
      else notify('info', 'Signed out.');
    },
    [notify],
  );

  // A key kept from earlier in this tab: check it again before trusting it.
  useEffect(() => {
    const key = readStoredKey();
    if (!key) return;
    fetchIdentity<Me>(key)
      .then((me) => setBoot({ state: 'signed-in', session: { key, me } }))
      .catch((err: unknown) => {
        sessionStorage.removeItem(KEY_STORAGE);
        setBoot({ state: 'signed-out' });
        notify('error', err instanceof ApiRequestError && err.status === 401 ? 'Your API key was not accepted. Sign in again.' : errorMessage(err));
      });
  }, [notify]);

  const onSignedIn = useCallback(
    (key: string, me: Me) => {
      sessionStorage.setItem(KEY_STORAGE, key);
      setBoot({ state: 'signed-in', session: { key, me } });
      notify('success', `Signed in as ${me.name}.`);
    },
    [notify],
  );

  // Messages belong to the view they were shown on; `go` carries one over to the next view.
  const pending = useRef<{ kind: NoticeKind; text: string } | undefined>(undefined);
  const go = useCallback((href: string, next?: { kind: NoticeKind; text: string }) => {
    pending.current = next;
    navigate(href);
  }, []);
  const routeKey = routeId(route);
  const lastRouteKey = useRef(routeKey);
  useEffect(() => {
    const previous = lastRouteKey.current;
    lastRouteKey.current = routeKey;
    if (previous === routeKey) return;
    const next = pending.current;
    pending.current = undefined;
    if (next) notify(next.kind, next.text);
    else if (previous !== 'home') setNotice(undefined); // the start page only redirects
  }, [routeKey, notify]);

  const session = boot.state === 'signed-in' ? boot.session : undefined;
  const context = useMemo<AppContextValue | undefined>(() => {
    if (!session) return undefined;
    const api = createApiClient({
      key: session.key,
      onUnauthorized: () => signOut('Your API key is no longer accepted (it may have been revoked). Sign in again.'),
    });
    return { api, me: session.me, notify, go };
  }, [session, notify, signOut, go]);

  return (
    <>
      <SkipLink />
      <header class="site-header">
        <div class="site-header-inner">
          <span class="brand">KYC review</span>
          {context ? <MainNav me={context.me} route={route} /> : null}
          {context ? (
            <div class="who">
              <span>
                Signed in as <strong data-testid="signed-in-name">{context.me.name}</strong>
                <span class="who-roles"> ({context.me.roles.join(', ') || 'no roles'})</span>
              </span>
              <button type="button" class="secondary" onClick={() => signOut()}>
                Sign out
              </button>
            </div>
          ) : null}
        </div>
      </header>
      <LiveRegions notice={notice} onDismiss={dismiss} />
      <main id="main" tabIndex={-1}>
        {boot.state === 'checking' ? (
          <p aria-busy="true">Checking your saved API key…</p>
        ) : context ? (
          <AppContext.Provider value={context}>
            <RoutedView route={route} />
          </AppContext.Provider>
        ) : (
          <SignInView onSignedIn={onSignedIn} notify={notify} />
        )}
      </main>
    </>
  );
}

function RoutedView({ route }: { route: Route }) {
  const { me } = useApp();
  switch (route.name) {
    case 'home':
      return <Home me={me} />;
    case 'inbox':
      return canReview(me) ? <InboxView query={route.query} /> : <NotAllowed what="the review inbox" />;
    case 'case':
      return <CaseView key={route.caseId} caseId={route.caseId} />;
    case 'submit':
      return canSubmit(me) ? <SubmitView /> : <NotAllowed what="case submission" />;
    case 'batch':
      return <BatchView key={route.batchId} batchId={route.batchId} />;
    case 'not-found':
      return (
        <>
          <PageHeading title="Page not found" />
          <p>
            There is no page at <code>#{route.path}</code>. <a href="#/">Go to the start page</a>.
          </p>
        </>
      );
  }
}

/** `#/` goes to the first view the key's roles allow. */
function Home({ me }: { me: Me }) {
  const target = canReview(me) ? hrefs.inbox() : canSubmit(me) ? hrefs.submit() : undefined;
  useEffect(() => {
    if (target) window.location.replace(target);
  }, [target]);
  if (target) return null;
  return (
    <>
      <PageHeading title="Welcome" />
      <p>
        Your key has no reviewer or submitter role. You can open a case by its link (<code>#/cases/&lt;case id&gt;</code>).
      </p>
    </>
  );
}

function NotAllowed({ what }: { what: string }) {
  return (
    <>
      <PageHeading title="Not allowed" />
      <p>Your key's roles do not give access to {what}.</p>
    </>
  );
}

function MainNav({ me, route }: { me: Me; route: Route }) {
  const links: Array<{ href: string; label: string; current: boolean }> = [];
  if (canReview(me)) links.push({ href: hrefs.inbox(), label: 'Inbox', current: route.name === 'inbox' });
  if (canSubmit(me)) links.push({ href: hrefs.submit(), label: 'Submit', current: route.name === 'submit' });
  if (links.length === 0) return null;
  return (
    <nav aria-label="Main" class="main-nav">
      <ul>
        {links.map((link) => (
          <li key={link.href}>
            <a href={link.href} aria-current={link.current ? 'page' : undefined}>
              {link.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A skip link that moves focus without touching the hash (the hash is the route). */
function SkipLink() {
  return (
    <a
      class="skip-link"
      href="#main"
      onClick={(event) => {
        event.preventDefault();
        document.getElementById('main')?.focus();
      }}
    >
      Skip to main content
    </a>
  );
}

function routeId(route: Route): string {
  switch (route.name) {
    case 'case':
      return `case:${route.caseId}`;
    case 'batch':
      return `batch:${route.batchId}`;
    case 'not-found':
      return `not-found:${route.path}`;
    default:
      return route.name;
  }
}

function readStoredKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null; // storage disabled: the user signs in for this page only
  }
}
