/**
 * The HTTP API v1 over `KycService`. `createApiServer` builds and wires the fastify instance; the
 * composition root calls `.listen()`. Nothing here reads config or `process.env`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fastifyMultipart from '@fastify/multipart';
import {
  fastify,
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { pino, type Logger } from 'pino';
import type { KycService } from '../app/service.js';
import { PII_KEYS } from '../logger.js';
import type { ReadinessMonitor } from '../app/readiness.js';
import { withCallBudget } from '../temporal/call-budget.js';
import {
  isTemporalUnreachable,
  methodNotAllowedBody,
  notFoundBody,
  RETRY_AFTER_SECONDS,
  unavailableBody,
  toHttpError,
  writeClientError,
} from './http-errors.js';
import { buildOpenApiDocument } from './openapi.js';
import { MAX_TEXT_FIELD_BYTES } from './routes/batch-form.js';
import { batchRoutes } from './routes/batches.js';
import { caseRoutes } from './routes/cases.js';
import { messagesRoutes } from './routes/messages.js';
import { reviewRoutes } from './routes/review.js';
import { webRoutes } from './routes/web.js';
import { codecRoutes } from './routes/codec.js';
import type { PayloadCodec } from '@temporalio/common';
import type { Authenticate } from './auth.js';
import type { ReviewService } from '../app/review-service.js';
import type { ErasureService } from '../app/erasure.js';
import { erasureRoutes } from './routes/erasure.js';
import { healthRoutes } from './routes/health.js';
import { openApiRoutes } from './routes/openapi.js';
import { ApiLimitsSchema, type ApiLimits, type ResolvedApiLimits } from './schemas.js';

export interface ApiServerOptions {
  service: KycService;
  /** API keys: the key's record when the secret is valid. */
  authenticate: Authenticate;
  /** Human review (inbox, actions, documents); absent → those routes are not served. */
  review?: ReviewService;
  /** Erasure on request (`DELETE /v1/cases/:caseId`, admins); absent → not served. */
  erasure?: ErasureService;
  /** The built web page (dist/web); absent → `/` is not served. */
  webDir?: string;
  /** The Temporal UI's codec endpoint (`/codec/decode`, `/codec/encode`); absent → not served. */
  codec?: { codec: PayloadCodec; corsOrigins: string[] };
  /** A pino logger to log into (a child is made); `false` for none; default a new JSON logger. */
  logger?: Logger | false;
  /** Upload limits; any left out take the defaults in `DEFAULT_API_LIMITS`. */
  limits?: Partial<ApiLimits>;
  /**
   * Dependency probes: `/readyz` reports them, and routes needing a dependency known to be down
   * answer 503 at once. Absent → `/readyz` has nothing to check and nothing is refused up front.
   */
  readiness?: ReadinessMonitor;
  /** Each Temporal call a request makes gets this long before the request answers 503 (default 1.5 s). */
  temporalCallBudgetMs?: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route cannot work without (names of readiness probes); set in `createApiServer`. */
    dependencies?: readonly string[];
  }
}

/** Routes whose handlers call Temporal. Others (inbox, documents, audit trail) work without it. */
const TEMPORAL_ROUTES = new Set([
  'POST /v1/batches',
  'GET /v1/batches/:batchId',
  'GET /v1/batches/:batchId/cases/:caseId',
  'GET /v1/cases/:caseId',
  'DELETE /v1/cases/:caseId',
  'DELETE /v1/batches/:batchId/cases/:caseId',
  'POST /v1/cases/:caseId/documents',
  'POST /v1/review/tasks/:caseId/claim',
  'POST /v1/review/next',
  'POST /v1/review/tasks/:caseId/release',
  'POST /v1/review/tasks/:caseId/reassign',
  'POST /v1/review/tasks/:caseId/decision',
  'POST /v1/review/tasks/:caseId/notes',
]);

/** The readiness probes a route depends on: keys live in the database, so every keyed route needs it. */
export function routeDependencies(method: string, url: string): string[] {
  const keyed = (url.startsWith('/v1/') && url !== '/v1/openapi.json' && url !== '/v1/messages') || url.startsWith('/codec/');
  return [...(keyed ? ['reviewDb'] : []), ...(TEMPORAL_ROUTES.has(`${method} ${url}`) ? ['temporal'] : [])];
}

export const DEFAULT_API_LIMITS: ResolvedApiLimits = Object.freeze({
  maxFileBytes: 25 * 1024 * 1024,
  maxFiles: 200,
  maxCases: 100,
  /** Everything is buffered in memory before the service stores it: this bounds one request. */
  maxTotalBytes: 256 * 1024 * 1024,
});

/**
 * Log paths censored whatever a caller logs: bodies, applicant data, file names, secrets. A pino child's
 * `redact` replaces its parent's, so the root logger's PII keys are repeated here.
 * The request log lines themselves (see `ApiLogController`) only carry method, route, status, duration.
 */
const API_SENSITIVE_KEYS = [...PII_KEYS, 'filename', 'documents', 'body', 'sanctionsCsv'];
export const REDACTED_LOG_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  ...new Set([...API_SENSITIVE_KEYS, ...API_SENSITIVE_KEYS.map((key) => `*.${key}`)]),
];

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createApiServer(options: ApiServerOptions): FastifyInstance {
  const limits = resolveLimits(options.limits);
  const loggerInstance = apiLogger(options.logger);
  const app = fastify({
    ...(loggerInstance ? { loggerInstance } : { logger: false }),
    logController: new ApiLogController(),
    genReqId: requestId,
    // Multipart bodies bypass bodyLimit (the limits below apply); this bounds any other body.
    bodyLimit: 1024 * 1024,
    // Errors fastify and Node raise outside any route get the documented body as well.
    clientErrorHandler: writeClientError,
    frameworkErrors: (error, request, reply) => {
      const mapped = toHttpError(error, limits);
      request.log.info({ code: mapped.body.error.code, statusCode: mapped.statusCode }, 'request rejected');
      void (reply as FastifyReply).code(mapped.statusCode).headers(mapped.headers).send(mapped.body);
    },
  });

  app.register(fastifyMultipart, {
    throwFileSizeLimit: true,
    limits: {
      fileSize: limits.maxFileBytes,
      // Backstops only: documents and cases are counted in readBatchForm with clearer messages.
      // Files: the documents, one applicant JSON file per case at most, the sanctions file.
      files: limits.maxFiles + limits.maxCases + 1,
      // Text fields: one applicant per case, asOf, batchId.
      fields: limits.maxCases + 2,
      parts: limits.maxFiles + 2 * limits.maxCases + 3,
      fieldSize: MAX_TEXT_FIELD_BYTES,
      fieldNameSize: 256,
      headerPairs: 100,
    },
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Every handler's Temporal calls are bounded, and each route knows what it needs.
  const budgetMs = options.temporalCallBudgetMs ?? 1_500;
  const routes: Array<{ method: string; pattern: RegExp }> = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const pattern = routePattern(route.url);
    for (const method of methods) routes.push({ method, pattern });
    const dependencies = [...new Set(methods.flatMap((m) => routeDependencies(m, route.url)))];
    route.config = { ...route.config, dependencies };
    const handler = route.handler;
    route.handler = function budgeted(request, reply) {
      return withCallBudget(budgetMs, () => handler.call(this, request, reply));
    };
  });

  // Known down → 503 before authentication, body parsing or storing anything.
  const readiness = options.readiness;
  if (readiness) {
    app.addHook('onRequest', async (request, reply) => {
      const down = readiness.down(request.routeOptions.config?.dependencies ?? []);
      if (down.length === 0) return;
      request.log.info({ code: 'SERVICE_UNAVAILABLE', statusCode: 503, down }, 'request refused: dependency down');
      const what = down.includes('temporal') ? 'the processing engine' : 'the database';
      return reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send(unavailableBody(`${what} is unavailable; retry later`, down));
    });
  }

  app.setErrorHandler((error: unknown, request, reply) => {
    const mapped = toHttpError(error, limits);
    if (isTemporalUnreachable(error)) readiness?.suspect(); // the next request need not wait for its own timeout
    if (mapped.isServerError) {
      request.log.error({ err: serializeError(error) }, 'request failed');
    } else {
      request.log.info({ code: mapped.body.error.code, statusCode: mapped.statusCode }, 'request rejected');
    }
    return reply.code(mapped.statusCode).headers(mapped.headers).send(mapped.body);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // The path exists with other methods: 405 and the methods it has.
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))].sort();
    if (allowed.length > 0) return reply.code(405).header('allow', allowed.join(', ')).send(methodNotAllowedBody(request.method, allowed));
    return reply.code(404).send(notFoundBody(request.method, path));
  });

  app.register(healthRoutes, { ...(readiness ? { readiness } : {}) });
  app.register(openApiRoutes, { document: buildOpenApiDocument(limits) });
  app.register(messagesRoutes);
  app.register(batchRoutes, { service: options.service, limits, authenticate: options.authenticate });
  app.register(caseRoutes, { service: options.service, authenticate: options.authenticate, ...(options.review ? { review: options.review } : {}) });
  if (options.review) app.register(reviewRoutes, { review: options.review, authenticate: options.authenticate, limits });
  if (options.erasure) app.register(erasureRoutes, { erasure: options.erasure, authenticate: options.authenticate });
  if (options.webDir) app.register(webRoutes, { dir: options.webDir });
  if (options.codec) app.register(codecRoutes, { ...options.codec, authenticate: options.authenticate });
  return app;
}

/** A route URL (`/v1/cases/:caseId`, a trailing `*`) as a regular expression over request paths. */
function routePattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

export function resolveLimits(limits: Partial<ApiLimits> | undefined): ResolvedApiLimits {
  const merged = ApiLimitsSchema.parse({ ...DEFAULT_API_LIMITS, ...limits });
  return { ...merged, maxTotalBytes: merged.maxTotalBytes ?? DEFAULT_API_LIMITS.maxTotalBytes };
}

/**
 * Fastify's own request lines would log the URL and headers; ours log method, route pattern
 * (never the concrete path), status and duration. The request id is bound by fastify as `reqId`.
 */
export class ApiLogController extends LogController {
  override incomingRequest(): void {
    // One line per request, at completion.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? '(no route)',
      statusCode: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: serializeError(error) }, 'request errored');
    else reply.log.info(line, 'request completed');
  }

  override routeNotFound(): void {
    // The completion line already says 404 with no route.
  }
}

function apiLogger(logger: Logger | false | undefined): FastifyBaseLogger | undefined {
  if (logger === false) return undefined;
  const base = logger ?? pino({ name: 'kyc-api' }, pino.destination(2)); // stderr, like the root logger
  return base.child(
    { component: 'api' },
    { redact: { paths: [...REDACTED_LOG_PATHS], censor: '[redacted]' } },
  );
}

function requestId(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** Name, code, message and stack of the error; never the request, its body or its parts. */
function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return { type: error.name, ...(code ? { code } : {}), message: error.message, stack: error.stack };
}
