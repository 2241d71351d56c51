/** `GET /v1/cases/:caseId`: the report when the case is done, its progress while it runs. */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { CaseProgress, KycService } from '../../app/service.js';
import type { CaseReport } from '../../domain/report.js';
import { requireRoles, type Authenticate } from '../auth.js';
import { ApiError } from '../http-errors.js';
import { BatchCaseParamsSchema, CaseParamsSchema } from '../schemas.js';

export interface CaseRoutesOptions {
  service: KycService;
  authenticate: Authenticate;
}

/** Seconds a client should wait before polling a running case again. */
export const CASE_POLL_SECONDS = 5;

export const caseRoutes: FastifyPluginAsync<CaseRoutesOptions> = async (app, { service, authenticate }) => {
  const reader = requireRoles(authenticate, ['submitter', 'reviewer', 'senior_reviewer', 'auditor', 'admin']);
  app.get('/v1/cases/:caseId', { onRequest: reader }, async (request, reply) => {
    const { caseId } = CaseParamsSchema.parse(request.params);
    return sendCase(reply, caseId, await service.getCase(caseId));
  });
  app.get('/v1/batches/:batchId/cases/:caseId', { onRequest: reader }, async (request, reply) => {
    const { batchId, caseId } = BatchCaseParamsSchema.parse(request.params);
    return sendCase(reply, caseId, await service.getCaseInBatch(batchId, caseId));
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
