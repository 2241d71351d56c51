/**
 * The rules' analysis of a document (analyseWithRules) in a worker thread of its own, so that its
 * 50–200 ms of synchronous work per document does not hold the main thread, which carries every
 * Temporal activation of the process. See analysis-thread.mjs.
 */
import { fileURLToPath } from 'node:url';
import type { RulesAnalysisOptions } from '../domain/analysis.js';
import type { DocumentAnalysis, PageText } from '../domain/documents.js';
import { RpcThread, RpcThreadSlots } from './thread-rpc.js';

export const ANALYSIS_THREAD_SCRIPT = fileURLToPath(new URL('./analysis-thread.mjs', import.meta.url));

export interface AnalysisThread {
  /** analyseWithRules, run in the thread: the same result as in the caller's thread. */
  analyse(pages: PageText[], options: RulesAnalysisOptions): Promise<DocumentAnalysis | undefined>;
  /** Threads replaced so far, after one died or was terminated. */
  readonly restarts: number;
  /** Stops the thread; calls in flight reject. A later call starts a new one. */
  terminate(): Promise<void>;
}

export interface AnalysisThreadOptions {
  /** Nice value of the thread (Linux); 0 leaves the process's own. Default 10, like the OCR threads. */
  nice?: number;
  /** Script the thread runs; default analysis-thread.mjs. */
  script?: string;
}

/** Starts the thread now, so that it has loaded the rules before the first document. */
export function createAnalysisThread(options: AnalysisThreadOptions = {}): AnalysisThread {
  const spawn = (): RpcThread =>
    new RpcThread(options.script ?? ANALYSIS_THREAD_SCRIPT, { workerData: { nice: options.nice ?? 10 }, stoppedMessage: 'the analysis thread stopped' });
  const threads = new RpcThreadSlots(1, spawn);
  threads.live();
  return {
    get restarts() {
      return threads.restarts;
    },
    // The rules throwing reject as a ThreadCallError with their error's name and message.
    analyse: (pages, analyseOptions) => threads.live()[0]!.call<DocumentAnalysis | undefined>('analyse', { pages, options: analyseOptions }),
    terminate: () => threads.stop(),
  };
}
