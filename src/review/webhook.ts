/**
 * Decision webhooks: the body the bank's endpoint receives and its HMAC-SHA256 signature.
 * Signed text is `<timestamp>.<body>` (Unix seconds), so a receiver can reject replays by age;
 * header `KYC-Signature: t=<timestamp>,v1=<hex>`. The body carries ids, decision and reason codes:
 * no personal data.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Decision } from '../domain/report.js';

export const SIGNATURE_HEADER = 'kyc-signature';
export const TIMESTAMP_HEADER = 'kyc-timestamp';
export const DELIVERY_HEADER = 'kyc-delivery';

export interface DecisionEvent {
  event: 'case.decided';
  caseId: string;
  batchId: string;
  decision: Decision;
  reasons: string[];
  automaticDecision?: Decision;
  /** `engine`, or the reviewer's key name. */
  decidedBy: string;
  decidedAt: string;
}

export function signWebhook(body: string, secret: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

/**
 * What a receiver does: recompute the signature, compare in constant time, refuse stale
 * timestamps. Shipped for the bank's integrators and used by the tests.
 */
export function verifyWebhook(
  body: string,
  header: string | undefined,
  secret: string,
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  const v1 = parts.v1;
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(body, secret, t).split('v1=')[1]!, 'hex');
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}
