'use strict';
/**
 * The script each OCR worker thread runs: it lowers its own thread's CPU priority, then runs
 * tesseract.js's own worker script (local, no network).
 *
 * OCR threads are the bulk of a worker's CPU and are only ever measured by throughput; the main
 * thread and the workflow thread handle Temporal tasks, whose latency every case waits on. On a
 * machine that runs both, equal priorities let two OCR threads delay each workflow task by tens
 * of milliseconds. With the OCR threads niced (Linux: nice is per thread) they still take every
 * idle cycle, and orchestration runs first. OCR_THREAD_NICE (0–19, default 10; 0 leaves it).
 */
const nice = Number(process.env.OCR_THREAD_NICE ?? '10');
if (process.platform === 'linux' && Number.isInteger(nice) && nice > 0 && nice <= 19) {
  try {
    const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
    require('node:os').setPriority(tid, nice);
  } catch {
    // No /proc or not permitted: the thread runs at the process's priority.
  }
}
require('tesseract.js/src/worker-script/node/index.js');
