/**
 * The review part of the decision policy (config/policy.json → `review`): each queue's deadline
 * and reminder, and the share of automatically approved cases sampled for quality control.
 * Durations are written the way people write them: `90s`, `30m`, `24h`, `2d`.
 */
import { z } from 'zod';

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a duration such as `24h`; throws on anything else. */
export function durationMs(text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new Error(`not a duration: ${text} (write e.g. 90s, 30m, 24h, 2d)`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

const Duration = z.string().regex(DURATION, 'a duration such as 90s, 30m, 24h or 2d');

const QueuePolicySchema = z
  .object({
    /** Time from opening (or escalation) to breach. */
    deadline: Duration,
    /** Time from opening to the reminder (the task's follow-up date); before the deadline. */
    reminder: Duration,
  })
  .strict()
  // A malformed duration is already an issue of its own field: compare only well-formed ones
  // (durationMs would throw out of safeParse and hide every other problem in the file).
  .refine(
    (q) => !DURATION.test(q.reminder) || !DURATION.test(q.deadline) || durationMs(q.reminder) < durationMs(q.deadline),
    'reminder must come before the deadline',
  );

export const ReviewPolicySchema = z
  .object({
    queues: z.object({ standard: QueuePolicySchema, senior: QueuePolicySchema }).strict(),
    /**
     * 0..1: the share of automatically approved cases sent to review anyway (reason
     * `quality_control_sample`), chosen from the case id so the same case is always chosen.
     */
    qualityControlSampleRate: z.number().min(0).max(1),
  })
  .strict();

export type ReviewPolicy = z.infer<typeof ReviewPolicySchema>;

export const DEFAULT_REVIEW_POLICY: ReviewPolicy = {
  queues: {
    standard: { deadline: '24h', reminder: '20h' },
    senior: { deadline: '24h', reminder: '20h' },
  },
  qualityControlSampleRate: 0,
};

/**
 * Whether the case id falls in the quality-control sample: FNV-1a of the id mapped to [0, 1).
 * Deterministic and runs inside workflow code (no crypto module there).
 */
export function inQualityControlSample(caseKey: string, rate: number): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  let hash = 0x811c9dc5;
  for (let i = 0; i < caseKey.length; i++) {
    hash ^= caseKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // Final avalanche (MurmurHash3's fmix32): ids with a common prefix would otherwise cluster.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return (hash >>> 0) / 0x1_0000_0000 < rate;
}
