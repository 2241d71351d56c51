/**
 * The pdf.js and rules-analysis worker threads run below the process's other threads
 * (src/adapters/thread-priority.cjs), like the OCR threads (ocr-thread.test.ts), so the threads
 * that handle Temporal tasks are not kept waiting by them on a busy machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { createAnalysisThread } from '../../src/adapters/analysis-thread.js';
import { createPdfEngine } from '../../src/adapters/pdfjs.js';
import { textPdf } from '../support/draw.js';

/** Nice value of each thread of this process that has one other than 0 (Linux /proc). */
function nicedThreads(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    return nice !== 0 ? [nice] : [];
  });
}

test('each lowers its own priority to the nice value it is given (10 by default; workers pass OCR_THREAD_NICE), and 0 leaves it', async () => {
  expect(nicedThreads()).toEqual([]);
  const pdf = createPdfEngine();
  const plain = createPdfEngine({ threadNice: 0 });
  let analysis: ReturnType<typeof createAnalysisThread> | undefined;
  try {
    await (await pdf.open(await textPdf([['Niced']]))).close();
    expect(nicedThreads()).toEqual([10]);
    await (await plain.open(await textPdf([['Not niced']]))).close();
    expect(nicedThreads()).toEqual([10]);
    analysis = createAnalysisThread(); // starts its thread at once
    await analysis.analyse([{ page: 1, method: 'pdf-text', confidence: 1, text: 'Niced' }], { asOf: '2024-06-01', modelMode: 'off' });
    // The analysis thread, and under a test runner the module loader thread it starts for the
    // TypeScript, which inherits its priority.
    const niced = nicedThreads();
    expect(niced.length).toBeGreaterThanOrEqual(2);
    expect(niced.every((nice) => nice === 10)).toBe(true);
  } finally {
    await pdf.terminate();
    await plain.terminate();
    await analysis?.terminate();
  }
});
