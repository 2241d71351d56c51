/**
 * The one place where errors become HTTP responses. Every error body is
 * `{ error: { code, message, details? } }`; 5xx bodies never carry internal messages.
 */
import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ZodError } from 'zod';
import { ReviewActionError } from '../app/review-service.js';
import { KycError, type KycErrorCode } from '../domain/errors.js';
import type { ErrorDetail, ErrorResponse, ResolvedApiLimits } from './schemas.js';

/** An error the API raises on purpose: its status, code and message go to the client as they are. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly details: ErrorDetail[] | undefined;

  constructor(options: { statusCode: number; code: string; message: string; details?: ErrorDetail[] }) {
    super(options.message);
    this.name = 'ApiError';
    this.statusCode = options.statusCode;
    this.code = options.code;
    this.details = options.details;
  }
}

export interface HttpErrorResponse {
  statusCode: number;
  body: ErrorResponse;
  headers: Record<string, string>;
  /** True for 5xx: the cause is logged, the client only learns that something failed. */
  isServerError: boolean;
}

interface Mapping {
  status: number;
  /** Public code; defaults to the error's own code. */
  code?: string;
  /** Public message; defaults to the error's own message (only for errors whose messages are safe). */
  message?: string | ((limits: ResolvedApiLimits) => string);
  headers?: Record<string, string>;
}

const INTERNAL: Mapping = { status: 500, code: 'INTERNAL_ERROR', message: 'internal error' };

/** Seconds a client should wait before retrying a 503: the embedded server restarts within a few. */
export const RETRY_AFTER_SECONDS = 5;

/** Temporal (or a database) cannot be reached: 503, retry later. The message names no internals. */
export const SERVICE_UNAVAILABLE: Mapping = {
  status: 503,
  code: 'SERVICE_UNAVAILABLE',
  message: 'the processing engine is unavailable; retry later',
  headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
};

/** gRPC UNAVAILABLE (no connection) and DEADLINE_EXCEEDED (no answer within the call budget). */
const UNREACHABLE_GRPC_CODES = new Set([14, 4]);

/** Domain errors. A `Record` over the code union, so a new code does not compile until it is mapped here. */
const KYC_ERRORS: Record<KycErrorCode, Mapping> = {
  UNSUPPORTED_FILE_TYPE: { status: 415 },
  UNREADABLE_DOCUMENT: { status: 422 },
  ENCRYPTED_DOCUMENT: { status: 422 },
  DOCUMENT_TOO_LARGE: { status: 413 },
  PAGE_TIMEOUT: { status: 422 },
  DOCUMENT_TOO_COMPLEX: { status: 422 },
  DOCUMENT_NOT_FOUND: { status: 404 },
  INVALID_INPUT: { status: 400 },
  CONFIG_ERROR: INTERNAL,
  // Raised when Temporal did not come up at all (startup): a longer wait than a dropped connection.
  TEMPORAL_UNAVAILABLE: { ...SERVICE_UNAVAILABLE, headers: { 'retry-after': '30' } },
};

/** Errors raised by fastify and @fastify/multipart, by their `code`. */
const FRAMEWORK_ERRORS: Record<string, Mapping> = {
  FST_REQ_FILE_TOO_LARGE: {
    status: 413,
    code: 'FILE_TOO_LARGE',
    message: (l) => `a file is larger than the limit of ${l.maxFileBytes} bytes`,
  },
  FST_FILES_LIMIT: {
    status: 413,
    code: 'TOO_MANY_FILES',
    message: (l) => `too many files in one request (at most ${l.maxFiles} documents)`,
  },
  FST_PARTS_LIMIT: { status: 413, code: 'TOO_MANY_PARTS', message: 'too many form parts in one request' },
  FST_FIELDS_LIMIT: { status: 413, code: 'TOO_MANY_FIELDS', message: 'too many text fields in one request' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'REQUEST_TOO_LARGE', message: 'request body too large' },
  FST_PROTO_VIOLATION: { status: 400, code: 'UNKNOWN_FIELD', message: 'a form field name is not allowed' },
  FST_INVALID_JSON_FIELD_ERROR: {
    status: 400,
    code: 'INVALID_JSON_FIELD',
    message: 'a form field sent with Content-Type application/json is not valid JSON',
  },
  FST_MP_PREMATURE_CLOSE: { status: 400, code: 'INCOMPLETE_REQUEST', message: 'the request ended early' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'the request must be multipart/form-data',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'unsupported Content-Type',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'BAD_REQUEST', message: 'the body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'BAD_REQUEST', message: 'the JSON body is empty' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_REQUEST', message: 'invalid Content-Length' },
  FST_ERR_VALIDATION: { status: 400, code: 'VALIDATION_ERROR' },
  // Raised before routing (fastify's `frameworkErrors`).
  FST_ERR_BAD_URL: { status: 400, code: 'BAD_REQUEST', message: 'the URL is not validly encoded' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'URI_TOO_LONG', message: 'a path parameter is too long' },
  FST_ERR_ASYNC_CONSTRAINT: INTERNAL,
};

/** Maps anything thrown while handling a request to a status and an error body. */
export function toHttpError(err: unknown, limits: ResolvedApiLimits): HttpErrorResponse {
  if (err instanceof ApiError) {
    return respond(err.statusCode, err.code, err.message, { details: err.details });
  }
  if (err instanceof ReviewActionError) {
    return respond(err.status, err.code, err.message);
  }
  if (err instanceof ZodError) {
    const details = zodDetails(err);
    const summary = details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('; ');
    return respond(400, 'VALIDATION_ERROR', `invalid request: ${summary}`, { details });
  }
  if (err instanceof KycError) {
    return fromMapping(KYC_ERRORS[err.code] ?? INTERNAL, err.code, err.message, limits);
  }
  if (isTemporalUnreachable(err)) return fromMapping(SERVICE_UNAVAILABLE, 'SERVICE_UNAVAILABLE', '', limits);
  const code = errorCode(err);
  const mapping = code === undefined ? undefined : FRAMEWORK_ERRORS[code];
  if (code !== undefined && mapping) {
    return fromMapping(mapping, code, errorMessage(err), limits);
  }
  // Other fastify errors carry a 4xx statusCode and a message written for clients.
  const status = errorStatus(err);
  if (code?.startsWith('FST_') && status !== undefined && status >= 400 && status < 500) {
    return respond(status, status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', errorMessage(err));
  }
  return fromMapping(INTERNAL, 'INTERNAL_ERROR', '', limits);
}

/**
 * True when the error (or one of its causes: the SDK wraps gRPC errors in `ServiceError`) says that
 * Temporal could not be reached or did not answer in time; not for errors Temporal answered with.
 */
export function isTemporalUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (isGrpcServiceError(e) && UNREACHABLE_GRPC_CODES.has(e.code)) return true;
  }
  return false;
}

/** Turns zod issues into error details; `prefix` names the form field the parsed value came from. */
export function zodDetails(err: ZodError, prefix?: string): ErrorDetail[] {
  return err.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [prefix, path].filter((p) => p !== undefined && p !== '').join('.');
    return field === '' ? { message: issue.message } : { field, message: issue.message };
  });
}

export function notFoundBody(method: string, path: string): ErrorResponse {
  return { error: { code: 'NOT_FOUND', message: `no route ${method} ${path}` } };
}

/** 503 while dependencies (`temporal`, `reviewDb`, `auditDb`) do not answer: each named in `details`. */
export function unavailableBody(message: string, down: readonly string[]): ErrorResponse {
  return { error: { code: 'SERVICE_UNAVAILABLE', message, details: down.map((name) => ({ field: name, message: 'unreachable' })) } };
}

export function methodNotAllowedBody(method: string, allowed: readonly string[]): ErrorResponse {
  return { error: { code: 'METHOD_NOT_ALLOWED', message: `${method} is not allowed here; use ${allowed.join(', ')}` } };
}

/**
 * Requests Node's HTTP parser rejects never reach fastify's error handler: malformed request lines
 * or headers, a body running past its Content-Length into the next "request", oversized headers,
 * timeouts. They get the documented error body too, and the connection is closed.
 */
export function clientErrorResponse(err: { code?: string | undefined }): { statusCode: number; body: ErrorResponse } {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { statusCode: 408, body: { error: { code: 'REQUEST_TIMEOUT', message: 'the request was not received in time' } } };
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return { statusCode: 431, body: { error: { code: 'HEADERS_TOO_LARGE', message: 'the request headers are too large' } } };
  }
  return { statusCode: 400, body: { error: { code: 'BAD_REQUEST', message: 'malformed HTTP request' } } };
}

/** fastify's `clientErrorHandler`: answers in the documented shape (see `clientErrorResponse`). */
export function writeClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const { statusCode, body } = clientErrorResponse(err);
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
  );
  // A peer that never reads must not hold the socket.
  setTimeout(() => socket.destroy(), 5_000).unref();
}

function fromMapping(
  mapping: Mapping,
  ownCode: string,
  ownMessage: string,
  limits: ResolvedApiLimits,
): HttpErrorResponse {
  const message = typeof mapping.message === 'function' ? mapping.message(limits) : (mapping.message ?? ownMessage);
  return respond(mapping.status, mapping.code ?? ownCode, message, { headers: mapping.headers });
}

function respond(
  statusCode: number,
  code: string,
  message: string,
  extra: { details?: ErrorDetail[] | undefined; headers?: Record<string, string> | undefined } = {},
): HttpErrorResponse {
  const error: ErrorResponse['error'] = { code, message };
  if (extra.details && extra.details.length > 0) error.details = extra.details;
  return { statusCode, body: { error }, headers: extra.headers ?? {}, isServerError: statusCode >= 500 };
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

function errorStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('statusCode' in err)) return undefined;
  return typeof err.statusCode === 'number' ? err.statusCode : undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
