/** `kyc audit <caseId> [--verify] [--json]`: the case's hash-chained trail, recomputed on request. */
import { openAuditStore } from '../adapters/audit-db.js';
import { verifyChain } from '../audit/chain.js';
import { loadConfig } from '../config.js';

export async function auditCommand(caseId: string, opts: { verify?: boolean; json?: boolean; batch?: string }): Promise<number> {
  const config = loadConfig();
  const store = await openAuditStore(config.review.dbUrl);
  try {
    const keys = await store.caseKeysFor(caseId);
    const caseKey = opts.batch ? keys.find((k) => k.includes(`-${opts.batch}-`)) : keys[0];
    if (!caseKey) {
      process.stderr.write(`kyc: no audit trail for case ${caseId}${opts.batch ? ` in batch ${opts.batch}` : ''}\n`);
      return 2;
    }
    const records = await store.list(caseKey);
    const verification = verifyChain(records);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ caseKey, records, ...(opts.verify ? { verification } : {}) })}\n`);
    } else {
      process.stdout.write(`Audit trail of ${caseKey} (${records.length} records)\n`);
      for (const r of records) {
        process.stdout.write(`${String(r.seq).padStart(4)}  ${r.at}  ${r.actor.padEnd(12)}  ${r.action.padEnd(24)}  ${JSON.stringify(r.detail)}\n`);
      }
      if (opts.verify) {
        process.stdout.write(
          verification.ok
            ? `verified: ${records.length} records, every hash and link holds\n`
            : `BROKEN: ${verification.breaks.map((b) => `record ${b.seq} ${b.reason}`).join('; ')}\n`,
        );
      }
    }
    return opts.verify && !verification.ok ? 1 : 0;
  } finally {
    await store.close();
  }
}
