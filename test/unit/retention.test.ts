import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/domain/errors.js';
import { retentionCutoffs, retentionMs } from '../../src/domain/retention.js';

const DAY = 86_400_000;

describe('retention periods', () => {
  test('when periods are written as for the review policy or in years, then they convert to milliseconds', () => {
    expect(retentionMs('1s')).toBe(1_000);
    expect(retentionMs('12h')).toBe(12 * 3_600_000);
    expect(retentionMs('180d')).toBe(180 * DAY);
    expect(retentionMs('5y')).toBe(5 * 365 * DAY);
    for (const bad of ['', '5', 'five years', '-1d', '1.5d', '3w']) expect(() => retentionMs(bad), bad).toThrow(/retention period/);
  });

  test('when the cutoffs are computed, then each is now minus its period', () => {
    const now = Date.parse('2026-11-22T00:00:00.000Z');
    expect(retentionCutoffs(now, { documents: '180d', reports: '5y' })).toEqual({
      documentsBefore: new Date(now - 180 * DAY).toISOString(),
      reportsBefore: new Date(now - 5 * 365 * DAY).toISOString(),
    });
  });

  test('when nothing is configured, then documents are kept 180 days and reports 5 years', () => {
    expect(loadConfig({ KYC_DATA_DIR: '/tmp/kyc-config-test' }).retention).toEqual({ documents: '180d', reports: '5y' });
    expect(loadConfig({ KYC_DATA_DIR: '/tmp/kyc-config-test', RETENTION_DOCUMENTS: '30d', RETENTION_REPORTS: '10y' }).retention).toEqual({ documents: '30d', reports: '10y' });
  });

  test('when a period is malformed, or documents would outlive their reports, then the config is refused', () => {
    expect(() => loadConfig({ KYC_DATA_DIR: '/tmp/kyc-config-test', RETENTION_DOCUMENTS: 'half a year' })).toThrow(ConfigError);
    expect(() => loadConfig({ KYC_DATA_DIR: '/tmp/kyc-config-test', RETENTION_DOCUMENTS: '6y', RETENTION_REPORTS: '5y' })).toThrow(/must not be longer/);
  });
});
