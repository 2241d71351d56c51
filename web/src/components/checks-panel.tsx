/**
 * The engine's checks: failed and inconclusive ones first and in full, passed ones folded away.
 * A possible sanctions match (check id `sanctions_screening`, as src/domain/checks.ts emits it) gets
 * its own banner at the top of the case.
 */
import type { CheckId } from '../../../src/domain/check-ids.js';
import { checkLabel, checkMeaning } from '../reasons.js';
import type { Check, SanctionsMatchDetail } from '../types.js';

/** Typed against the engine's own list of check ids: a renamed check breaks the build, not the banner. */
export const SANCTIONS_CHECK_ID: CheckId = 'sanctions_screening';

/** A possible match only: an inconclusive screening (no list supplied, no name) is not one, and stays in the checks table. */
export function sanctionsMatch(checks: readonly Check[]): Check | undefined {
  return checks.find((check) => check.id === SANCTIONS_CHECK_ID && check.status === 'fail');
}

export function SanctionsBanner({ check }: { check: Check }) {
  const match = check.sanctionsMatch;
  return (
    <section class="sanctions-banner" aria-labelledby="sanctions-heading">
      <h2 id="sanctions-heading">Possible sanctions match</h2>
      {match ? <SanctionsDetails match={match} /> : <p>{check.detail}</p>}
      <p class="muted">
        Compare the applicant with the listed entry before deciding.
      </p>
    </section>
  );
}

const BIRTH_DATE_WORDS: Readonly<Record<SanctionsMatchDetail['birthDate'], string>> = {
  match: "the listed birth date agrees with the applicant's, which adds to the score (up to 1.00)",
  mismatch: 'the birth date differs, which lowered the score',
  unknown: 'no birth date to compare',
};

/** The listed entry as the list publishes it, beside the applicant, and why it scored. */
function SanctionsDetails({ match }: { match: SanctionsMatchDetail }) {
  const screened = `${match.screenedName} (${match.screenedSource === 'declaration' ? 'declared' : match.screenedSource}${match.screenedBirthDate ? `, born ${match.screenedBirthDate}` : ''})`;
  const why =
    `“${match.matchedName}” resembles the applicant's name (name score ${match.nameScore.toFixed(2)}); ` +
    `${BIRTH_DATE_WORDS[match.birthDate]}. Score ${match.score.toFixed(2)}; matches are reported from ${match.threshold.toFixed(2)}.`;
  return (
    <>
      <h3>Listed entry</h3>
      <dl class="summary-list sanctions-details">
      <Detail label="Applicant screened" value={screened} />
      <Detail label="Listed name" value={match.entryName} />
      <Detail label="Aliases" value={list(match.aliases)} />
      <Detail label="Birth dates" value={list(match.birthDates)} />
      <Detail label="Countries" value={list(match.countries.map((c) => c.toUpperCase()))} />
      <Detail label="Programmes" value={list(match.programmes)} />
      <Detail label="Lists" value={list(match.datasets)} />
      <Detail label="List entry" value={`${match.entryId}${match.schema ? ` (${match.schema})` : ''}`} />
      <Detail label="Score" value={match.score.toFixed(2)} />
      <Detail label="Why" value={why} wide />
      </dl>
    </>
  );
}

function list(values: readonly string[]): string {
  return values.length > 0 ? values.join('; ') : 'none published';
}

function Detail({ label, value, wide = false }: { label: string; value: string; wide?: boolean }) {
  return (
    <div class={wide ? 'wide' : undefined}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

export function ChecksPanel({ checks }: { checks: readonly Check[] }) {
  const attention = checks.filter((check) => check.status !== 'pass');
  const passed = checks.filter((check) => check.status === 'pass');
  return (
    <section aria-labelledby="checks-heading" class="panel">
      <h2 id="checks-heading">Checks</h2>
      {attention.length > 0 ? (
        <ChecksTable
          caption={`Failed and inconclusive checks (${attention.length})`}
          checks={attention}
          className="checks-attention"
        />
      ) : (
        <p>No check failed or was inconclusive.</p>
      )}
      {passed.length > 0 ? (
        <details class="passed-checks">
          <summary>Passed checks ({passed.length})</summary>
          <ChecksTable caption="Passed checks" checks={passed} className="checks-passed" />
        </details>
      ) : null}
    </section>
  );
}

function ChecksTable({ caption, checks, className }: { caption: string; checks: readonly Check[]; className: string }) {
  return (
    <div class="table-wrap">
      <table class={`data-table ${className}`}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Status</th>
            <th scope="col">Detail</th>
            <th scope="col">Document</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((check, i) => (
            <tr key={`${check.id}-${check.file ?? ''}-${i}`} class={check.id === SANCTIONS_CHECK_ID && check.status === 'fail' ? 'row-sanctions' : undefined}>
              <th scope="row">
                {checkLabel(check.id)}{' '}
                <code class="field-key">{check.id}</code>
              </th>
              <td>
                <span class={`badge check-${check.status}`}>{check.status}</span>
              </td>
              <td>
                {checkMeaning(check.id, check.status) ? <p class="check-meaning">{checkMeaning(check.id, check.status)}</p> : null}
                {check.detail}
              </td>
              <td>{check.file ?? <span class="muted">case</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
