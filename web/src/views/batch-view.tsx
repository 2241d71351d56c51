/** A submitted batch: `GET /v1/batches/:batchId` every 2 s while it runs, a progress bar, links to cases. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiRequestError, apiPath, errorMessage } from '../api.js';
import { canSubmit, useApp } from '../app-context.js';
import { PageHeading } from '../components/page-heading.js';
import { humanize } from '../format.js';
import { hrefs } from '../router.js';
import type { BatchStatus } from '../types.js';

const POLL_MS = 2_000;

export function BatchView({ batchId }: { batchId: string }) {
  const { api, me, notify } = useApp();
  const [batch, setBatch] = useState<BatchStatus | undefined>();
  const [stopped, setStopped] = useState<string | undefined>();
  const lastAnnounced = useRef<string | undefined>(undefined);

  useEffect(() => {
    let timer: number | undefined;
    let active = true;
    async function poll(): Promise<void> {
      let again = true;
      try {
        const { body } = await api.get<BatchStatus>(apiPath`/v1/batches/${batchId}`);
        if (!active) return;
        setBatch(body);
        again = body.status === 'running';
        if (!again && lastAnnounced.current !== body.status) {
          lastAnnounced.current = body.status;
          notify(body.status === 'completed' ? 'success' : 'error', `Batch ${body.batchId} ${humanize(body.status)}: ${body.completed} of ${body.total} cases done.`);
        }
      } catch (err) {
        if (!active) return;
        notify('error', errorMessage(err));
        // A client error will not go away by asking again; a server or network error may.
        if (err instanceof ApiRequestError && err.status >= 400 && err.status < 500) {
          again = false;
          setStopped(errorMessage(err));
        }
      }
      if (active && again) timer = window.setTimeout(() => void poll(), POLL_MS);
    }
    void poll();
    return () => {
      active = false;
      window.clearTimeout(timer);
    };
  }, [api, batchId, notify]);

  return (
    <>
      <PageHeading title={`Batch ${batchId}`} />
      {canSubmit(me) ? (
        <p class="back-link">
          <a href={hrefs.submit()}>Submit another case</a>
        </p>
      ) : null}
      {!batch ? (
        <p aria-busy={!stopped}>{stopped ? `Could not load the batch: ${stopped}` : 'Loading the batch…'}</p>
      ) : (
        <>
          <div class="field batch-progress">
            <label for="batch-progress">Batch progress</label>
            <progress id="batch-progress" max={Math.max(1, batch.total)} value={batch.completed}>
              {batch.completed} of {batch.total}
            </progress>
            <p>
              {batch.completed} of {batch.total} cases done · batch {humanize(batch.status)}
              {batch.status === 'running' ? ' (updates every 2 seconds)' : ''}
            </p>
          </div>
          <div class="table-wrap">
            <table class="data-table">
              <caption>Cases of batch {batch.batchId}</caption>
              <thead>
                <tr>
                  <th scope="col">Case</th>
                  <th scope="col">Status</th>
                  <th scope="col">Decision</th>
                </tr>
              </thead>
              <tbody>
                {batch.cases.map((c) => (
                  <tr key={c.caseId}>
                    <th scope="row">
                      <a href={hrefs.case(c.caseId)}>{c.caseId}</a>
                    </th>
                    <td>
                      <span class={`badge progress-${c.status}`}>{humanize(c.status)}</span>
                    </td>
                    <td>{c.decision ? <span class={`badge decision-${c.decision}`}>{c.decision}</span> : <span class="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
