/** Paste an API key; it is checked with `GET /v1/me` before it is kept (sessionStorage, this tab only). */
import { useState } from 'preact/hooks';
import { ApiRequestError, errorMessage, fetchIdentity } from '../api.js';
import type { Notify } from '../app-context.js';
import { PageHeading } from '../components/page-heading.js';
import type { Me } from '../types.js';

export function SignInView({ onSignedIn, notify }: { onSignedIn: (key: string, me: Me) => void; notify: Notify }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const trimmed = key.trim();
    if (busy || trimmed === '') return;
    setBusy(true);
    notify('info', 'Checking the key…');
    try {
      const me = await fetchIdentity<Me>(trimmed);
      onSignedIn(trimmed, me);
    } catch (err) {
      notify('error', err instanceof ApiRequestError && err.status === 401 ? `The key was not accepted: ${err.message}` : errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <section class="sign-in" aria-labelledby="sign-in-heading">
      <PageHeading title="Sign in" id="sign-in-heading" />
      <p id="sign-in-help">Paste your API key. It is kept in this browser tab only and sent with every request.</p>
      <form onSubmit={submit} class="stack" aria-busy={busy}>
        <div class="field">
          <label for="api-key">API key</label>
          <input
            id="api-key"
            name="apiKey"
            type="password"
            autocomplete="off"
            spellcheck={false}
            required
            aria-describedby="sign-in-help"
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
          />
        </div>
        <div class="actions">
          <button type="submit">Sign in</button>
        </div>
      </form>
    </section>
  );
}
