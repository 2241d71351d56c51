import { describe, expect, test } from 'vitest';
import { PolicySchema, DEFAULT_POLICY } from '../../src/domain/decision.js';
import { DEFAULT_REVIEW_POLICY, ReviewPolicySchema, durationMs, inQualityControlSample } from '../../src/review/policy.js';

function policyWith(standard: unknown): unknown {
  return { queues: { standard, senior: DEFAULT_REVIEW_POLICY.queues.senior }, qualityControlSampleRate: 0.05 };
}

describe('durationMs', () => {
  test.each([
    ['250ms', 250],
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['24h', 86_400_000],
    ['2d', 172_800_000],
    ['0s', 0],
  ])('when the duration is %s, then it is %d ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  test.each(['', '24', 'h', '1.5h', '-1h', '24 h', ' 24h', '24H', '1w', '24hours'])(
    'when the text is %j, then it is refused with the accepted forms named',
    (text) => {
      expect(() => durationMs(text)).toThrow(/not a duration.*90s, 30m, 24h, 2d/);
    },
  );
});

describe('ReviewPolicySchema', () => {
  test('when the policy is the default, then it parses unchanged', () => {
    expect(ReviewPolicySchema.parse(DEFAULT_REVIEW_POLICY)).toEqual(DEFAULT_REVIEW_POLICY);
  });

  test('when a reminder comes after the deadline, then the policy is refused', () => {
    const result = ReviewPolicySchema.safeParse(policyWith({ deadline: '4h', reminder: '5h' }));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(['reminder must come before the deadline']);
    expect(result.error?.issues[0]?.path).toEqual(['queues', 'standard']);
  });

  test('when the reminder equals the deadline, then the policy is refused', () => {
    expect(ReviewPolicySchema.safeParse(policyWith({ deadline: '60m', reminder: '1h' })).success).toBe(false);
  });

  test('when the reminder is in other units but earlier, then the policy is accepted', () => {
    expect(ReviewPolicySchema.safeParse(policyWith({ deadline: '1d', reminder: '1439m' })).success).toBe(true);
  });

  test('when a duration is malformed, then parsing reports an issue on that field instead of throwing', () => {
    const result = ReviewPolicySchema.safeParse(policyWith({ deadline: '24h', reminder: 'soon' }));
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['queues', 'standard', 'reminder'] })]);
  });

  test('when a policy file has a malformed duration and another problem, then both are listed', () => {
    const edited = {
      ...DEFAULT_POLICY,
      rejectReasons: ['Not Snake'],
      review: policyWith({ deadline: 'tomorrow', reminder: '1h' }),
    };
    const result = PolicySchema.safeParse(edited);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['rejectReasons.0', 'review.queues.standard.deadline']);
  });

  test.each([-0.1, 1.1])('when the sample rate is %d, then the policy is refused', (rate) => {
    expect(ReviewPolicySchema.safeParse({ ...DEFAULT_REVIEW_POLICY, qualityControlSampleRate: rate }).success).toBe(false);
  });

  test('when a queue has an unknown key, then the policy is refused (strict)', () => {
    expect(ReviewPolicySchema.safeParse(policyWith({ deadline: '24h', reminder: '20h', escalateTo: 'x' })).success).toBe(false);
  });

  test('when the review section is left out of the decision policy, then the default review policy applies', () => {
    const { review: _review, ...rest } = DEFAULT_POLICY;
    expect(PolicySchema.parse(rest).review).toEqual(DEFAULT_REVIEW_POLICY);
  });
});

describe('inQualityControlSample', () => {
  const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `case-${String(i).padStart(5, '0')}`);

  test('when asked twice for the same case, then the answer is the same', () => {
    for (const id of ids(200)) expect(inQualityControlSample(id, 0.3)).toBe(inQualityControlSample(id, 0.3));
  });

  test('when the rate is 0, then no case is sampled', () => {
    expect(ids(2000).some((id) => inQualityControlSample(id, 0))).toBe(false);
  });

  test('when the rate is 1, then every case is sampled', () => {
    expect(ids(2000).every((id) => inQualityControlSample(id, 1))).toBe(true);
  });

  test('when the rate grows, then a sampled case stays sampled', () => {
    for (const id of ids(500)) if (inQualityControlSample(id, 0.05)) expect(inQualityControlSample(id, 0.2)).toBe(true);
  });

  test.each([
    ['case-00000 … case-09999', (i: number) => `case-${String(i).padStart(5, '0')}`],
    ['case-0 … case-9999', (i: number) => `case-${i}`],
    ['batch-style ids', (i: number) => `b-2026-11-21/applicant-${i}`],
  ])('when 10,000 %s are sampled at 5%%, then the share is within 1.5 points of 5%%', (_name, id) => {
    let sampled = 0;
    for (let i = 0; i < 10_000; i++) if (inQualityControlSample(id(i), 0.05)) sampled += 1;
    expect(Math.abs(sampled / 10_000 - 0.05)).toBeLessThanOrEqual(0.015);
  });
});
