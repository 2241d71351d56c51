/**
 * The engine's checks: failed and inconclusive ones first and in full, passed ones folded away.
 * A possible sanctions match (check id `sanctions_screening`, as src/domain/checks.ts emits it) gets
 * its own banner at the top of the case.
 */
import type { CheckId } from '../../../src/domain/check-ids.js';
import type { Check } from '../types.js';

/** Typed against the engine's own list of check ids: a renamed check breaks the build, not the banner. */
export const SANCTIONS_CHECK_ID: CheckId = 'sanctions_screening';

export function sanctionsMatch(checks: readonly Check[]): Check | undefined {
  return checks.find((check) => check.id === SANCTIONS_CHECK_ID && check.status !== 'pass');
}

export function SanctionsBanner({ check }: { check: Check }) {
  return (
    <section class="sanctions-banner" aria-labelledby="sanctions-heading">
      <h2 id="sanctions-heading">Possible sanctions match</h2>
      <p>{check.detail}</p>
      <p class="muted">
        Check <code>{check.id}</code> is {check.status === 'fail' ? 'failed' : 'inconclusive'}. Compare the applicant with the listed person before deciding.
      </p>
    </section>
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
            <tr key={`${check.id}-${check.file ?? ''}-${i}`} class={check.id === SANCTIONS_CHECK_ID && check.status !== 'pass' ? 'row-sanctions' : undefined}>
              <th scope="row">
                <code>{check.id}</code>
              </th>
              <td>
                <span class={`badge check-${check.status}`}>{check.status}</span>
              </td>
              <td>{check.detail}</td>
              <td>{check.file ?? <span class="muted">case</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
