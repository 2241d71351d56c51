/**
 * OCR worker threads run below the process's other threads (src/adapters/ocr-thread.cjs), so the
 * threads that handle Temporal tasks are not kept waiting by OCR on a busy machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { createTesseractPool } from '../../src/adapters/tesseract-ocr.js';

/** Nice value of each thread of this process that has one other than 0 (Linux /proc). */
function nicedThreads(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    return nice !== 0 ? [nice] : [];
  });
}

describe('OCR worker threads', () => {
  const saved = process.env.OCR_THREAD_NICE;
  afterEach(() => {
    if (saved === undefined) delete process.env.OCR_THREAD_NICE;
    else process.env.OCR_THREAD_NICE = saved;
  });

  test('each thread of the pool lowers its own priority to nice 10 by default; the rest of the process keeps its own', async () => {
    delete process.env.OCR_THREAD_NICE;
    expect(nicedThreads()).toEqual([]);
    const pool = await createTesseractPool({ size: 2 });
    try {
      expect(nicedThreads()).toEqual([10, 10]);
    } finally {
      await pool.terminate();
    }
  });

  test('OCR_THREAD_NICE=0 leaves the threads at the process priority', async () => {
    process.env.OCR_THREAD_NICE = '0';
    const pool = await createTesseractPool({ size: 1 });
    try {
      expect(nicedThreads()).toEqual([]);
    } finally {
      await pool.terminate();
    }
  });
});
