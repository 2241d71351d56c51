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
require('./thread-priority.cjs').lowerThreadPriority(process.env.OCR_THREAD_NICE ?? '10');
require('tesseract.js/src/worker-script/node/index.js');
