/**
 * One case: `GET /v1/cases/:caseId` (the report; progress while it runs) and, when it has a review
 * task, `GET /v1/review/tasks/:caseId` (task and history). Documents beside their fields, checks,
 * reasons, history and the reviewer's actions.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiRequestError, apiPath, errorMessage } from '../api.js';
import { can, canReview, useApp, useNow } from '../app-context.js';
import { ChecksPanel, SanctionsBanner, sanctionsMatch } from '../components/checks-panel.js';
import { ComparisonsPanel } from '../components/comparisons-panel.js';
import { DocumentPanel } from '../components/document-panel.js';
import { PageHeading } from '../components/page-heading.js';
import { DecisionForm, NoteForm, TaskControls, UploadForm, type ActionDone, type ActionFailed } from '../components/review-actions.js';
import { TimeLeft } from '../components/time-left.js';
import { Timeline } from '../components/timeline.js';
import { corrections, draftKey, type Drafts } from '../corrections.js';
import { formatDateTime, humanize } from '../format.js';
import { hrefs } from '../router.js';
import { reasonLabel } from '../reasons.js';
import {
  isCaseReport,
  type CaseProgress,
  type CaseReportWithReview,
  type CaseResponse,
  type FieldName,
  type ReviewTask,
  type TaskWithEvents,
} from '../types.js';

/** Seconds between reloads while the case is still being processed. */
const PROCESSING_POLL_MS = 5_000;

interface CaseData {
  report: CaseResponse;
  /** Undefined when the case has no review task (or the key may not see it). */
  review: TaskWithEvents | undefined;
}

export function CaseView({ caseId }: { caseId: string }) {
  const { api, me, notify } = useApp();
  const [data, setData] = useState<CaseData | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [drafts, setDrafts] = useState<Drafts>({});
  const mounted = useRef(true);
  const now = useNow(30_000);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const load = useCallback(async (): Promise<void> => {
    setLoading(true);
    try {
      const [report, review] = await Promise.all([
        api.get<CaseResponse>(apiPath`/v1/cases/${caseId}`).then((r) => r.body),
        api.get<TaskWithEvents>(apiPath`/v1/review/tasks/${caseId}`).then(
          (r) => r.body,
          (err: unknown) => {
            // No task (never reviewed) or not ours to see: the case is shown without review.
            if (err instanceof ApiRequestError && (err.status === 404 || err.status === 403)) return undefined;
            throw err;
          },
        ),
      ]);
      if (!mounted.current) return;
      const embedded = isCaseReport(report) && report.review ? { task: report.review, events: [] } : undefined;
      setData({ report, review: review ?? embedded });
      setLoadError(undefined);
    } catch (err) {
      if (!mounted.current) return;
      const message = errorMessage(err);
      setLoadError(message);
      notify('error', message);
    } finally {
      if (mounted.current) setLoading(false);
    }
  }, [api, caseId, notify]);

  useEffect(() => {
    void load();
  }, [load]);

  // Still processing: look again in a moment.
  const isProcessing = data !== undefined && !isCaseReport(data.report) && isRunning(data.report);
  useEffect(() => {
    if (!isProcessing) return undefined;
    const timer = window.setTimeout(() => void load(), PROCESSING_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [isProcessing, data, load]);

  const onDone: ActionDone = useCallback(
    (message: string, task?: ReviewTask) => {
      notify('success', message);
      if (task?.status === 'completed' || task?.status === 'waiting_documents') setDrafts({});
      if (task) setData((d) => (d?.review ? { ...d, review: { ...d.review, task } } : d));
      void load().then(keepFocus);
    },
    [load, notify],
  );

  // A refused action: show the case as it is now (claimed by someone else, escalated, decided).
  const onFailed = useCallback(() => void load(), [load]);

  const onDraft = useCallback((documentId: string, field: FieldName, value: string) => {
    setDrafts((d) => ({ ...d, [draftKey(documentId, field)]: value }));
  }, []);

  const report = data && isCaseReport(data.report) ? data.report : undefined;
  const pending = useMemo(() => (report ? corrections(report.documents, drafts) : []), [report, drafts]);

  return (
    <>
      <PageHeading title={`Case ${caseId}`} />
      <p class="back-link">
        {canReview(me) ? <a href={hrefs.inbox()}>Back to the inbox</a> : null}{' '}
        <button type="button" class="link-button" onClick={() => void load()}>
          Reload case
        </button>
      </p>
      {!data ? (
        loading ? (
          <p aria-busy="true">Loading case…</p>
        ) : (
          <p>Could not load the case{loadError ? `: ${loadError}` : ''}.</p>
        )
      ) : report ? (
        <CaseDetails
          report={report}
          review={data.review}
          now={now}
          drafts={drafts}
          corrections={pending}
          onDraft={onDraft}
          onDone={onDone}
          onFailed={onFailed}
        />
      ) : (
        <ProgressPanel progress={data.report as CaseProgress} />
      )}
    </>
  );
}

/** The button just used may be gone (Claim becomes Release, a decision closes the form): land on the summary. */
function keepFocus(): void {
  window.requestAnimationFrame(() => {
    if (document.activeElement === null || document.activeElement === document.body) {
      document.getElementById('summary-heading')?.focus();
    }
  });
}

function isRunning(progress: CaseProgress): boolean {
  return progress.status === 'pending' || progress.status === 'processing';
}

function ProgressPanel({ progress }: { progress: CaseProgress }) {
  return (
    <section class="panel" aria-labelledby="progress-heading">
      <h2 id="progress-heading">Not finished</h2>
      {isRunning(progress) ? (
        <p>The case is {progress.status === 'pending' ? 'waiting to be processed' : 'being processed'}. This page reloads by itself.</p>
      ) : (
        <p>The case ended with status {humanize(progress.status)} and has no report.</p>
      )}
    </section>
  );
}

function CaseDetails({
  report,
  review,
  now,
  drafts,
  corrections: pending,
  onDraft,
  onDone,
  onFailed,
}: {
  report: CaseReportWithReview;
  review: TaskWithEvents | undefined;
  now: number;
  drafts: Drafts;
  corrections: ReturnType<typeof corrections>;
  onDraft: (documentId: string, field: FieldName, value: string) => void;
  onDone: ActionDone;
  onFailed: ActionFailed;
}) {
  const { me } = useApp();
  const task = review?.task;
  const mayDecide = can(me, 'decide');
  const isActive = task !== undefined && (task.status === 'open' || task.status === 'claimed');
  const sanctions = sanctionsMatch(report.checks);

  const reasons = [...new Set([...(task?.reasons ?? []), ...report.reasons])];
  return (
    <>
      {sanctions ? <SanctionsBanner check={sanctions} /> : null}

      <section class="panel summary" aria-labelledby="summary-heading">
        <h2 id="summary-heading" tabIndex={-1}>
          Summary
        </h2>
        <dl class="summary-list">
          <SummaryItem label="Case status" value={humanize(report.status)} />
          {/* `decision` is the final one once people decided; the engine's own stays in `automaticDecision`. */}
          <SummaryItem label="Decision" value={humanize(report.decision)} />
          {report.automaticDecision !== undefined && report.automaticDecision !== report.decision ? (
            <SummaryItem label="Engine decision" value={humanize(report.automaticDecision)} />
          ) : null}
          <SummaryItem label="Batch" value={report.batchId} />
          <SummaryItem label="Checked as of" value={report.asOf} />
          {report.decidedBy ? (
            <SummaryItem
              label="Decided by"
              value={`${report.decidedBy}${report.decidedAt ? `, ${formatDateTime(report.decidedAt)}` : ''}`}
            />
          ) : null}
          {task ? (
            <>
              <SummaryItem label="Task status" value={humanize(task.status)} />
              <SummaryItem label="Queue" value={humanize(task.queue)} />
              <SummaryItem label="Priority" value={task.priority} />
              <SummaryItem label="Assignee" value={task.assignee ?? 'unassigned'} />
              {task.status !== 'completed' ? (
                <div>
                  <dt>Due</dt>
                  <dd>
                    <TimeLeft dueAt={task.dueAt} now={now} /> <span class="muted">({formatDateTime(task.dueAt)})</span>
                  </dd>
                </div>
              ) : null}
              {task.final ? (
                <SummaryItem
                  label="Final decision"
                  value={`${humanize(task.final.decision)} by ${task.final.by}, ${formatDateTime(task.final.at)}: ${task.final.reason}`}
                />
              ) : null}
            </>
          ) : null}
        </dl>
        {task && mayDecide ? <TaskControls task={task} onDone={onDone} onFailed={onFailed} /> : null}
      </section>

      {/* Not a named region: its name would clash with the "Reason" input's label. */}
      <section class="panel">
        <h2>Reasons</h2>
        {reasons.length === 0 ? (
          <p class="muted">No reasons given.</p>
        ) : (
          <ul class="reasons">
            {reasons.map((reason) => (
              <li key={reason}>
                {reasonLabel(reason)} <code>{reason}</code>
              </li>
            ))}
          </ul>
        )}
      </section>

      <ComparisonsPanel applicant={report.applicant} checks={report.checks} documents={report.documents} />

      <ChecksPanel checks={report.checks} />

      <section class="panel" aria-labelledby="documents-heading">
        <h2 id="documents-heading">Documents</h2>
        {report.documents.length === 0 ? <p class="muted">No documents.</p> : null}
        {report.documents.map((doc, index) => (
          <DocumentPanel
            key={doc.documentId}
            caseId={report.caseId}
            doc={doc}
            index={index}
            editable={mayDecide && isActive}
            drafts={drafts}
            onDraft={onDraft}
          />
        ))}
      </section>

      {task && mayDecide && isActive ? (
        <DecisionForm task={task} documents={report.documents} corrections={pending} onDone={onDone} onFailed={onFailed} />
      ) : null}
      {task && can(me, 'sendDocuments') && task.status === 'waiting_documents' ? <UploadForm caseId={report.caseId} onDone={onDone} onFailed={onFailed} /> : null}

      {review ? (
        <>
          <Timeline events={review.events} />
          {can(me, 'note') ? (
            <section class="panel">
              <h2>Add a note</h2>
              <NoteForm caseId={report.caseId} onDone={onDone} onFailed={onFailed} />
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}

function SummaryItem({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
