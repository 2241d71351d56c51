/**
 * The page's two live regions, always in the DOM so that assistive technology hears changes:
 * `role="status"` (polite) for confirmations and progress, `role="alert"` for errors. They hold the
 * message text only; the dismiss button sits beside them.
 */
import type { Notice } from '../app-context.js';

export function LiveRegions({ notice, onDismiss }: { notice: Notice | undefined; onDismiss: () => void }) {
  const isError = notice?.kind === 'error';
  return (
    <div class="notice-area">
      <div class={notice ? `notice notice-${notice.kind}` : 'notice notice-empty'}>
        <div role="status" aria-live="polite" aria-atomic="true" class="notice-text">
          {notice && !isError ? <span key={notice.seq}>{notice.text}</span> : null}
        </div>
        <div role="alert" aria-atomic="true" class="notice-text">
          {notice && isError ? <span key={notice.seq}>{notice.text}</span> : null}
        </div>
        {notice ? (
          <button type="button" class="link-button notice-dismiss" onClick={onDismiss}>
            Dismiss message
          </button>
        ) : null}
      </div>
    </div>
  );
}
