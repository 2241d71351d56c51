import { describe, expect, it } from 'vitest';

import { DEFAULT_POLICY } from '../../src/domain/decision.js';
import { humanize } from '../../web/src/format.js';
import { reasonLabel } from '../../web/src/reasons.js';

describe('reason labels on the reviewer page', () => {
  it.each([...DEFAULT_POLICY.rejectReasons, ...DEFAULT_POLICY.reviewReasons, 'quality_control_sample'])(
    'when the default policy gives %s, then the page names it in words of its own',
    (code) => {
      const label = reasonLabel(code);
      expect(label.length).toBeGreaterThan(0);
      expect(label.toLowerCase()).not.toBe(humanize(code).toLowerCase());
    },
  );

  it('when a check fails or is inconclusive without a reason of the policy, then the label names the check', () => {
    expect(reasonLabel('mrz_vs_visual_failed')).toBe('Check failed: Machine-readable zone against the printed data');
    expect(reasonLabel('document_not_expired_inconclusive')).toBe('Check not settled: Identity document valid');
    expect(reasonLabel('a_check_added_later_failed')).toBe('Check failed: A check added later');
  });

  it('when a bank uses a reason of its own, then its code is spelt out', () => {
    expect(reasonLabel('pep_match')).toBe('Pep match');
  });
});
