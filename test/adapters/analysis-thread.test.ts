/**
 * The rules' analysis in its worker thread (src/adapters/analysis-thread.ts): the same results as
 * in the caller's thread, the rules' errors passed back, and a dead thread replaced. Under vitest
 * the thread has no TypeScript loader of its own, so these tests also run the path that registers
 * tsx in it; worker processes started through tsx (test/faults) run the inherited one.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { createAnalysisThread } from '../../src/adapters/analysis-thread.js';
import { ThreadCallError, ThreadStoppedError } from '../../src/adapters/thread-rpc.js';
import { analyseWithRules } from '../../src/domain/analysis.js';
import type { PageText } from '../../src/domain/documents.js';
import { buildTd3, ICAO_SPECIMEN } from '../support/mrz-builder.js';

const passport: PageText[] = [
  {
    page: 1,
    method: 'ocr',
    confidence: 0.9,
    text: ['PASSPORT', 'Surname ERIKSSON', 'Given names ANNA MARIA', 'Date of birth 12 AUG 1974', ...buildTd3(ICAO_SPECIMEN)].join('\n'),
  },
];
const bill: PageText[] = [
  {
    page: 1,
    method: 'pdf-text',
    confidence: 1,
    text: ['NORTHERN POWER LTD', 'Electricity bill', 'Bill date: 03 May 2024', 'Mr John Example', '12 High Street', 'London SW1A 1AA', 'Amount due £84.20'].join('\n'),
  },
];
const statement: PageText[] = [{ page: 1, method: 'ocr', confidence: 0.6, text: 'Statement\nsome unreadable words' }];

const thread = createAnalysisThread();
afterAll(() => thread.terminate());

describe('the rules analysis in a worker thread', { timeout: 60_000 }, () => {
  test('when documents are analysed in the thread, then the results equal the caller thread\'s, in both model modes', async () => {
    for (const modelMode of ['assist', 'off'] as const) {
      for (const pages of [passport, bill, statement]) {
        const options = { asOf: '2024-06-01', modelMode };
        expect(await thread.analyse(pages, options)).toEqual(analyseWithRules(pages, options));
      }
    }
    // Not vacuous: the passport is settled by rules, with its MRZ fields.
    const settled = await thread.analyse(passport, { asOf: '2010-01-01', modelMode: 'off' });
    expect(settled?.type).toBe('passport');
    expect(settled?.fields.documentNumber).toBe('L898902C3');
  });

  test('when the rules throw, then the call rejects with their error\'s name and message, and the thread goes on', async () => {
    const error = await thread.analyse(null as unknown as PageText[], { asOf: '2024-06-01', modelMode: 'off' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThreadCallError);
    expect((error as Error).name).toBe('TypeError');
    await expect(thread.analyse(bill, { asOf: '2024-06-01', modelMode: 'off' })).resolves.toBeDefined();
  });

  test('when the thread is gone, then calls in flight reject as retryable and the next call starts a new thread', async () => {
    const own = createAnalysisThread();
    try {
      const inFlight = own.analyse(passport, { asOf: '2024-06-01', modelMode: 'off' });
      await own.terminate();
      await expect(inFlight).rejects.toBeInstanceOf(ThreadStoppedError);
      expect(await own.analyse(bill, { asOf: '2024-06-01', modelMode: 'off' })).toEqual(analyseWithRules(bill, { asOf: '2024-06-01', modelMode: 'off' }));
      expect(own.restarts).toBe(1);
    } finally {
      await own.terminate();
    }
  });
});
