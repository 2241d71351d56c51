/** PDF_MEMORY_LIMIT: one PDF document's memory bound (src/config.ts → src/adapters/pdfjs.ts). */
import { describe, expect, test } from 'vitest';
import { DEFAULT_PDF_MEMORY_LIMIT_BYTES } from '../../src/adapters/pdfjs.js';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/domain/errors.js';

const BASE = { KYC_DATA_DIR: '/tmp/kyc-config-test', KYC_MASTER_KEYS: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' };

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.join('\n');
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('PDF_MEMORY_LIMIT', () => {
  test('when unset, then each PDF document may use 1 GiB, the engine\'s own default', () => {
    expect(loadConfig(BASE).pdfMemoryLimitBytes).toBe(1024 ** 3);
    expect(loadConfig(BASE).pdfMemoryLimitBytes).toBe(DEFAULT_PDF_MEMORY_LIMIT_BYTES);
  });

  test('when set in GiB, MiB or bytes, then it is read as bytes', () => {
    expect(loadConfig({ ...BASE, PDF_MEMORY_LIMIT: '2GiB' }).pdfMemoryLimitBytes).toBe(2 * 1024 ** 3);
    expect(loadConfig({ ...BASE, PDF_MEMORY_LIMIT: '768MiB' }).pdfMemoryLimitBytes).toBe(768 * 1024 ** 2);
    expect(loadConfig({ ...BASE, PDF_MEMORY_LIMIT: '536870912' }).pdfMemoryLimitBytes).toBe(512 * 1024 ** 2);
  });

  test('when malformed or too small for pdf.js itself, then the configuration is refused naming it', () => {
    expect(problems({ ...BASE, PDF_MEMORY_LIMIT: '1GB' })).toMatch(/PDF_MEMORY_LIMIT: a size such as 1GiB, 768MiB or a number of bytes/);
    expect(problems({ ...BASE, PDF_MEMORY_LIMIT: '64MiB' })).toMatch(/PDF_MEMORY_LIMIT: at least 128MiB/);
  });
});
