/**
 * Before a decision is sent: the corrected values that contradict the document's verified MRZ or
 * another identity document. The workflow applies the same rule (src/review/correction-checks.ts)
 * and records a failed check; saying so here lets the reviewer fix a typo before it becomes an
 * override on the record.
 */
import { CORRECTION_CHECK_ID, correctionContradictions, type Contradiction } from '../../../src/review/correction-checks.js';
import { fieldLabel } from '../format.js';
import { checkLabel, documentTypeLabel } from '../reasons.js';
import type { DocumentReport, FieldCorrectionDraft } from '../types.js';

function against(c: Contradiction): string {
  if (c.against === 'mrz') return 'its machine-readable zone';
  const kind = documentTypeLabel(c.against);
  return `the ${kind.charAt(0).toLowerCase()}${kind.slice(1)}${c.otherFile ? ` ${c.otherFile}` : ''}`;
}

export function ContradictionWarning({ documents, corrections }: { documents: readonly DocumentReport[]; corrections: readonly FieldCorrectionDraft[] }) {
  if (corrections.length === 0) return null;
  const found = correctionContradictions({ documents, corrections });
  if (found.length === 0) return null;
  return (
    <div class="contradiction-warning" role="note" aria-label="Corrections that contradict the documents">
      <p>
        <strong>{found.length === 1 ? 'This correction contradicts' : 'These corrections contradict'} the documents.</strong> The check “
        {checkLabel(CORRECTION_CHECK_ID)}” will fail; approving then records that you overrode it.
      </p>
      <ul>
        {found.map((c) => (
          <li key={`${c.documentId}/${c.field}/${c.against}/${c.otherFile ?? ''}`}>
            {fieldLabel(c.field)} of {c.file} differs from {against(c)}
          </li>
        ))}
      </ul>
    </div>
  );
}
