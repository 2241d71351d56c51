/**
 * Submit one case as a batch: `POST /v1/batches`, multipart, parts `cases[<caseId>][documents]`
 * (files), `cases[<caseId>][applicant]` (JSON text, only the fields filled in) and `asOf`.
 * On acceptance the batch view opens and follows the progress.
 */
import { useState } from 'preact/hooks';
import { errorMessage } from '../api.js';
import { useApp } from '../app-context.js';
import { PageHeading } from '../components/page-heading.js';
import { plural } from '../format.js';
import { hrefs } from '../router.js';
import type { BatchAccepted } from '../types.js';

/** Same rule as the API's ID_PATTERN; the API checks it again. */
const CASE_ID_PATTERN = '[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}';

interface ApplicantInput {
  fullName: string;
  dateOfBirth: string;
  address: string;
}

export function buildBatchForm(options: {
  caseId: string;
  applicant: ApplicantInput;
  asOf: string;
  files: readonly File[];
}): FormData {
  const form = new FormData();
  const caseId = options.caseId.trim();
  const applicant = Object.fromEntries(
    Object.entries(options.applicant)
      .map(([key, value]) => [key, value.trim()] as const)
      .filter(([, value]) => value !== ''),
  );
  // Text parts first: the server reads the stream in order.
  if (options.asOf.trim() !== '') form.append('asOf', options.asOf.trim());
  if (Object.keys(applicant).length > 0) form.append(`cases[${caseId}][applicant]`, JSON.stringify(applicant));
  for (const file of options.files) form.append(`cases[${caseId}][documents]`, file, file.name);
  return form;
}

export function SubmitView() {
  const { api, notify, go } = useApp();
  const [busy, setBusy] = useState(false);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const formElement = event.currentTarget as HTMLFormElement;
    const value = (name: string): string => (formElement.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
    const filesInput = formElement.elements.namedItem('documents') as HTMLInputElement | null;
    const files = [...(filesInput?.files ?? [])];
    if (files.length === 0) return;
    const form = buildBatchForm({
      caseId: value('caseId'),
      applicant: { fullName: value('fullName'), dateOfBirth: value('dateOfBirth'), address: value('address') },
      asOf: value('asOf'),
      files,
    });
    setBusy(true);
    notify('info', `Uploading ${plural(files.length, 'document')}…`);
    try {
      const { body } = await api.postForm<BatchAccepted>('/v1/batches', form);
      const what = body.existing ? 'was already submitted' : 'was accepted';
      go(hrefs.batch(body.batchId), { kind: 'success', text: `Batch ${body.batchId} ${what}: ${body.caseIds.join(', ')}.` });
    } catch (err) {
      notify('error', errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeading title="Submit a case" />
      <form onSubmit={(e) => void submit(e)} class="stack submit-form" aria-busy={busy}>
        <div class="field">
          <label for="case-id">Case id</label>
          <input
            id="case-id"
            name="caseId"
            type="text"
            required
            pattern={CASE_ID_PATTERN}
            maxLength={64}
            autocomplete="off"
            spellcheck={false}
            aria-describedby="case-id-help"
          />
          <p id="case-id-help" class="hint">
            Letters, digits, dot, dash and underscore; starts with a letter or digit; at most 64 characters.
          </p>
        </div>

        <fieldset>
          <legend>Applicant (optional)</legend>
          <div class="field">
            <label for="applicant-full-name">Full name</label>
            <input id="applicant-full-name" name="fullName" type="text" autocomplete="off" maxLength={300} />
          </div>
          <div class="field">
            <label for="applicant-date-of-birth">Date of birth</label>
            <input id="applicant-date-of-birth" name="dateOfBirth" type="date" autocomplete="off" />
          </div>
          <div class="field">
            <label for="applicant-address">Address</label>
            <textarea id="applicant-address" name="address" rows={3} maxLength={1000} />
          </div>
        </fieldset>

        <div class="field">
          <label for="as-of">As-of date (optional)</label>
          <input id="as-of" name="asOf" type="date" aria-describedby="as-of-help" />
          <p id="as-of-help" class="hint">
            The date expiry and age checks are made against; today when left empty.
          </p>
        </div>

        <div class="field">
          <label for="documents">Documents</label>
          <input
            id="documents"
            name="documents"
            type="file"
            multiple
            required
            accept="application/pdf,image/png,image/jpeg,image/tiff,image/webp,.pdf,.png,.jpg,.jpeg,.tif,.tiff,.webp"
            aria-describedby="documents-help"
          />
          <p id="documents-help" class="hint">
            PDF, PNG, JPEG, TIFF or WebP; one file per document.
          </p>
        </div>

        <div class="actions">
          <button type="submit">Submit case</button>
        </div>
      </form>
    </>
  );
}
