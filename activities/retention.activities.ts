import { Context } from '@temporalio/activity';
import type { AuditStore } from '../src/adapters/audit-db.js';
import { temporalCaseWorkflows } from '../src/adapters/temporal-case-workflows.js';
import { auditSink, eraseCase, eraseCaseDocuments, type ErasurePorts } from '../src/app/erasure.js';
import type { CaseRecord, CaseRegistry, CaseWorkflows, ErasureActor } from '../src/domain/erasure.js';
import type { DocumentStore } from '../src/domain/ports.js';
import type { RetentionPageResult } from '../src/domain/retention.js';
import { batchWorkflowId } from '../src/temporal/names.js';
import { toFailure } from './to-failure.js';

export interface RetentionDeps {
  store: DocumentStore;
  /** The case registry (review database): only a worker serving the io queue has it. */
  registry?: CaseRegistry;
  auditStore?: Pick<AuditStore, 'append'>;
  /** Default: the worker's own Temporal client, from the activity context. */
  caseWorkflows?: CaseWorkflows;
}

export interface EraseExpiredInput {
  /** Cases closed before this instant (ISO) lose their documents. */
  documentsBefore: string;
  /** Cases closed before this instant are erased whole. */
  reportsBefore: string;
  /** Cases per step (refresh page, report page, document page). */
  limit: number;
  /** First call of a run: record the close time of cases that closed since the last run. */
  refresh: boolean;
}

const RETENTION: ErasureActor = { name: 'retention' };

export const retentionActivities = (deps: RetentionDeps) => ({
  /**
   * One page of retention: whole cases past report retention, then documents past document
   * retention. Idempotent: every case done is marked in the registry, so a retry goes on where
   * the last attempt stopped. Heartbeats after every case.
   */
  async eraseExpiredCases(input: EraseExpiredInput): Promise<RetentionPageResult> {
    const ctx = Context.current();
    const done = { casesClosed: 0, documentCases: 0, reportCases: 0 };
    try {
      if (!deps.registry) throw new Error('the case registry is not open in this worker process (it serves no io queue)');
      const ports: ErasurePorts = {
        store: deps.store,
        registry: deps.registry,
        workflows: deps.caseWorkflows ?? temporalCaseWorkflows(ctx.client),
        ...(deps.auditStore ? { audit: auditSink(deps.auditStore) } : {}),
      };
      if (input.refresh) {
        const latest = input.documentsBefore > input.reportsBefore ? input.documentsBefore : input.reportsBefore;
        done.casesClosed = await recordCloseTimes(latest, input.limit, ports, () => ctx.heartbeat(done));
      }
      const reports = await ports.registry.listExpiredCases('reports', input.reportsBefore, input.limit);
      for (const record of reports) {
        await eraseCase(record, { by: RETENTION, reason: 'retention' }, ports);
        done.reportCases += 1;
        ctx.heartbeat(done);
      }
      const documents = await ports.registry.listExpiredCases('documents', input.documentsBefore, input.limit);
      for (const record of documents) {
        await eraseCaseDocuments(record, { by: RETENTION, reason: 'retention' }, ports);
        done.documentCases += 1;
        ctx.heartbeat(done);
      }
      ctx.log.info('retention page applied', done);
      return { ...done, more: reports.length === input.limit || documents.length === input.limit };
    } catch (err) {
      throw toFailure(err);
    }
  },
});

/**
 * Retention counts from when a case closed; the registry learns it here, from Temporal. Only cases
 * submitted before the later cutoff can have closed before it. A case with no workflow whose batch
 * is not running never ran or was removed from Temporal: it counts as closed now.
 */
async function recordCloseTimes(before: string, limit: number, ports: ErasurePorts, heartbeat: () => void): Promise<number> {
  let closed = 0;
  let after: CaseRecord | undefined;
  for (;;) {
    const page = await ports.registry.listOpenCases(before, limit, after && { submittedAt: after.submittedAt, workflowId: after.workflowId });
    for (const record of page) {
      const state = await ports.workflows.state(record.workflowId);
      let closedAt: string | undefined;
      if (state?.status === 'closed') closedAt = state.closedAt;
      else if (state === undefined && (await ports.workflows.state(batchWorkflowId(record.batchId)))?.status !== 'running') {
        closedAt = new Date().toISOString();
      }
      if (closedAt !== undefined) {
        await ports.registry.markClosed(record.workflowId, closedAt);
        closed += 1;
      }
    }
    heartbeat();
    if (page.length < limit) return closed;
    after = page.at(-1);
  }
}
