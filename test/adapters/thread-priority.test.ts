/**
 * The pdf.js processes and the rules-analysis worker thread run below the worker's own threads
 * (src/adapters/thread-priority.cjs), like the OCR threads (ocr-thread.test.ts), so the threads
 * that handle Temporal tasks are not kept waiting by them on a busy machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { createAnalysisThread } from '../../src/adapters/analysis-thread.js';
import { createPdfEngine } from '../../src/adapters/pdfjs.js';
import { textPdf } from '../support/draw.js';

/** Fields of a /proc stat line after the command name: [0] state, [1] parent pid, [16] nice. */
function statFields(path: string): string[] {
  const stat = readFileSync(path, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Nice value of each thread of this process that has one other than 0 (Linux /proc). */
function nicedThreads(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    const nice = Number(statFields(`/proc/self/task/${tid}/stat`)[16]);
    return nice !== 0 ? [nice] : [];
  });
}

/** Child processes of this process: pid → nice value of its main thread. */
function children(): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const fields = statFields(`/proc/${pid}/stat`);
      if (Number(fields[1]) === process.pid) out.set(pid, Number(fields[16]));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Nice values of the children started since `before`. */
function newChildren(before: Map<string, number>): number[] {
  return [...children()].filter(([pid]) => !before.has(pid)).map(([, nice]) => nice);
}

test('each lowers its own priority to the nice value it is given (10 by default; workers pass OCR_THREAD_NICE), and 0 leaves it', async () => {
  expect(nicedThreads()).toEqual([]);
  const pdf = createPdfEngine();
  const plain = createPdfEngine({ threadNice: 0 });
  let analysis: ReturnType<typeof createAnalysisThread> | undefined;
  try {
    const before = children();
    await (await pdf.open(await textPdf([['Niced']]))).close();
    const niced = newChildren(before);
    expect(niced.length).toBeGreaterThanOrEqual(1);
    expect(niced.every((nice) => nice === 10)).toBe(true);
    const beforePlain = children();
    await (await plain.open(await textPdf([['Not niced']]))).close();
    const plainNices = newChildren(beforePlain);
    expect(plainNices.length).toBeGreaterThanOrEqual(1);
    expect(plainNices.every((nice) => nice === 0)).toBe(true);
    // Nothing in this process was lowered by them: they are processes of their own.
    expect(nicedThreads()).toEqual([]);
    analysis = createAnalysisThread(); // starts its thread at once
    await analysis.analyse([{ page: 1, method: 'pdf-text', confidence: 1, text: 'Niced' }], { asOf: '2024-06-01', modelMode: 'off' });
    // The analysis thread, and under a test runner the module loader thread it starts for the
    // TypeScript, which inherits its priority.
    const nicedHere = nicedThreads();
    expect(nicedHere.length).toBeGreaterThanOrEqual(2);
    expect(nicedHere.every((nice) => nice === 10)).toBe(true);
  } finally {
    await pdf.terminate();
    await plain.terminate();
    await analysis?.terminate();
  }
});
