/**
 * What a reviewer can do to a task. Every action answers with the updated `ReviewTask` (or an error
 * whose message is shown as it is); the case view then reloads report, task and history.
 */
import { useState } from 'preact/hooks';
import { apiPath, errorMessage } from '../api.js';
import { useApp } from '../app-context.js';
import { allowedActions } from '../can.js';
import { fieldLabel, humanize, plural } from '../format.js';
import type { DocumentReport, FieldCorrectionDraft, ReviewDecision, ReviewTask } from '../types.js';
import { ContradictionWarning } from './contradiction-warning.js';

export type ActionDone = (message: string, task?: ReviewTask) => void;
/** After a refused action: the case view reloads, so the page shows what changed (a claim taken, an escalation). */
export type ActionFailed = () => void;

/**
 * One action at a time per case: a second click while one runs is ignored. A failure's message is
 * kept here, for the form to show beside its buttons (`ActionError`), not only in the banner above.
 */
function useAction(onDone: ActionDone, onFailed?: ActionFailed) {
  const { notify } = useApp();
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  async function run(label: string, action: () => Promise<{ message: string; task?: ReviewTask }>): Promise<boolean> {
    if (busy) return false;
    setBusy(label);
    setError(undefined);
    notify('info', `${label}…`);
    try {
      const { message, task } = await action();
      onDone(message, task);
      return true;
    } catch (err) {
      setError(errorMessage(err));
      notify('info', `${label} did not succeed: the reason is shown beside the buttons. The case was reloaded.`);
      onFailed?.();
      return false;
    } finally {
      setBusy(undefined);
    }
  }
  return { busy, error, run };
}

/** Always in the DOM (an empty live region), so screen readers announce the message when it appears. */
function ActionError({ error }: { error: string | undefined }) {
  return (
    <p role="alert" class={error ? 'action-error' : 'action-error action-error-empty'}>
      {error ? `Not done: ${error}` : null}
    </p>
  );
}

const taskPath = (caseId: string, action: string): string => apiPath`/v1/review/tasks/${caseId}/${action}`;

export function TaskControls({ task, onDone, onFailed }: { task: ReviewTask; onDone: ActionDone; onFailed?: ActionFailed }) {
  const { api, me } = useApp();
  const { busy, error, run } = useAction(onDone, onFailed);
  const allowed = allowedActions(task, me);
  const canClaim = allowed.claim.allowed;
  const canRelease = allowed.release.allowed;
  const isActive = task.status === 'open' || task.status === 'claimed';
  const isMine = task.status === 'claimed' && task.assigneeKeyId === me.keyId;
  // Why there is no Claim button (not said when the task is the reviewer's own: Release says it).
  const whyNoClaim = !allowed.claim.allowed && isActive && !isMine ? allowed.claim.why : undefined;

  const claim = (): Promise<boolean> =>
    run('Claiming', async () => {
      const { body } = await api.post<ReviewTask>(taskPath(task.caseId, 'claim'), {});
      return { message: `Claimed: the task is assigned to ${body.assignee ?? me.name}.`, task: body };
    });
  const release = (): Promise<boolean> =>
    run('Releasing', async () => {
      const { body } = await api.post<ReviewTask>(taskPath(task.caseId, 'release'), {});
      return { message: `Released: the task is back in the ${humanize(body.queue)} queue.`, task: body };
    });

  if (!isActive && error === undefined) return null;
  return (
    <div class="task-controls" aria-busy={busy !== undefined}>
      {whyNoClaim ? <p class="muted action-why">{whyNoClaim}</p> : null}
      {canClaim ? (
        <button type="button" onClick={claim}>
          Claim
        </button>
      ) : null}
      {canRelease ? (
        <button type="button" class="secondary" onClick={release}>
          Release
        </button>
      ) : null}
      <ActionError error={error} />
    </div>
  );
}

const DECISION_LABELS: Record<ReviewDecision, string> = {
  approve: 'Approve',
  reject: 'Reject',
  request_documents: 'Request documents',
};

export function DecisionForm({
  task,
  documents,
  corrections,
  onDone,
  onFailed,
}: {
  task: ReviewTask;
  documents: readonly DocumentReport[];
  corrections: readonly FieldCorrectionDraft[];
  onDone: ActionDone;
  onFailed?: ActionFailed;
}) {
  const { api, me } = useApp();
  const { busy, error, run } = useAction(onDone, onFailed);
  const decide = allowedActions(task, me).decide;
  const whyNot = decide.allowed ? undefined : decide.why;
  const [reason, setReason] = useState('');

  async function submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const submitter = event.submitter as HTMLButtonElement | null;
    const decision = submitter?.value as ReviewDecision | undefined;
    if (!decision || !(decision in DECISION_LABELS) || reason.trim() === '' || whyNot) return;
    const body = {
      decision,
      reason: reason.trim(),
      ...(corrections.length > 0 ? { corrections: corrections.map((c) => ({ ...c })) } : {}),
    };
    const ok = await run(`Sending the decision “${DECISION_LABELS[decision]}”`, async () => {
      const { body: updated } = await api.post<ReviewTask>(taskPath(task.caseId, 'decision'), body);
      return { message: decisionMessage(decision, updated, corrections.length), task: updated };
    });
    if (ok) setReason('');
  }

  const fileOf = (documentId: string): string => documents.find((d) => d.documentId === documentId)?.file ?? documentId;

  return (
    <section aria-labelledby="decision-heading" class="panel decision-panel">
      <h2 id="decision-heading">Decision</h2>
      {task.fourEyes ? (
        <p class="four-eyes">
          Four-eyes case: two approvals by different reviewers, one of them senior.{' '}
          {task.approvals.length > 0
            ? `Approved so far by ${task.approvals.map((a) => `${a.by}${a.senior ? ' (senior)' : ''}`).join(', ')}.`
            : 'No approval yet.'}
        </p>
      ) : null}
      <form onSubmit={(e) => void submit(e)} class="stack" aria-busy={busy !== undefined}>
        <div class="field">
          <label for="decision-reason">Reason</label>
          <textarea
            id="decision-reason"
            name="reason"
            rows={3}
            required
            aria-describedby="decision-corrections"
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </div>
        <div id="decision-corrections" class="corrections-summary">
          {corrections.length === 0 ? (
            'No field corrections.'
          ) : (
            <>
              {plural(corrections.length, 'correction')} will be sent with the decision:
              <ul>
                {corrections.map((c) => (
                  <li key={`${c.documentId}/${c.field}`}>
                    {fieldLabel(c.field)} of {fileOf(c.documentId)} → <q>{c.value}</q>
                  </li>
                ))}
              </ul>
            </>
          )}
          <ContradictionWarning documents={documents} corrections={corrections} />
        </div>
        {whyNot ? (
          <p id="decision-why" class="muted action-why">
            {whyNot}
          </p>
        ) : null}
        <div class="actions">
          <button type="submit" name="decision" value="approve" class="approve" disabled={!!whyNot} aria-describedby={whyNot ? 'decision-why' : undefined}>
            Approve
          </button>
          <button type="submit" name="decision" value="reject" class="reject" disabled={!!whyNot} aria-describedby={whyNot ? 'decision-why' : undefined}>
            Reject
          </button>
          <button
            type="submit"
            name="decision"
            value="request_documents"
            class="secondary"
            disabled={!!whyNot}
            aria-describedby={whyNot ? 'decision-why' : undefined}
          >
            Request documents
          </button>
        </div>
        <ActionError error={error} />
      </form>
    </section>
  );
}

function decisionMessage(decision: ReviewDecision, task: ReviewTask, correctionCount: number): string {
  const withCorrections = correctionCount > 0 ? ` ${plural(correctionCount, 'correction')} saved.` : '';
  switch (decision) {
    case 'approve':
      if (task.status === 'completed') return `Approved: the case is closed.${withCorrections}`;
      if (task.fourEyes) return `First approval recorded: a second reviewer must approve (four-eyes).${withCorrections}`;
      return `Approval recorded; the task is ${humanize(task.status)}.${withCorrections}`;
    case 'reject':
      return `Rejected: ${task.status === 'completed' ? 'the case is closed' : `the task is ${humanize(task.status)}`}.${withCorrections}`;
    case 'request_documents':
      return `Documents requested: the case waits for new documents.${withCorrections}`;
  }
}

export function NoteForm({ caseId, onDone, onFailed }: { caseId: string; onDone: ActionDone; onFailed?: ActionFailed }) {
  const { api } = useApp();
  const { busy, error, run } = useAction(onDone, onFailed);
  const [text, setText] = useState('');

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    if (text.trim() === '') return;
    const ok = await run('Adding the note', async () => {
      const { body } = await api.post<ReviewTask>(taskPath(caseId, 'notes'), { text: text.trim() });
      return { message: 'Note added.', task: body };
    });
    if (ok) setText('');
  }

  return (
    <form onSubmit={(e) => void submit(e)} class="stack note-form" aria-busy={busy !== undefined}>
      <div class="field">
        <label for="note-text">Note</label>
        <textarea id="note-text" name="text" rows={2} required value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      <div class="actions">
        <button type="submit" class="secondary">
          Add note
        </button>
      </div>
      <ActionError error={error} />
    </form>
  );
}

export function UploadForm({ caseId, onDone, onFailed }: { caseId: string; onDone: ActionDone; onFailed?: ActionFailed }) {
  const { api } = useApp();
  const { busy, error, run } = useAction(onDone, onFailed);
  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const input = formElement.elements.namedItem('documents') as HTMLInputElement | null;
    const files = [...(input?.files ?? [])];
    if (files.length === 0) return;
    const form = new FormData();
    for (const file of files) form.append('documents', file, file.name);
    const ok = await run('Uploading', async () => {
      const { body } = await api.postForm<ReviewTask | undefined>(apiPath`/v1/cases/${caseId}/documents`, form);
      return {
        message: `Uploaded ${plural(files.length, 'document')}: the case will be processed again.`,
        ...(body && typeof body === 'object' && 'taskId' in body ? { task: body } : {}),
      };
    });
    if (ok) formElement.reset(); // an empty file input again
  }

  return (
    <section aria-labelledby="upload-heading" class="panel upload-panel">
      <h2 id="upload-heading">Requested documents</h2>
      <p>The case is waiting for documents. Upload them here; the case is then processed again.</p>
      <form onSubmit={(e) => void submit(e)} class="stack" aria-busy={busy !== undefined}>
        <div class="field">
          <label for="upload-documents">Additional documents</label>
          <input
            id="upload-documents"
            name="documents"
            type="file"
            multiple
            required
            accept="application/pdf,image/png,image/jpeg,image/tiff,image/webp,.pdf,.png,.jpg,.jpeg,.tif,.tiff,.webp"
          />
        </div>
        <div class="actions">
          <button type="submit">Upload documents</button>
        </div>
        <ActionError error={error} />
      </form>
    </section>
  );
}
