/**
 * Configuration of the hostile-input limits and of the outbound allow-list, and the webhook
 * activity's run-time check against that list.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, test, vi } from 'vitest';
import { webhookActivities } from '../../activities/webhook.activities.js';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/domain/errors.js';
import { DEFAULT_EXTRACTION_LIMITS } from '../../src/domain/extraction.js';
import { endpointOfUrl, isAllowedOutbound, parseEndpoint } from '../../src/domain/outbound.js';

const BASE = { KYC_DATA_DIR: '/tmp/kyc-config-test', KYC_MASTER_KEYS: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' };
const WEBHOOK = { WEBHOOK_URL: 'https://hooks.bank.example/kyc', WEBHOOK_SECRET: 'whsec-0123456789abcdef' };

function configError(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('worker threads in the config', () => {
  test('when nothing is set, then there is one pdf.js thread per two OCR workers, niced like the OCR threads', () => {
    expect(loadConfig({ ...BASE, OCR_WORKERS: '1' }).pdfThreads).toBe(1);
    expect(loadConfig({ ...BASE, OCR_WORKERS: '4' }).pdfThreads).toBe(2);
    expect(loadConfig({ ...BASE, OCR_WORKERS: '5' }).pdfThreads).toBe(3);
    expect(loadConfig(BASE).ocr.threadNice).toBe(10);
  });

  test('when PDF_THREADS and OCR_THREAD_NICE are set, then they apply; a zero thread count is refused', () => {
    const config = loadConfig({ ...BASE, PDF_THREADS: '3', OCR_THREAD_NICE: '0' });
    expect([config.pdfThreads, config.ocr.threadNice]).toEqual([3, 0]);
    expect(configError({ ...BASE, PDF_THREADS: '0' }).join('\n')).toMatch(/PDF_THREADS/);
  });
});

describe('extraction limits in the config', () => {
  test('when nothing is set, then the defaults apply', () => {
    expect(loadConfig(BASE).extraction).toEqual({ maxBytes: 52_428_800, maxPages: 200, maxPixels: 50_000_000, pageTimeoutMs: 60_000 });
    expect(loadConfig(BASE).extraction).toEqual(DEFAULT_EXTRACTION_LIMITS);
  });

  test('when MAX_DOCUMENT_BYTES, MAX_PAGES, MAX_PIXELS and PAGE_TIMEOUT are set, then they are the limits', () => {
    const config = loadConfig({ ...BASE, MAX_DOCUMENT_BYTES: '1000000', MAX_PAGES: '5', MAX_PIXELS: '4000000', PAGE_TIMEOUT: '1500ms' });
    expect(config.extraction).toEqual({ maxBytes: 1_000_000, maxPages: 5, maxPixels: 4_000_000, pageTimeoutMs: 1500 });
    expect(loadConfig({ ...BASE, PAGE_TIMEOUT: '2m' }).extraction.pageTimeoutMs).toBe(120_000);
  });

  test('when a limit is not a positive number or a duration, then start-up fails naming each one', () => {
    const problems = configError({ ...BASE, MAX_PAGES: '0', MAX_PIXELS: 'lots', PAGE_TIMEOUT: 'forever' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(expect.arrayContaining(['MAX_PAGES', 'MAX_PIXELS', 'PAGE_TIMEOUT']));
  });
});

describe('the outbound allow-list', () => {
  test('when endpoints are written as URLs or host:port, then they are normalised with default ports', () => {
    expect(parseEndpoint('Temporal.Bank.Internal:7233')).toBe('temporal.bank.internal:7233');
    expect(parseEndpoint('[::1]:7233')).toBe('[::1]:7233');
    expect(parseEndpoint('no-port')).toBeUndefined();
    expect(parseEndpoint('host:99999')).toBeUndefined();
    expect(endpointOfUrl('https://hooks.bank.example/kyc')).toBe('hooks.bank.example:443');
    expect(endpointOfUrl('http://10.0.0.5:8080/x')).toBe('10.0.0.5:8080');
    expect(endpointOfUrl('postgres://kyc:pw@db.bank.example/kyc')).toBe('db.bank.example:5432');
  });

  test('when a destination is loopback or listed, then it is allowed; anything else is not', () => {
    const list = ['hooks.bank.example:443', '[fd00::5]:7233'];
    expect(isAllowedOutbound('127.0.0.1', 7233, [])).toBe(true);
    expect(isAllowedOutbound('::1', 80, [])).toBe(true);
    expect(isAllowedOutbound('localhost', 8080, [])).toBe(true);
    expect(isAllowedOutbound('hooks.bank.example', 443, list)).toBe(true);
    expect(isAllowedOutbound('fd00::5', 7233, list)).toBe(true);
    expect(isAllowedOutbound('hooks.bank.example', 80, list)).toBe(false);
    expect(isAllowedOutbound('192.0.2.1', 443, list)).toBe(false);
  });

  test('when ALLOWED_OUTBOUND is unset, then it is the configured Temporal, webhook and PostgreSQL endpoints', () => {
    const config = loadConfig({
      ...BASE,
      ...WEBHOOK,
      TEMPORAL_ADDRESS: 'temporal.bank.internal:7233',
      REVIEW_DB_URL: 'postgres://kyc:secret@db.bank.internal:6432/kyc',
    });
    expect(config.network.allowedOutbound).toEqual(['temporal.bank.internal:7233', 'hooks.bank.example:443', 'db.bank.internal:6432']);
    expect(loadConfig(BASE).network.allowedOutbound).toEqual([]); // embedded server, SQLite: loopback only
  });

  test('when ALLOWED_OUTBOUND is set, then it is the whole list and every configured endpoint must be on it', () => {
    const env = { ...BASE, ...WEBHOOK, TEMPORAL_ADDRESS: 'temporal.bank.internal:7233' };
    expect(loadConfig({ ...env, ALLOWED_OUTBOUND: 'temporal.bank.internal:7233,hooks.bank.example:443,kms.bank.internal:5696' }).network.allowedOutbound).toEqual([
      'temporal.bank.internal:7233',
      'hooks.bank.example:443',
      'kms.bank.internal:5696',
    ]);
    expect(configError({ ...env, ALLOWED_OUTBOUND: 'temporal.bank.internal:7233' })).toEqual([
      'WEBHOOK_URL: hooks.bank.example:443 is not in ALLOWED_OUTBOUND',
    ]);
  });
});

describe('the webhook activity at run time', () => {
  const target = { url: 'https://hooks.elsewhere.example/kyc', secret: 'whsec-0123456789abcdef', giveUpAfterMs: 60_000, timeoutMs: 1000 };
  const event = {
    event: 'case.decided' as const, caseId: 'c-1', batchId: 'b-1', decision: 'approved' as const, reasons: [],
    decidedBy: 'engine', decidedAt: '2026-11-01T00:00:00.000Z',
  };

  test('when the webhook URL is not on the allow-list, then it is never called and the delivery fails for good', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    try {
      const { deliverWebhook } = webhookActivities({ webhook: target, allowedOutbound: ['hooks.bank.example:443'] });
      const error = await new MockActivityEnvironment().run(deliverWebhook, event).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApplicationFailure);
      expect(error).toMatchObject({ type: 'OUTBOUND_NOT_ALLOWED', nonRetryable: true });
      expect((error as Error).message).toBe('the webhook endpoint hooks.elsewhere.example:443 is not in ALLOWED_OUTBOUND');
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });
});
