/**
 * Declared and found, side by side: what the bank declared about the applicant, then for each
 * comparison check the reference value, the value found (on which document, which page, the printed
 * span) and the score, with the characters that differ marked.
 */
import type { CheckId } from '../../../src/domain/check-ids.js';
import { diffValues, type Segment } from '../diff.js';
import { checkLabel } from '../reasons.js';
import type { Applicant, Check, CheckComparison, DocumentReport } from '../types.js';

/** The comparison checks, in the order a reviewer reads them (named from the message catalogue). */
const COMPARISON_CHECKS: readonly CheckId[] = ['name_matches_declared', 'name_matches_proof_of_address', 'address_matches_declared', 'applicant_adult'];

const STATUS_LABELS: Readonly<Record<Check['status'], string>> = {
  pass: 'agrees',
  fail: 'differs',
  inconclusive: 'not settled',
};

/** The birth-date row is the age check: it passes on age, whether or not the two dates agree (the marks show that). */
const AGE_LABELS: Readonly<Record<Check['status'], string>> = {
  pass: 'of age',
  fail: 'under age',
  inconclusive: 'not settled',
};

const SOURCE_LABELS: Readonly<Record<string, string>> = { declaration: 'declared' };

type Compared = Check & { comparison: CheckComparison };

export function comparedChecks(checks: readonly Check[]): Compared[] {
  return COMPARISON_CHECKS.flatMap((id) => checks.filter((c): c is Compared => c.id === id && c.comparison !== undefined));
}

export function ComparisonsPanel({
  applicant,
  checks,
  documents,
}: {
  applicant: Applicant | undefined;
  checks: readonly Check[];
  documents: readonly DocumentReport[];
}) {
  const compared = comparedChecks(checks);
  return (
    <section class="panel" aria-labelledby="declared-heading">
      <h2 id="declared-heading">Declared and found</h2>
      <h3>Declared by the bank</h3>
      {applicant && Object.keys(applicant).length > 0 ? (
        <dl class="summary-list declared-list">
          <Item label="Declared name" value={applicant.fullName} />
          <Item label="Declared date of birth" value={applicant.dateOfBirth} />
          <Item label="Declared address" value={applicant.address} />
          <Item label="Declared nationality" value={applicant.nationality} />
        </dl>
      ) : (
        <p class="muted">No declaration on this case: none was sent, or the case was decided before reports carried it.</p>
      )}
      {compared.length === 0 ? (
        <p class="muted">No value was compared.</p>
      ) : (
        <div class="table-wrap">
          <table class="data-table comparisons">
            <caption>Compared values (differences marked)</caption>
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Result</th>
                <th scope="col">Declared or compared with</th>
                <th scope="col">Found</th>
                <th scope="col">Where</th>
                <th scope="col">Score</th>
              </tr>
            </thead>
            <tbody>
              {compared.map((check, i) => (
                <ComparisonRow key={`${check.id}-${check.file ?? ''}-${i}`} check={check} documents={documents} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ComparisonRow({ check, documents }: { check: Compared; documents: readonly DocumentReport[] }) {
  const { comparison } = check;
  const label = checkLabel(check.id);
  const diff = comparison.found !== undefined ? diffValues(comparison.reference, comparison.found) : undefined;
  const doc = check.file ? documents.find((d) => d.file === check.file) : undefined;
  // The span the check rests on, else where the document's own field was read.
  const evidence = check.evidence ?? doc?.evidence[comparison.field];
  const source = SOURCE_LABELS[comparison.referenceSource] ?? comparison.referenceSource;
  return (
    <tr class={check.status === 'fail' ? 'row-differs' : undefined} data-check={check.id}>
      <th scope="row">{label}</th>
      <td>
        <span class={`badge check-${check.status}`}>{(comparison.field === 'dateOfBirth' ? AGE_LABELS : STATUS_LABELS)[check.status]}</span>
      </td>
      <td class="compared-reference">
        <span class="value">{diff ? <Marked segments={diff.left} /> : comparison.reference}</span>
        <span class="muted compared-source">
          {source}
          {comparison.referenceFile ? `, ${comparison.referenceFile}` : ''}
        </span>
      </td>
      <td class="compared-found">
        {diff ? (
          <span class="value">
            <Marked segments={diff.right} />
          </span>
        ) : (
          <span class="muted">{check.file ? 'not read on the document' : 'no document to compare with'}</span>
        )}
      </td>
      <td class="compared-where">
        {check.file ?? <span class="muted">none</span>}
        {evidence?.page !== undefined ? `, page ${evidence.page}` : ''}
        {evidence?.text && evidence.text !== comparison.found ? (
          <span class="muted compared-span">printed: “{evidence.text}”</span>
        ) : null}
      </td>
      <td>{comparison.score !== undefined ? comparison.score.toFixed(2) : <span class="muted">none</span>}</td>
    </tr>
  );
}

/** Changed parts in <mark>, with words for screen readers (a mark alone is not always announced). */
function Marked({ segments }: { segments: readonly Segment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.changed ? (
          <mark key={i}>
            <span class="visually-hidden">[differs: </span>
            {s.text}
            <span class="visually-hidden">]</span>
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}

function Item({ label, value }: { label: string; value: string | undefined }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value ?? <span class="muted">not declared</span>}</dd>
    </div>
  );
}
