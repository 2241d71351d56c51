/**
 * The reviewers' API: the inbox (`GET /v1/review/tasks`), one task with its history, the actions
 * (claim, release, reassign, decision, notes), additional documents for a case, and the case's
 * documents for preview (original file, rendered PDF pages). `GET /v1/me` tells the web page who
 * signed in.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ReviewService } from '../../app/review-service.js';
import { actorOf, ANY_ROLE, requireRoles, type Authenticate } from '../auth.js';
import { ApiError } from '../http-errors.js';
import {
  CaseParamsSchema,
  DecisionBodySchema,
  DocumentParamsSchema,
  EmptyBodySchema,
  NoteBodySchema,
  PageParamsSchema,
  ReassignBodySchema,
  TaskListQuerySchema,
  type ResolvedApiLimits,
} from '../schemas.js';
import { readDocumentsForm } from './batch-form.js';
import { OPEN_TASK_STATUSES } from '../../review/types.js';

export interface ReviewRoutesOptions {
  review: ReviewService;
  authenticate: Authenticate;
  limits: ResolvedApiLimits;
}

export const reviewRoutes: FastifyPluginAsync<ReviewRoutesOptions> = async (app, { review, authenticate, limits }) => {
  const anyone = requireRoles(authenticate, ANY_ROLE);
  const inboxReaders = requireRoles(authenticate, ['reviewer', 'senior_reviewer', 'auditor', 'admin']);
  const reviewers = requireRoles(authenticate, ['reviewer', 'senior_reviewer']);
  const reassigners = requireRoles(authenticate, ['reviewer', 'senior_reviewer', 'admin']);
  const noteTakers = requireRoles(authenticate, ['reviewer', 'senior_reviewer', 'admin']);
  const documentSenders = requireRoles(authenticate, ['submitter', 'reviewer', 'senior_reviewer', 'admin']);
  const documentViewers = requireRoles(authenticate, ['reviewer', 'senior_reviewer', 'auditor', 'admin']);
  const auditors = requireRoles(authenticate, ['auditor', 'admin']);

  app.get('/v1/me', { onRequest: anyone }, async (request) => actorOf(request));

  app.get('/v1/review/tasks', { onRequest: inboxReaders }, async (request) => {
    const { status, reason, sort, ...query } = TaskListQuerySchema.parse(request.query);
    // Completed tasks apart: without a status the inbox lists the tasks still to be worked.
    const statusFilter = status === 'all' ? {} : status !== undefined ? { status } : { statuses: OPEN_TASK_STATUSES };
    const page = await review.listTasks({ ...query, ...statusFilter, ...(reason !== undefined ? { reason } : {}), order: sort }, actorOf(request));
    return { ...page, tasks: page.tasks.map((task) => ({ ...task, escalated: task.escalatedAt !== undefined })) };
  });

  app.post('/v1/review/next', { onRequest: reviewers }, async (request) => {
    emptyBody(request);
    const task = await review.claimNext(actorOf(request));
    if (!task) throw new ApiError({ statusCode: 404, code: 'NO_TASK', message: 'no open task you may claim in your queues' });
    return task;
  });

  app.get('/v1/review/tasks/:caseId', { onRequest: inboxReaders }, async (request) => {
    const { caseId } = CaseParamsSchema.parse(request.params);
    // Reviewers see the tasks of the queues they work (or that they worked); others answer 404.
    const found = await review.getTask(caseId, actorOf(request));
    if (!found) throw new ApiError({ statusCode: 404, code: 'TASK_NOT_FOUND', message: `no review task for case ${caseId}` });
    return found;
  });

  app.post('/v1/review/tasks/:caseId/claim', { onRequest: reviewers }, async (request) => {
    const { caseId } = CaseParamsSchema.parse(request.params);
    emptyBody(request);
    return review.act(caseId, actorOf(request), { kind: 'claim' });
  });

  app.post('/v1/review/tasks/:caseId/release', { onRequest: reviewers }, async (request) => {
    const { caseId } = CaseParamsSchema.parse(request.params);
    emptyBody(request);
    return review.act(caseId, actorOf(request), { kind: 'release' });
  });

  app.post('/v1/review/tasks/:caseId/reassign', { onRequest: reassigners }, async (request) => {
    const { caseId } = CaseParamsSchema.parse(request.params);
    const { assignee } = ReassignBodySchema.parse(request.body);
    return review.act(caseId, actorOf(request), { kind: 'reassign', assignee });
  });

  app.post('/v1/review/tasks/:caseId/decision', { onRequest: reviewers }, async (request) => {
    const { caseId } = CaseParamsSchema.parse(request.params);
    const body = DecisionBodySchema.parse(request.body);
    return review.act(caseId, actorOf(request), {
      kind: 'decide',
      decision: { decision: body.decision, reason: body.reason, ...(body.corrections ? { corrections: body.corrections } : {}) },
    });
  });

  app.post('/v1/review/tasks/:caseId/notes', { onRequest: noteTakers }, async (request) => {
    const { caseId } = CaseParamsSchema.parse(request.params);
    const { text } = NoteBodySchema.parse(request.body);
    return review.act(caseId, actorOf(request), { kind: 'note', text });
  });

  app.post('/v1/cases/:caseId/documents', { onRequest: [documentSenders, requireMultipart] }, async (request, reply) => {
    const { caseId } = CaseParamsSchema.parse(request.params);
    const files = await readDocumentsForm(request.parts(), limits);
    const task = await review.addDocuments(caseId, actorOf(request), files);
    return reply.code(202).send(task);
  });

  app.get('/v1/cases/:caseId/audit', { onRequest: auditors }, async (request) => {
    const { caseId } = CaseParamsSchema.parse(request.params);
    const trail = await review.auditTrail(caseId);
    if (!trail) throw new ApiError({ statusCode: 404, code: 'AUDIT_NOT_FOUND', message: `no audit trail for case ${caseId}` });
    return trail;
  });

  app.get('/v1/cases/:caseId/documents/:documentId', { onRequest: documentViewers }, async (request, reply) => {
    const { caseId, documentId } = DocumentParamsSchema.parse(request.params);
    const file = await review.getDocument(caseId, documentId, actorOf(request));
    return privateFile(reply, file.contentType).header('content-disposition', `inline; filename="${asciiName(file.fileName)}"`).send(Buffer.from(file.bytes));
  });

  app.get('/v1/cases/:caseId/documents/:documentId/pages/:page', { onRequest: documentViewers }, async (request, reply) => {
    const { caseId, documentId, page } = PageParamsSchema.parse(request.params);
    const png = await review.renderPage(caseId, documentId, page, actorOf(request));
    return privateFile(reply, 'image/png').send(Buffer.from(png));
  });
};

/** Applicants' documents: never cached by a shared cache, never sniffed into something executable. */
function privateFile(reply: FastifyReply, contentType: string): FastifyReply {
  return reply
    .code(200)
    .header('content-type', contentType)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox");
}

function asciiName(name: string): string {
  return name.replace(/[^\x20-\x7E]|["\\]/g, '_');
}

function emptyBody(request: FastifyRequest): void {
  if (request.body !== undefined && request.body !== null) EmptyBodySchema.parse(request.body);
}

async function requireMultipart(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const type = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*(;|$)/i.test(type)) {
    throw new ApiError({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send the documents as multipart/form-data' });
  }
}
