// @ts-check
/**
 * The script of the analysis worker thread: the rules' classification and field extraction
 * (analyseWithRules in src/domain/analysis.ts), driven by src/adapters/analysis-thread.ts.
 *
 * Why a thread: the rules take 50–200 ms of synchronous JavaScript per document (MRZ repair, date
 * and name searches). On a worker process's main thread that delayed the Temporal activations it
 * also carries. It runs at the OCR threads' lower priority (workerData.nice): throughput work.
 *
 * The domain code is TypeScript. A process started through tsx passes its loader on to its threads;
 * one that was not (a test runner's) gets tsx registered here first.
 *
 * Messages in:  { id, op: 'analyse', pages, options } → DocumentAnalysis | undefined
 * Messages out: { id, value } or { id, error: { name, message } }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import threadPriority from './thread-priority.cjs';

const { lowerThreadPriority } = threadPriority;

if (!parentPort) throw new Error('analysis-thread.mjs runs as a worker thread');
const port = parentPort;

lowerThreadPriority(workerData?.nice);

const ANALYSIS = new URL('../domain/analysis.ts', import.meta.url).href;

/** @returns {Promise<typeof import('../domain/analysis.ts')>} */
async function loadAnalysis() {
  try {
    return await import(ANALYSIS);
  } catch (err) {
    if (/** @type {{ code?: string }} */ (err).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    const { register } = await import('tsx/esm/api');
    register();
    // Another URL: the failed import stays in the module map under the first one.
    return await import(`${ANALYSIS}?tsx`);
  }
}

// Messages wait in the port until this listener exists.
const analysis = await loadAnalysis();
port.on('message', (msg) => {
  if (msg.op === 'cancel') return; // a call runs to its end: it takes milliseconds
  try {
    if (msg.op !== 'analyse') throw new Error(`unknown analysis thread operation: ${msg.op}`);
    port.postMessage({ id: msg.id, value: analysis.analyseWithRules(msg.pages, msg.options) });
  } catch (err) {
    const e = /** @type {Error} */ (err);
    port.postMessage({ id: msg.id, error: { name: e?.name ?? 'Error', message: String(e?.message ?? err) } });
  }
});
