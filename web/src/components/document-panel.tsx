/**
 * One document: the file itself (fetched with the key, shown through an object URL) beside the
 * fields the engine extracted, their source and evidence, and inputs to correct them.
 */
import { useEffect, useState } from 'preact/hooks';
import { apiPath, errorMessage } from '../api.js';
import { useApp } from '../app-context.js';
import { documentFields, draftKey, type Drafts } from '../corrections.js';
import { fieldLabel, humanize, percent } from '../format.js';
import { correctFieldLabel, documentTypeLabel, fieldText, mrzStatusLabel, sourceLabel } from '../reasons.js';
import type { DocumentReport, FieldName } from '../types.js';

/** Formats every browser shows in an <img>; anything else (PDF, TIFF) is shown as rendered pages. */
const DISPLAYABLE = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);

export interface DocumentPanelProps {
  caseId: string;
  doc: DocumentReport;
  index: number;
  /** Show the correction inputs. */
  editable: boolean;
  drafts: Drafts;
  onDraft: (documentId: string, field: FieldName, value: string) => void;
}

export function DocumentPanel({ caseId, doc, index, editable, drafts, onDraft }: DocumentPanelProps) {
  const headingId = `document-${index}-heading`;
  return (
    <section class="document" aria-labelledby={headingId}>
      <h3 id={headingId}>{doc.file}</h3>
      <p class="document-meta">
        {documentTypeLabel(doc.type)} · type confidence {percent(doc.confidence)} · {doc.pages.length === 1 ? '1 page' : `${doc.pages.length} pages`}
        {doc.model ? ` · model ${doc.model.file} (prompt ${doc.model.promptVersion})` : ''}
      </p>
      {doc.error ? (
        <p class="document-error">
          <strong>Could not be read:</strong> {doc.error}
          {doc.errorCode ? ` (${doc.errorCode})` : ''}
        </p>
      ) : null}
      <div class="document-grid">
        <DocumentPreview caseId={caseId} doc={doc} />
        <FieldsTable doc={doc} editable={editable} drafts={drafts} onDraft={onDraft} />
      </div>
      <MrzVerification doc={doc} />
    </section>
  );
}

const STEP_OUTCOMES: Readonly<Record<string, string>> = {
  corroborated: 'gave the same value',
  'no-change': 'settled nothing',
  disagreed: 'gave another value',
  failed: 'could not be done',
};

/**
 * How far each MRZ field can be trusted (read, repaired, corroborated, unverified, failed) and the
 * reading steps the engine took to corroborate unverified values: the evidence behind an
 * `mrz_checksum` verdict.
 */
function MrzVerification({ doc }: { doc: DocumentReport }) {
  const statuses = Object.entries(doc.mrzFieldStatus ?? {});
  const steps = doc.corroboration?.steps ?? [];
  if (statuses.length === 0 && steps.length === 0) return null;
  return (
    <details class="mrz-verification" open={statuses.some(([, s]) => s === 'unverified' || s === 'failed')}>
      <summary>MRZ verification</summary>
      {statuses.length > 0 ? (
        <ul class="mrz-status">
          {statuses.map(([field, status]) => (
            <li key={field}>
              {fieldText(field)}: <span class={`badge mrz-${status}`}>{mrzStatusLabel(status)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {steps.length > 0 ? (
        <ol class="corroboration-steps" aria-label="Reading steps taken to corroborate unverified MRZ values">
          {steps.map((step, i) => (
            <li key={i}>
              {humanize(step.tool)} (<code>{step.step}</code>): {STEP_OUTCOMES[step.outcome] ?? step.outcome}
            </li>
          ))}
        </ol>
      ) : null}
      {doc.corroboration && doc.corroboration.unverified.length > 0 ? (
        <p class="muted">Still unverified: {doc.corroboration.unverified.join(', ')}</p>
      ) : null}
    </details>
  );
}

interface Original {
  url: string;
  contentType: string;
}

function DocumentPreview({ caseId, doc }: { caseId: string; doc: DocumentReport }) {
  const { api } = useApp();
  const [original, setOriginal] = useState<Original | undefined>();
  const [originalError, setOriginalError] = useState<string | undefined>();
  const pageNumbers = doc.pages.length > 0 ? doc.pages.map((p) => p.page) : [1];
  const [pageIndex, setPageIndex] = useState(0);
  const [pageUrl, setPageUrl] = useState<string | undefined>();
  const [pageError, setPageError] = useState<string | undefined>();
  const [enlarged, setEnlarged] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    let url: string | undefined;
    api
      .blob(apiPath`/v1/cases/${caseId}/documents/${doc.documentId}`, controller.signal)
      .then(({ blob, contentType }) => {
        url = URL.createObjectURL(blob);
        setOriginal({ url, contentType });
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setOriginalError(errorMessage(err));
      });
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [api, caseId, doc.documentId]);

  const isPaged = original !== undefined && !DISPLAYABLE.has(original.contentType);
  const page = pageNumbers[pageIndex] ?? 1;

  useEffect(() => {
    if (!isPaged) return undefined;
    const controller = new AbortController();
    let url: string | undefined;
    setPageUrl(undefined);
    setPageError(undefined);
    api
      .blob(apiPath`/v1/cases/${caseId}/documents/${doc.documentId}/pages/${page}`, controller.signal)
      .then(({ blob }) => {
        url = URL.createObjectURL(blob);
        setPageUrl(url);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setPageError(errorMessage(err));
      });
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [api, caseId, doc.documentId, isPaged, page]);

  const imageUrl = isPaged ? pageUrl : original?.url;
  const alt = isPaged ? `${doc.file}, page ${page} of ${pageNumbers.length}` : doc.file;
  const error = originalError ?? pageError;

  return (
    <figure class={`preview${enlarged ? ' preview-enlarged' : ''}`}>
      <div class="preview-frame">
        {imageUrl ? (
          <img src={imageUrl} alt={alt} />
        ) : error ? (
          <p class="preview-message">Preview not available: {error}</p>
        ) : (
          <p class="preview-message" aria-busy="true">
            Loading preview…
          </p>
        )}
      </div>
      <figcaption class="preview-controls">
        {isPaged && pageNumbers.length > 1 ? (
          <span class="pager">
            <button type="button" class="secondary small" disabled={pageIndex === 0} onClick={() => setPageIndex((i) => i - 1)}>
              Previous page<span class="visually-hidden"> of {doc.file}</span>
            </button>
            <span aria-live="polite">
              Page {page} of {pageNumbers.length}
            </span>
            <button
              type="button"
              class="secondary small"
              disabled={pageIndex >= pageNumbers.length - 1}
              onClick={() => setPageIndex((i) => i + 1)}
            >
              Next page<span class="visually-hidden"> of {doc.file}</span>
            </button>
          </span>
        ) : isPaged ? (
          <span>Page 1 of 1</span>
        ) : null}
        <button type="button" class="secondary small" aria-pressed={enlarged} onClick={() => setEnlarged((e) => !e)}>
          Actual size<span class="visually-hidden"> of {doc.file}</span>
        </button>
        {original ? (
          <a href={original.url} download={doc.file}>
            Download original<span class="visually-hidden"> of {doc.file}</span>
          </a>
        ) : null}
      </figcaption>
    </figure>
  );
}

function FieldsTable({
  doc,
  editable,
  drafts,
  onDraft,
}: {
  doc: DocumentReport;
  editable: boolean;
  drafts: Drafts;
  onDraft: (documentId: string, field: FieldName, value: string) => void;
}) {
  const fields = documentFields(doc);
  if (fields.length === 0) return <p class="muted">No fields were extracted from this document.</p>;
  return (
    <div class="table-wrap">
      <table class="data-table fields-table">
        <caption>Extracted fields of {doc.file}</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Value</th>
            <th scope="col">Source</th>
            <th scope="col">Evidence</th>
            {editable ? <th scope="col">Correction</th> : null}
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => {
            const value = doc.fields[field];
            const evidence = doc.evidence[field];
            const key = draftKey(doc.documentId, field);
            const draft = drafts[key];
            const isChanged = draft !== undefined && draft.trim() !== (value ?? '');
            const isCleared = isChanged && draft.trim() === '';
            const inputId = `correct-${doc.documentId}-${field}`;
            return (
              <tr key={field} class={isChanged ? 'row-changed' : undefined}>
                <th scope="row">
                  {fieldLabel(field)}
                  <code class="field-key">{field}</code>
                </th>
                <td class="field-value">{value ?? <span class="muted">not found</span>}</td>
                <td>{evidence ? <span class={`badge source-${evidence.source}`}>{sourceLabel(evidence.source)}</span> : <span class="muted">—</span>}</td>
                <td class="evidence">
                  {evidence?.page !== undefined ? <span class="evidence-page">page {evidence.page}</span> : null}
                  {evidence?.text ? <q class="evidence-text">{evidence.text}</q> : null}
                  {evidence?.source === 'reviewer' ? (
                    <span class="evidence-correction">
                      corrected{evidence.correctedBy ? ` by ${evidence.correctedBy}` : ''}
                      {evidence.previous !== undefined ? `; the engine read “${evidence.previous}”` : ''}
                    </span>
                  ) : null}
                  {evidence?.page === undefined && !evidence?.text && evidence?.source !== 'reviewer' ? <span class="muted">—</span> : null}
                </td>
                {editable ? (
                  <td>
                    <label class="visually-hidden" for={inputId}>
                      {correctFieldLabel(field, doc.file)}
                    </label>
                    <input
                      id={inputId}
                      type="text"
                      class="correction-input"
                      autocomplete="off"
                      spellcheck={false}
                      value={draft ?? value ?? ''}
                      onInput={(e) => onDraft(doc.documentId, field, e.currentTarget.value)}
                    />
                    {isChanged ? <span class="changed-mark">{isCleared ? 'empty: not sent' : 'changed'}</span> : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
