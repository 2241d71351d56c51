'use strict';
/**
 * Lowers the CPU priority of the calling thread (Linux: nice is per thread), for the worker
 * threads that do throughput work (OCR, pdf.js, the rules analysis): they still take every idle
 * cycle, and the threads that answer Temporal run first. Plain CommonJS so that every thread
 * script can load it, whatever loader its process has.
 * @param {unknown} value nice value 1–19; anything else leaves the thread as it is
 */
function lowerThreadPriority(value) {
  const nice = Number(value);
  if (process.platform !== 'linux' || !Number.isInteger(nice) || nice <= 0 || nice > 19) return;
  try {
    const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
    require('node:os').setPriority(tid, nice);
  } catch {
    // No /proc or not permitted: the thread runs at the process's priority.
  }
}

module.exports = { lowerThreadPriority };
