/** `GET /v1/cases/:caseId`: the report when the case is done, its progress while it runs. */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { CaseProgress, KycService } from '../../app/service.js';
import type { ReviewService } from '../../app/review-service.js';
import type { CaseReport } from '../../domain/report.js';
import type { Actor } from '../../review/types.js';
import { actorOf, isReviewing, requireRoles, seesAll, type Authenticate } from '../auth.js';
import { ApiError } from '../http-errors.js';
import { DEFAULT_ORG } from '../../review/types.js';
import { BatchCaseParamsSchema, CaseParamsSchema } from '../schemas.js';

export interface CaseRoutesOptions {
  service: KycService;
  authenticate: Authenticate;
  /** Which cases a reviewer may read (those of the queues they work); without it reviewers read none. */
  review?: Pick<ReviewService, 'visibleTask'>;
}

/** Seconds a client should wait before polling a running case again. */
export const CASE_POLL_SECONDS = 5;

export const caseRoutes: FastifyPluginAsync<CaseRoutesOptions> = async (app, { service, authenticate, review }) => {
  const reader = requireRoles(authenticate, ['submitter', 'reviewer', 'senior_reviewer', 'auditor', 'admin']);
  /**
   * Admins and auditors read every case; submitters their organisation's; reviewers the cases of the
   * review queues they work (or that they acted on). Anything else is answered as unknown (404).
   */
  const readCase = async (actor: Actor, caseId: string, batchId?: string): Promise<CaseReport | CaseProgress | undefined> => {
    if (seesAll(actor)) return batchId === undefined ? service.getCase(caseId) : service.getCaseInBatch(batchId, caseId);
    if (actor.roles.includes('submitter')) {
      const scope = { org: actor.org ?? DEFAULT_ORG };
      const own = batchId === undefined ? await service.getCase(caseId, scope) : await service.getCaseInBatch(batchId, caseId, scope);
      if (own) return own;
    }
    if (isReviewing(actor) && review) {
      const task = await review.visibleTask(caseId, actor);
      if (task && (batchId === undefined || task.batchId === batchId)) return service.getCaseInBatch(task.batchId, caseId);
    }
    return undefined;
  };
  app.get('/v1/cases/:caseId', { onRequest: reader }, async (request, reply) => {
    const { caseId } = CaseParamsSchema.parse(request.params);
    return sendCase(reply, caseId, await readCase(actorOf(request), caseId));
  });
  app.get('/v1/batches/:batchId/cases/:caseId', { onRequest: reader }, async (request, reply) => {
    const { batchId, caseId } = BatchCaseParamsSchema.parse(request.params);
    return sendCase(reply, caseId, await readCase(actorOf(request), caseId, batchId));
  });
};

function sendCase(reply: FastifyReply, caseId: string, result: CaseReport | CaseProgress | undefined): FastifyReply {
    if (!result) {
      throw new ApiError({ statusCode: 404, code: 'CASE_NOT_FOUND', message: `no case ${caseId}` });
    }
    if (isCaseReport(result)) return reply.code(200).send(result);
    // Still running → 202 (poll again). A terminal progress without a report (a failed case) → 200.
    if (result.status === 'pending' || result.status === 'processing') {
      return reply.code(202).header('retry-after', String(CASE_POLL_SECONDS)).send(result);
    }
    return reply.code(200).send(result);
}

export function isCaseReport(result: CaseReport | CaseProgress): result is CaseReport {
  return 'documents' in result && 'checks' in result;
}
