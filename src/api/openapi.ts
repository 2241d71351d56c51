/**
 * The OpenAPI 3.1 document of the API, generated from the zod schemas in `schemas.ts`
 * (OpenAPI 3.1 schemas are JSON Schema 2020-12, which is what `z.toJSONSchema` emits).
 * The multipart form has field names that carry the case id, so its schema is assembled here
 * around the generated pieces, with `patternProperties` for the per-case fields.
 */
import { z } from 'zod';
import {
  ApplicantSchema,
  BatchAcceptedSchema,
  BatchFormFieldsSchema,
  BatchStatusSchema,
  CaseProgressSchema,
  CaseReportSchema,
  CheckComparisonSchema,
  CheckSchema,
  DocumentReportSchema,
  ErrorDetailSchema,
  ErrorResponseSchema,
  FieldEvidenceSchema,
  HealthSchema,
  ReadinessSchema,
  IdSchema,
  ID_PATTERN,
  IdempotencyKeySchema,
  PageSummarySchema,
  DecisionBodySchema,
  MeSchema,
  NoteBodySchema,
  ReassignBodySchema,
  ReviewEventSchema,
  ReviewTaskSchema,
  SanctionsMatchSchema,
  TaskDetailSchema,
  TaskListQuerySchema,
  TaskPageSchema,
  ErasureSummarySchema,
  type ResolvedApiLimits,
} from './schemas.js';
import { CODEC_ALLOWED_HEADERS, CodecPayloadsSchema } from './routes/codec.js';

export type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, unknown>>;
  security: Array<Record<string, string[]>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    parameters: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema): Record<string, unknown> => ({ content: { 'application/json': { schema } } });
const errorResponse = (name: string): Record<string, unknown> => ({ $ref: `#/components/responses/${name}` });

const CASE_ID_IN_FIELD = ID_PATTERN.source.replace(/^\^/, '').replace(/\$$/, '');
export const DOCUMENTS_FIELD_PATTERN = `^cases\\[${CASE_ID_IN_FIELD}\\]\\[documents\\]$`;
export const APPLICANT_FIELD_PATTERN = `^cases\\[${CASE_ID_IN_FIELD}\\]\\[applicant\\]$`;

export const CURL_EXAMPLE = `curl -sS -X POST http://localhost:3000/v1/batches \\
  -H 'Idempotency-Key: upload-2024-06-01-0017' \\
  -F 'cases[alice-001][documents]=@passport.pdf' \\
  -F 'cases[alice-001][documents]=@utility-bill.jpg' \\
  --form-string 'cases[alice-001][applicant]={"fullName":"Alice Example","dateOfBirth":"1990-04-12","address":"1 High Street, London","nationality":"GBR"}' \\
  -F 'cases[bob-002][documents]=@id-card.png' \\
  -F 'asOf=2024-06-01' \\
  -F 'sanctions=@targets.simple.csv;type=text/csv'`;

function description(limits: ResolvedApiLimits): string {
  return `HTTP API v1 of the KYC document engine. Submit a batch of cases (each with its documents), then poll
the batch and each case until its report is ready.

## Submitting a batch: \`POST /v1/batches\` (multipart/form-data)

| field | kind | |
| --- | --- | --- |
| \`cases[<caseId>][documents]\` | file, repeatable | one part per document of the case; at least one per case |
| \`cases[<caseId>][applicant]\` | JSON text | optional: \`{"fullName","dateOfBirth","address","nationality"}\`, all optional, dates YYYY-MM-DD |
| \`asOf\` | text | optional: YYYY-MM-DD every date check is made against; default today (UTC) |
| \`batchId\` | text | optional: otherwise derived from the Idempotency-Key, else from the content |
| \`sanctions\` | file (CSV) | optional: a sanctions list in OpenSanctions targets.simple.csv format |

\`<caseId>\` matches \`${ID_PATTERN.source}\`; cases keep the order of their first field. Any other field is
rejected (400 UNKNOWN_FIELD). The applicant may also be sent as a file part holding the JSON. With curl, send
the applicant with \`--form-string\` (or \`-F 'cases[id][applicant]=<applicant.json'\`) so that \`@\`, \`<\`
and \`;\` in the JSON are not interpreted.

\`\`\`sh
${CURL_EXAMPLE}
\`\`\`

Limits: ${limits.maxFileBytes} bytes per file, ${limits.maxFiles} documents and ${limits.maxCases} cases per
request, ${limits.maxTotalBytes} bytes of files in all; beyond them the answer is 413 with a JSON error.

**Idempotency.** Send an \`Idempotency-Key\` header (1-255 printable ASCII characters) to make retries
safe: the first request answers **202** with \`existing: false\`; a repeat with the same key and the same
request answers **200** with the same batch and \`existing: true\`, and nothing is processed twice. Keys
belong to your organisation (another client's equal key is another key). The same key with a different
request (other cases, applicants, documents or file names, \`asOf\`, \`batchId\` or sanctions list) answers
**409 IDEMPOTENCY_KEY_REUSED** and changes nothing; while an identical request is still being accepted a
repeat waits for it, or after 15 s answers **409 SUBMISSION_IN_PROGRESS** (retry). A \`batchId\` is compared
exactly (case-sensitive); one already used by another organisation or for another request answers
**409 BATCH_ID_TAKEN**.

## Keys and roles
Every route except \`/livez\`, \`/readyz\`, \`/healthz\`, this document and the web page needs an API key:
\`Authorization: Bearer <key>\` (or \`X-API-Key: <key>\`). Keys are made with
\`kyc keys create --org <org> --person <name> --role <role>\`: each belongs to an organisation and names a
person, and carries roles: \`submitter\` (submit batches, add documents), \`reviewer\` and
\`senior_reviewer\` (work the review inbox; the senior queue needs a senior), \`auditor\` (read), \`admin\`.
No key or an invalid key → 401; a key without the role → 403.

**Ownership.** A batch, its cases, their documents and review tasks belong to the submitting key's
organisation. Submitters read and change only their organisation's (another's answer **404**, as if it did
not exist); reviewers see the cases and documents of the review queues they work or that they worked;
auditors and admins see everything. The person who submitted a batch never reviews its cases, whichever
of their keys they use.

## Temporal codec endpoint
\`POST /codec/decode\` and \`/codec/encode\` speak Temporal's codec server protocol, so the Temporal UI and CLI
show the encrypted workflow payloads in clear (endpoint \`<this API>/codec\`). Decoding needs auditor,
senior_reviewer or admin; encoding admin. Browsers only from the origins in \`TEMPORAL_UI_ORIGINS\`.

## Human review
A case the engine sends to review waits in its workflow. \`GET /v1/review/tasks\` is the inbox (tasks still to
be worked unless \`status\` says otherwise, high priority first, then by deadline; \`reason\` filters by reason
code); \`POST /v1/review/next\` claims the next task you may review (404 NO_TASK when none); claim, release, reassign, decide (\`approve\`, \`reject\`, \`request_documents\`, with a reason and
optional corrected fields) and add notes under \`/v1/review/tasks/{caseId}/…\`. Each action is checked by the
case workflow (only the assignee decides; four-eyes on high-risk cases; the submitter of a batch never reviews
it) and answers the task as it now stands, or 403/409/422 with the reason.

## Errors
Every error body is \`{"error":{"code","message","details"?}}\`; \`code\` is stable and machine-readable.
**503 SERVICE_UNAVAILABLE** (with \`Retry-After\`) means Temporal or the database cannot be reached right now:
answered at once while a dependency is known to be down, within about 2 s otherwise; nothing was
stored or started, so the same request can be sent again. \`GET /readyz\` says which dependency failed.
Codes any route may answer, raised before it runs: \`BAD_REQUEST\` (malformed JSON, request line, header,
%-escape or Content-Length), \`REQUEST_TOO_LARGE\` (413), \`UNSUPPORTED_MEDIA_TYPE\` (415), \`URI_TOO_LONG\`
(414), \`HEADERS_TOO_LARGE\` (431), \`REQUEST_TIMEOUT\` (408), \`NOT_FOUND\`, \`METHOD_NOT_ALLOWED\` (405, with
\`Allow\`), \`SERVICE_UNAVAILABLE\` (503) and \`INTERNAL_ERROR\` (500, no details disclosed).
Every response carries an \`x-request-id\` header (taken from the request's \`x-request-id\` when it is a
safe token) to quote when reporting a problem.`;
}

/** Builds the OpenAPI 3.1 document; the limits appear in its description. */
export function buildOpenApiDocument(limits: ResolvedApiLimits): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: { title: 'KYC document engine API', version: '1.0.0', description: description(limits) },
    paths: {
      '/livez': {
        get: {
          operationId: 'liveness',
          summary: 'Liveness: the API process is up (restart it when this fails)',
          security: [],
          responses: { '200': { description: 'Up', ...json(ref('Health')) } },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Liveness, the older name of /livez',
          security: [],
          responses: { '200': { description: 'Up', ...json(ref('Health')) } },
        },
      },
      '/readyz': {
        get: {
          operationId: 'readiness',
          summary: 'Readiness: Temporal and the databases answer now (take the instance out of rotation when 503)',
          security: [],
          responses: {
            '200': { description: 'Ready', ...json(ref('Readiness')) },
            '503': {
              description: 'SERVICE_UNAVAILABLE: a dependency does not answer; `details[].field` names each (temporal, reviewDb, auditDb)',
              headers: { 'Retry-After': { schema: { type: 'integer' } } },
              ...json(ref('Error')),
            },
          },
        },
      },
      '/v1/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'This document',
          security: [],
          responses: { '200': { description: 'The OpenAPI 3.1 document', ...json({ type: 'object' }) } },
        },
      },
      '/v1/messages': {
        get: {
          operationId: 'messages',
          summary: 'Words for the codes the API returns (reasons, checks, fields, document types, review actions), in a language',
          description:
            'The language is `lang` if given, else the best match of `Accept-Language`, else English (`Content-Language` says which). ' +
            'The codes stay in every other response; these are the words to show beside them. A bank adds a language in src/review/messages.',
          security: [],
          parameters: [{ name: 'lang', in: 'query', required: false, schema: { type: 'string', maxLength: 35 }, description: 'BCP 47 tag, e.g. `en`, `de-CH`' }],
          responses: {
            '200': {
              description: 'The catalogue: `reasons`, `checks` (name, failed, inconclusive), `fields`, `documentTypes`, `actions`, `decisions`, `eventDetails`, `templates`, each keyed by code',
              headers: { 'Content-Language': { schema: { type: 'string' } } },
              ...json({ type: 'object', required: ['language', 'reasons', 'checks', 'fields', 'documentTypes', 'actions', 'decisions', 'templates'] }),
            },
          },
        },
      },
      '/v1/batches': {
        post: {
          operationId: 'submitBatch',
          summary: 'Submit a batch of cases with their documents',
          description: 'See the form layout and curl example in the API description.',
          parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: batchFormSchema(),
                encoding: {
                  sanctions: { contentType: 'text/csv, application/octet-stream' },
                  batchId: { contentType: 'text/plain' },
                  asOf: { contentType: 'text/plain' },
                },
              },
            },
          },
          responses: {
            '202': {
              description: 'Accepted: the batch was started',
              headers: { Location: { description: 'The batch status URL', schema: { type: 'string' } } },
              ...json(ref('BatchAccepted')),
            },
            '200': {
              description: 'Already accepted earlier (same Idempotency-Key or content): the same batch, existing: true',
              headers: { Location: { description: 'The batch status URL', schema: { type: 'string' } } },
              ...json(ref('BatchAccepted')),
            },
            '400': errorResponse('BadRequest'),
            '409': {
              description:
                'IDEMPOTENCY_KEY_REUSED: the key was used with a different request; BATCH_ID_TAKEN: the batchId belongs to another organisation or request; SUBMISSION_IN_PROGRESS: an identical request is still being accepted, retry. Nothing was stored.',
              ...json(ref('Error')),
            },
            '413': errorResponse('ContentTooLarge'),
            '415': errorResponse('UnsupportedMediaType'),
            '500': errorResponse('InternalError'),
            '503': errorResponse('ServiceUnavailable'),
          },
        },
      },
      '/v1/batches/{batchId}': {
        get: {
          operationId: 'getBatch',
          summary: 'Status of a batch and the progress of each of its cases',
          parameters: [{ $ref: '#/components/parameters/BatchId' }],
          responses: {
            '200': { description: 'The batch status', ...json(ref('BatchStatus')) },
            '400': errorResponse('BadRequest'),
            '404': errorResponse('NotFound'),
            '500': errorResponse('InternalError'),
            '503': errorResponse('ServiceUnavailable'),
          },
        },
      },
      '/v1/cases/{caseId}': {
        ...caseOperation('getCase', 'The report of a case once done; its progress while it runs', ['CaseId']),
        ...eraseOperation('eraseCase', 'Erase the case in every batch that carried its id (admin)', ['CaseId', 'OwnerOrg']),
      },
      '/v1/batches/{batchId}/cases/{caseId}': {
        ...caseOperation(
          'getCaseInBatch',
          'The report of a case of a given batch (unambiguous when a case id was reused)',
          ['BatchId', 'CaseId'],
        ),
        ...eraseOperation('eraseCaseInBatch', 'Erase the case of a given batch (admin)', ['BatchId', 'CaseId']),
      },
      ...reviewPaths(),
      ...codecPaths(),
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key from `kyc keys create`.' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: componentSchemas(),
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Same key → same batch: a repeat answers 200 with existing: true and processes nothing twice.',
          schema: plain(IdempotencyKeySchema),
        },
        BatchId: { name: 'batchId', in: 'path', required: true, schema: plain(IdSchema) },
        CaseId: { name: 'caseId', in: 'path', required: true, schema: plain(IdSchema) },
        OwnerOrg: {
          name: 'org',
          in: 'query',
          required: false,
          description: 'The organisation whose case is meant; required when several organisations use the case id (else 409 CASE_ID_AMBIGUOUS).',
          schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
        },
      },
      responses: {
        BadRequest: { description: 'Invalid request (form, field, id or header)', ...json(ref('Error')) },
        Unauthenticated: { description: 'No API key, or not a valid one', ...json(ref('Error')) },
        Forbidden: { description: 'The key lacks the role, or the review rules refuse the action', ...json(ref('Error')) },
        Conflict: { description: 'The task is not in a state for this action (claimed by someone else, decided…)', ...json(ref('Error')) },
        Unprocessable: { description: 'The action is not valid for this case (no reason, unknown document…)', ...json(ref('Error')) },
        NotFound: { description: 'No such batch, case or route', ...json(ref('Error')) },
        ContentTooLarge: {
          description: 'A file, the file count, the case count or the total size is over its limit',
          ...json(ref('Error')),
        },
        UnsupportedMediaType: { description: 'The body is not multipart/form-data', ...json(ref('Error')) },
        InternalError: { description: 'Unexpected failure; no details are disclosed', ...json(ref('Error')) },
        ServiceUnavailable: {
          description:
            'SERVICE_UNAVAILABLE: Temporal or the database is unreachable or did not answer in time (`details[].field` names it); ' +
            'nothing was stored or started. Retry after Retry-After seconds.',
          headers: { 'Retry-After': { schema: { type: 'integer' } } },
          ...json(ref('Error')),
        },
      },
    },
  };
}

/** The zod schemas that become named components; nested ones are referenced with `$ref`. */
function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  registry.add(ApplicantSchema, { id: 'Applicant' });
  registry.add(BatchAcceptedSchema, { id: 'BatchAccepted' });
  registry.add(BatchStatusSchema, { id: 'BatchStatus' });
  registry.add(CaseProgressSchema, { id: 'CaseProgress' });
  registry.add(CaseReportSchema, { id: 'CaseReport' });
  registry.add(DocumentReportSchema, { id: 'DocumentReport' });
  registry.add(CheckSchema, { id: 'Check' });
  registry.add(CheckComparisonSchema, { id: 'CheckComparison' });
  registry.add(SanctionsMatchSchema, { id: 'SanctionsMatch' });
  registry.add(PageSummarySchema, { id: 'PageSummary' });
  registry.add(FieldEvidenceSchema, { id: 'FieldEvidence' });
  registry.add(ErrorResponseSchema, { id: 'Error' });
  registry.add(ErrorDetailSchema, { id: 'ErrorDetail' });
  registry.add(HealthSchema, { id: 'Health' });
  registry.add(ReadinessSchema, { id: 'Readiness' });
  registry.add(ReviewTaskSchema, { id: 'ReviewTask' });
  registry.add(ReviewEventSchema, { id: 'ReviewEvent' });
  registry.add(TaskPageSchema, { id: 'TaskPage' });
  registry.add(TaskDetailSchema, { id: 'TaskDetail' });
  registry.add(DecisionBodySchema, { id: 'DecisionRequest' });
  registry.add(NoteBodySchema, { id: 'NoteRequest' });
  registry.add(ReassignBodySchema, { id: 'ReassignRequest' });
  registry.add(MeSchema, { id: 'Me' });
  registry.add(CodecPayloadsSchema, { id: 'CodecPayloads' });
  registry.add(ErasureSummarySchema, { id: 'ErasureSummary' });
  // io: 'input' leaves response objects open to new fields (forward compatible); strict request
  // objects (Applicant) still say additionalProperties: false.
  const { schemas } = z.toJSONSchema(registry, { io: 'input', uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, strip(schema as JsonSchema)]));
}

function batchFormSchema(): JsonSchema {
  const textFields = plain(BatchFormFieldsSchema);
  const binary = { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' };
  return {
    type: 'object',
    description: 'Field names carry the case id: cases[<caseId>][documents] and cases[<caseId>][applicant].',
    properties: {
      ...(textFields.properties as Record<string, unknown>),
      sanctions: { ...binary, contentMediaType: 'text/csv', description: 'OpenSanctions targets.simple.csv' },
    },
    patternProperties: {
      [DOCUMENTS_FIELD_PATTERN]: {
        type: 'array',
        minItems: 1,
        items: binary,
        description: 'The documents of one case (PDF, PNG, JPEG, TIFF, WebP), one part each.',
      },
      [APPLICANT_FIELD_PATTERN]: {
        ...ref('Applicant'),
        description: 'JSON text (or a JSON file part) of the applicant the bank declared.',
      },
    },
    additionalProperties: false,
    minProperties: 1,
  };
}

function plain(schema: z.ZodType): JsonSchema {
  return strip(z.toJSONSchema(schema, { io: 'input' }) as JsonSchema);
}

/** Drops the per-document keywords that do not belong inside an OpenAPI document. */
function strip(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/** GET of one case's report (200), or its progress while it runs (202). */
function caseOperation(operationId: string, summary: string, parameters: string[]): Record<string, unknown> {
  return {
    get: {
      operationId,
      summary,
      parameters: parameters.map((name) => ({ $ref: `#/components/parameters/${name}` })),
      responses: {
        '200': {
          description: 'Done: the case report. A case that failed without a report answers its CaseProgress (status failed).',
          ...json({ oneOf: [ref('CaseReport'), ref('CaseProgress')] }),
        },
        '202': {
          description: 'Still pending or processing: poll again after Retry-After seconds',
          headers: { 'Retry-After': { schema: { type: 'integer' } } },
          ...json(ref('CaseProgress')),
        },
        '400': errorResponse('BadRequest'),
        '404': errorResponse('NotFound'),
        '500': errorResponse('InternalError'),
        '503': errorResponse('ServiceUnavailable'),
      },
    },
  };
}

/** DELETE of a case: erasure, synchronous and idempotent. */
function eraseOperation(operationId: string, summary: string, parameters: string[]): Record<string, unknown> {
  return {
    delete: {
      operationId,
      summary,
      description:
        'Stops and deletes the case workflow (the report and its history), crypto-shreds the documents only this case holds ' +
        'with their extracted text, deletes corrections and blanks free text in review tasks and events. A PII-free erasure record ' +
        '(ids, counts, hashed document ids, who and when) stays in the audit trail. Erasing again answers 200 with alreadyErased.',
      parameters: parameters.map((name) => ({ $ref: `#/components/parameters/${name}` })),
      responses: {
        '200': { description: 'Erased (or already erased): what was done', ...json(ref('ErasureSummary')) },
        '400': errorResponse('BadRequest'),
        '401': errorResponse('Unauthenticated'),
        '403': errorResponse('Forbidden'),
        '404': errorResponse('NotFound'),
        '409': {
          description:
            'CASE_NOT_STARTED: the case waits in its running batch; erase it once it has started. CASE_ID_AMBIGUOUS: several organisations use the case id; name one with ?org= or erase by batch.',
          ...json(ref('Error')),
        },
        '500': errorResponse('InternalError'),
        '503': errorResponse('ServiceUnavailable'),
      },
    },
  };
}

const COMMON_ERRORS = {
  '400': errorResponse('BadRequest'),
  '401': errorResponse('Unauthenticated'),
  '403': errorResponse('Forbidden'),
  '500': errorResponse('InternalError'),
  '503': errorResponse('ServiceUnavailable'),
};

/** A reviewer action on the case's task: JSON body in, the task as it now stands out. */
function taskAction(operationId: string, summary: string, body: JsonSchema | undefined): Record<string, unknown> {
  return {
    post: {
      operationId,
      summary,
      parameters: [{ $ref: '#/components/parameters/CaseId' }],
      requestBody: { required: body !== undefined, ...json(body ?? { type: 'object', additionalProperties: false }) },
      responses: {
        '200': { description: 'Accepted: the task as it now stands', ...json(ref('ReviewTask')) },
        ...COMMON_ERRORS,
        '404': errorResponse('NotFound'),
        '409': errorResponse('Conflict'),
        '422': errorResponse('Unprocessable'),
      },
    },
  };
}

/**
 * Temporal's codec server protocol for the Temporal UI and CLI (configure them with the endpoint
 * `<api>/codec`): served when the API is given the payload codec.
 */
function codecPaths(): Record<string, Record<string, unknown>> {
  const operation = (operationId: string, summary: string, roles: string, done: string): Record<string, unknown> => ({
    post: {
      operationId,
      summary: `${summary} (${roles}); a browser only from a TEMPORAL_UI_ORIGINS origin`,
      parameters: [{ name: 'X-Namespace', in: 'header', required: false, description: 'Sent by the Temporal UI and CLI; not used', schema: { type: 'string' } }],
      requestBody: { required: true, ...json(ref('CodecPayloads')) },
      responses: {
        '200': { description: done, ...json(ref('CodecPayloads')) },
        ...COMMON_ERRORS,
        '413': errorResponse('ContentTooLarge'),
        '422': { description: 'A payload is encrypted under a key the keyring lacks, or failed authentication (altered)', ...json(ref('Error')) },
      },
    },
    options: {
      operationId: `${operationId}Preflight`,
      summary: `CORS preflight: 204 with Access-Control-Allow-Headers ${CODEC_ALLOWED_HEADERS} for a TEMPORAL_UI_ORIGINS origin, 403 for any other`,
      security: [],
      responses: { '204': { description: 'Allowed origin' }, '403': errorResponse('Forbidden') },
    },
  });
  return {
    '/codec/decode': operation('codecDecode', 'Decrypt Temporal payloads for display', 'roles: auditor, senior_reviewer, admin', 'The payloads decrypted; unencrypted ones as they were'),
    '/codec/encode': operation('codecEncode', 'Encrypt Temporal payloads under the active key', 'role: admin', 'The payloads encrypted'),
  };
}

function reviewPaths(): Record<string, Record<string, unknown>> {
  const query = plain(TaskListQuerySchema) as { properties: Record<string, JsonSchema> };
  const documentParameters = [
    { $ref: '#/components/parameters/CaseId' },
    { name: 'documentId', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-f0-9]{64}$' } },
  ];
  return {
    '/v1/me': {
      get: {
        operationId: 'me',
        summary: 'The key making the request: its id, name and roles',
        responses: { '200': { description: 'The key', ...json(ref('Me')) }, ...COMMON_ERRORS },
      },
    },
    '/v1/review/tasks': {
      get: {
        operationId: 'listTasks',
        summary:
          'The review inbox: the tasks still to be worked (`status=completed` or `all` for others), high priority first, then by deadline; filter by queue, assignee, reason code (roles: reviewer, senior_reviewer, auditor, admin)',
        parameters: Object.entries(query.properties).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
        responses: { '200': { description: 'One page of tasks', ...json(ref('TaskPage')) }, ...COMMON_ERRORS },
      },
    },
    '/v1/review/next': {
      post: {
        operationId: 'claimNextTask',
        summary:
          'Claim next: claims the highest-priority, earliest-due open task in your queues that you may review (not your own batch, not one you approved) (roles: reviewer, senior_reviewer)',
        requestBody: { required: false, ...json({ type: 'object', additionalProperties: false }) },
        responses: {
          '200': { description: 'Claimed: the task as it now stands', ...json(ref('ReviewTask')) },
          ...COMMON_ERRORS,
          '404': errorResponse('NotFound'),
        },
      },
    },
    '/v1/review/tasks/{caseId}': {
      get: {
        operationId: 'getTask',
        summary: 'The latest task of the case and its history (who did what, when)',
        parameters: [{ $ref: '#/components/parameters/CaseId' }],
        responses: { '200': { description: 'The task and its events', ...json(ref('TaskDetail')) }, ...COMMON_ERRORS, '404': errorResponse('NotFound') },
      },
    },
    '/v1/review/tasks/{caseId}/claim': taskAction('claimTask', 'Claim the task (reviewers of its queue; not the submitter of the batch)', undefined),
    '/v1/review/tasks/{caseId}/release': taskAction('releaseTask', 'Give the task back to its queue (the assignee, or a senior reviewer)', undefined),
    '/v1/review/tasks/{caseId}/reassign': taskAction('reassignTask', 'Assign the task to another reviewer (the assignee, a senior reviewer, an admin)', ref('ReassignRequest')),
    '/v1/review/tasks/{caseId}/decision': taskAction(
      'decideTask',
      'Decide: approve, reject or request documents, with a reason and optional corrected fields (the assignee only; high-risk approvals need two reviewers, one senior)',
      ref('DecisionRequest'),
    ),
    '/v1/review/tasks/{caseId}/notes': taskAction('addNote', 'Add a note to the case', ref('NoteRequest')),
    '/v1/cases/{caseId}/documents': {
      post: {
        operationId: 'addDocuments',
        summary: "The applicant's additional documents, after request_documents: the pipeline runs again on the whole case",
        parameters: [{ $ref: '#/components/parameters/CaseId' }],
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: { documents: { type: 'array', minItems: 1, items: { type: 'string', format: 'binary' } } },
                required: ['documents'],
                additionalProperties: false,
              },
            },
          },
        },
        responses: {
          '202': { description: 'Received: the case runs again', ...json(ref('ReviewTask')) },
          ...COMMON_ERRORS,
          '404': errorResponse('NotFound'),
          '409': errorResponse('Conflict'),
          '413': errorResponse('ContentTooLarge'),
          '415': errorResponse('UnsupportedMediaType'),
        },
      },
    },
    '/v1/cases/{caseId}/audit': {
      get: {
        operationId: 'getAudit',
        summary: "The case's hash-chained audit trail (roles: auditor, admin), with the chain verified",
        parameters: [{ $ref: '#/components/parameters/CaseId' }],
        responses: {
          '200': {
            description: 'Every record (seq, at, actor, action, detail, prevHash, hash) and the verification',
            ...json({ type: 'object', properties: { caseKey: { type: 'string' }, records: { type: 'array', items: { type: 'object' } }, verification: { type: 'object' } } }),
          },
          ...COMMON_ERRORS,
          '404': errorResponse('NotFound'),
        },
      },
    },
    '/v1/cases/{caseId}/documents/{documentId}': {
      get: {
        operationId: 'getDocument',
        summary: 'A document of the case as submitted, for preview (roles: reviewer, senior_reviewer, auditor, admin)',
        parameters: documentParameters,
        responses: {
          '200': { description: 'The file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          ...COMMON_ERRORS,
          '404': errorResponse('NotFound'),
        },
      },
    },
    '/v1/cases/{caseId}/documents/{documentId}/pages/{page}': {
      get: {
        operationId: 'getDocumentPage',
        summary: 'One page of a PDF document rendered as PNG, for preview',
        parameters: [...documentParameters, { name: 'page', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
        responses: {
          '200': { description: 'The page', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } },
          ...COMMON_ERRORS,
          '404': errorResponse('NotFound'),
          '422': errorResponse('Unprocessable'),
        },
      },
    },
  };
}
