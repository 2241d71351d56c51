/**
 * `DELETE /v1/cases/:caseId[?org=]` (every batch of the organisation that carried the case id) and
 * `DELETE /v1/batches/:batchId/cases/:caseId`: erasure on request, admins only. Synchronous: the
 * answer (200) says what was erased; erasing again answers 200 with `alreadyErased`.
 */
import type { FastifyPluginAsync } from 'fastify';
import { ErasureConflictError, type ErasureService } from '../../app/erasure.js';
import { actorOf, requireRoles, type Authenticate } from '../auth.js';
import { ApiError } from '../http-errors.js';
import { z } from 'zod';
import { ORG_PATTERN } from '../../review/types.js';
import { BatchCaseParamsSchema, CaseParamsSchema } from '../schemas.js';

const EraseQuerySchema = z.strictObject({ org: z.string().regex(ORG_PATTERN, 'an organisation id').optional() });

export interface ErasureRoutesOptions {
  erasure: ErasureService;
  authenticate: Authenticate;
}

export const erasureRoutes: FastifyPluginAsync<ErasureRoutesOptions> = async (app, { erasure, authenticate }) => {
  const admin = requireRoles(authenticate, ['admin']);
  const erase = async (caseId: string, batchId: string | undefined, by: { keyId: string; name: string }, org?: string) => {
    const request = { caseId, ...(batchId !== undefined ? { batchId } : {}), ...(org !== undefined ? { org } : {}), by };
    const summary = await erasure.erase(request).catch((err: unknown) => {
      if (err instanceof ErasureConflictError) throw new ApiError({ statusCode: 409, code: err.code, message: err.message });
      throw err;
    });
    if (!summary) throw new ApiError({ statusCode: 404, code: 'CASE_NOT_FOUND', message: `no case ${caseId}` });
    return summary;
  };
  app.delete('/v1/cases/:caseId', { onRequest: admin }, async (request) => {
    const { caseId } = CaseParamsSchema.parse(request.params);
    // The owning organisation, needed when several use the case id.
    const { org } = EraseQuerySchema.parse(request.query ?? {});
    const actor = actorOf(request);
    return erase(caseId, undefined, { keyId: actor.keyId, name: actor.name }, org);
  });
  app.delete('/v1/batches/:batchId/cases/:caseId', { onRequest: admin }, async (request) => {
    const { batchId, caseId } = BatchCaseParamsSchema.parse(request.params);
    const actor = actorOf(request);
    return erase(caseId, batchId, { keyId: actor.keyId, name: actor.name });
  });
};
