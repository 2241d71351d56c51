/** `POST /v1/batches` (multipart submission) and `GET /v1/batches/:batchId` (status). */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { SubmissionConflictError, type BatchSubmission, type KycService } from '../../app/service.js';
import { DEFAULT_ORG } from '../../review/types.js';
import { actorOf, ownerScopeOf, requireRoles, type Authenticate } from '../auth.js';
import { ApiError } from '../http-errors.js';
import {
  BatchParamsSchema,
  IdempotencyKeySchema,
  type BatchAccepted,
  type ResolvedApiLimits,
} from '../schemas.js';
import { readBatchForm } from './batch-form.js';

export interface BatchRoutesOptions {
  service: KycService;
  limits: ResolvedApiLimits;
  authenticate: Authenticate;
}

export const batchRoutes: FastifyPluginAsync<BatchRoutesOptions> = async (app, { service, limits, authenticate }) => {
  const submitter = requireRoles(authenticate, ['submitter', 'admin']);
  const reader = requireRoles(authenticate, ['submitter', 'reviewer', 'senior_reviewer', 'auditor', 'admin']);
  app.post('/v1/batches', { onRequest: [submitter, requireMultipart] }, async (request, reply) => {
    const idempotencyKey = readIdempotencyKey(request);
    const form = await readBatchForm(request.parts(), limits);
    const actor = actorOf(request);
    // The batch belongs to the key's organisation; the person is never a reviewer of its cases.
    const submitter = { org: actor.org ?? DEFAULT_ORG, keyId: actor.keyId, ...(actor.person !== undefined ? { person: actor.person } : {}) };
    const submission = await service
      .submitBatch({ ...form, submitter, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) })
      .catch((err: unknown) => {
        if (err instanceof SubmissionConflictError) throw new ApiError({ statusCode: 409, code: err.code, message: err.message });
        throw err;
      });
    const body = toBatchAccepted(submission);
    // First acceptance → 202; an idempotent resubmission → 200 with the same body and existing: true.
    return reply.code(submission.existing ? 200 : 202).header('location', body.links.self).send(body);
  });

  app.get('/v1/batches/:batchId', { onRequest: reader }, async (request, reply) => {
    const { batchId } = BatchParamsSchema.parse(request.params);
    // Another owner's batch is answered like one that does not exist.
    const status = await service.getBatch(batchId, ownerScopeOf(actorOf(request)));
    if (!status) {
      throw new ApiError({ statusCode: 404, code: 'BATCH_NOT_FOUND', message: `no batch ${batchId}` });
    }
    return reply.code(200).send(status);
  });
};

export function batchPath(batchId: string): string {
  return `/v1/batches/${encodeURIComponent(batchId)}`;
}

export function casePath(caseId: string): string {
  return `/v1/cases/${encodeURIComponent(caseId)}`;
}

export function toBatchAccepted(submission: BatchSubmission): BatchAccepted {
  return {
    batchId: submission.batchId,
    caseIds: submission.caseIds,
    status: 'accepted',
    existing: submission.existing,
    links: { self: batchPath(submission.batchId), cases: submission.caseIds.map(casePath) },
  };
}

/** Rejects anything but multipart/form-data before a body parser runs. */
async function requireMultipart(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const type = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*(;|$)/i.test(type)) {
    throw new ApiError({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'POST /v1/batches takes multipart/form-data; see GET /v1/openapi.json for the form layout',
    });
  }
}

function readIdempotencyKey(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const parsed = IdempotencyKeySchema.safeParse(header);
  if (parsed.success) return parsed.data;
  throw new ApiError({
    statusCode: 400,
    code: 'INVALID_IDEMPOTENCY_KEY',
    message: 'Idempotency-Key must be 1-255 printable ASCII characters without spaces, sent once',
    details: [{ field: 'Idempotency-Key', message: parsed.error.issues[0]?.message ?? 'invalid' }],
  });
}
