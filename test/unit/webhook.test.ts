import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { signWebhook, verifyWebhook, type DecisionEvent } from '../../src/review/webhook.js';

const SECRET = 'whsec-0123456789abcdef';
const NOW = 1_790_000_000; // Unix seconds
const EVENT: DecisionEvent = {
  event: 'case.decided',
  caseId: 'case-001',
  batchId: 'b-1',
  decision: 'approved',
  reasons: [],
  decidedBy: 'engine',
  decidedAt: '2026-09-21T10:00:00.000Z',
};
const BODY = JSON.stringify(EVENT);

describe('signWebhook', () => {
  test('when a body is signed, then the header is t=<seconds>,v1=<HMAC-SHA256 of "<t>.<body>">', () => {
    const expected = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('hex');
    expect(signWebhook(BODY, SECRET, NOW)).toBe(`t=${NOW},v1=${expected}`);
  });

  test('when the same body is signed at another time, then the signature differs', () => {
    expect(signWebhook(BODY, SECRET, NOW).split('v1=')[1]).not.toBe(signWebhook(BODY, SECRET, NOW + 1).split('v1=')[1]);
  });
});

describe('verifyWebhook', () => {
  const header = signWebhook(BODY, SECRET, NOW);

  test('when body, secret and time match, then the signature is valid', () => {
    expect(verifyWebhook(BODY, header, SECRET, { nowSeconds: NOW })).toBe(true);
  });

  test('when the timestamp is within the tolerance either way, then the signature is valid', () => {
    expect(verifyWebhook(BODY, header, SECRET, { nowSeconds: NOW + 300 })).toBe(true);
    expect(verifyWebhook(BODY, header, SECRET, { nowSeconds: NOW - 300 })).toBe(true);
  });

  test('when one character of the body is changed, then the signature is refused', () => {
    const tampered = JSON.stringify({ ...EVENT, decision: 'rejected' });
    expect(verifyWebhook(tampered, header, SECRET, { nowSeconds: NOW })).toBe(false);
    expect(verifyWebhook(`${BODY} `, header, SECRET, { nowSeconds: NOW })).toBe(false);
  });

  test('when the receiver holds another secret, then the signature is refused', () => {
    expect(verifyWebhook(BODY, header, 'whsec-another-secret-000', { nowSeconds: NOW })).toBe(false);
  });

  test('when the timestamp is older than the tolerance, then the signature is refused as a replay', () => {
    expect(verifyWebhook(BODY, header, SECRET, { nowSeconds: NOW + 301 })).toBe(false);
    expect(verifyWebhook(BODY, header, SECRET, { nowSeconds: NOW + 60, toleranceSeconds: 30 })).toBe(false);
  });

  test('when the timestamp lies too far in the future, then the signature is refused', () => {
    expect(verifyWebhook(BODY, header, SECRET, { nowSeconds: NOW - 301 })).toBe(false);
  });

  test('when the timestamp in the header is changed, then the signature no longer matches', () => {
    const moved = header.replace(`t=${NOW}`, `t=${NOW + 1}`);
    expect(verifyWebhook(BODY, moved, SECRET, { nowSeconds: NOW })).toBe(false);
  });

  test('when no nowSeconds is given, then the clock is used', () => {
    const fresh = signWebhook(BODY, SECRET, Math.floor(Date.now() / 1000));
    expect(verifyWebhook(BODY, fresh, SECRET)).toBe(true);
    expect(verifyWebhook(BODY, header, SECRET)).toBe(false);
  });

  const mac = header.split('v1=')[1]!;
  test.each([
    ['absent', undefined],
    ['empty', ''],
    ['without v1', `t=${NOW}`],
    ['without t', `v1=${mac}`],
    ['with a non-numeric t', `t=soon,v1=${mac}`],
    ['with a fractional t', `t=${NOW}.5,v1=${mac}`],
    ['with a short v1', `t=${NOW},v1=${mac.slice(0, 63)}`],
    ['with a non-hex v1', `t=${NOW},v1=${'z'.repeat(64)}`],
    ['with an upper-case v1', `t=${NOW},v1=${mac.toUpperCase()}`],
    ['with the parts garbled', `garbage`],
    ['with another scheme only', `t=${NOW},v0=${mac}`],
  ])('when the header is %s, then the signature is refused without throwing', (_name, value) => {
    expect(verifyWebhook(BODY, value, SECRET, { nowSeconds: NOW })).toBe(false);
  });
});
