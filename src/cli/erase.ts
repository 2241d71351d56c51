import { userInfo } from 'node:os';
import { openEngine } from '../app/engine.js';
import { ErasureConflictError, type ErasureSummary } from '../app/erasure.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';

/**
 * `kyc erase <caseId> [--batch <batchId>]`: erases the case (every batch that carried the id, or
 * the one given), as `DELETE /v1/cases/:caseId` does. Whoever can run this has the data directory
 * and the keys; the erasure record names them `cli:<os user>`.
 */
export async function eraseCommand(caseId: string, opts: { batch?: string; json?: boolean }): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'error');
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  const engine = await openEngine({ config, logger, workers: 'never', onProgress: say });
  try {
    const summary = await engine.erasure.erase({
      caseId,
      ...(opts.batch ? { batchId: opts.batch } : {}),
      by: { name: `cli:${userInfo().username}` },
    });
    if (!summary) {
      say(`kyc: no case ${caseId}${opts.batch ? ` in batch ${opts.batch}` : ''}`);
      return 1;
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(formatErasure(summary));
    return 0;
  } catch (err) {
    if (err instanceof ErasureConflictError) {
      say(`kyc: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await engine.close();
  }
}

export function formatErasure(summary: ErasureSummary): string {
  return summary.cases
    .map((c) => {
      if (c.alreadyErased) return `Case ${c.caseId} of batch ${c.batchId}: already erased, nothing left.\n`;
      const n = c.counts;
      return (
        `Erased case ${c.caseId} of batch ${c.batchId}: ${n.documents} document(s) destroyed` +
        (n.documentsShared ? `, ${n.documentsShared} kept (held by another case)` : '') +
        `, ${n.texts} extracted text(s), ${n.corrections} correction(s), ${n.events} review event(s) blanked; ` +
        `report ${c.report}, batch history ${c.batchHistory}. Erasure record ${c.erasureId ?? '-'}.\n`
      );
    })
    .join('');
}
