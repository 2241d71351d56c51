/**
 * Zod schemas of the HTTP API v1: request parts, responses and the error body. They validate input
 * at the edge and are the single source of the OpenAPI document (`openapi.ts` runs `z.toJSONSchema`).
 * The response schemas mirror `src/domain/report.ts` and `src/app/service.ts`; the `satisfies`
 * lines at the bottom fail the type check when the two drift apart.
 */
import { z } from 'zod';
import type { BatchStatus, CaseProgress } from '../app/service.js';
import { DOCUMENT_TYPES, FIELD_NAMES } from '../domain/documents.js';
import { READING_TOOLS } from '../domain/corroboration.js';
import type { Applicant, CaseReport } from '../domain/report.js';
import type { ErasureSummary } from '../app/erasure.js';
import {
  REVIEW_ACTIONS,
  REVIEW_DECISIONS,
  REVIEW_QUEUES,
  ROLES,
  TASK_PRIORITIES,
  TASK_STATUSES,
  REASON_CODE_PATTERN,
  type ReviewEvent,
  type ReviewTask,
} from '../review/types.js';

/** Case and batch ids: they end up in URLs and workflow ids, so a conservative alphabet. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const IdSchema = z
  .string()
  .regex(ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 . _ - starting with a letter or digit');
export const CaseIdSchema = IdSchema.describe('Case id, unique within its batch.');
export const BatchIdSchema = IdSchema.describe('Batch id.');

export const IsoDateSchema = z.iso.date('must be a calendar date written YYYY-MM-DD');

// ---------------------------------------------------------------------------------------- requests

export const ApplicantSchema = z
  .strictObject({
    fullName: z.string().trim().min(1).max(300).optional(),
    dateOfBirth: IsoDateSchema.optional(),
    address: z.string().trim().min(1).max(1000).optional(),
    nationality: z.string().trim().min(2).max(100).optional(),
  })
  .describe('What the bank declared about the applicant; every field optional, unknown fields rejected.');

/** The text fields of the batch form other than the per-case ones. */
export const BatchFormFieldsSchema = z.strictObject({
  asOf: IsoDateSchema.optional().describe('Date every date check is made against; default today (UTC).'),
  batchId: BatchIdSchema.optional().describe(
    'Optional batch id; when absent it is derived from the Idempotency-Key, else from the content.',
  ),
});

export const IdempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7E]{1,255}$/, 'must be 1-255 printable ASCII characters without spaces');

export const BatchParamsSchema = z.strictObject({ batchId: BatchIdSchema });
export const CaseParamsSchema = z.strictObject({ caseId: CaseIdSchema });
export const BatchCaseParamsSchema = z.strictObject({ batchId: BatchIdSchema, caseId: CaseIdSchema });

/** Limits of the batch upload. Bytes are per file (`maxFileBytes`) and per request (`maxTotalBytes`). */
export const ApiLimitsSchema = z.strictObject({
  maxFileBytes: z.int().positive(),
  maxFiles: z.int().positive(),
  maxCases: z.int().positive(),
  maxTotalBytes: z.int().positive().optional(),
});
export type ApiLimits = z.infer<typeof ApiLimitsSchema>;
export type ResolvedApiLimits = Required<ApiLimits>;

// --------------------------------------------------------------------------------------- responses

export const DecisionSchema = z.enum(['approved', 'rejected', 'review']);

export const BatchAcceptedSchema = z.object({
  batchId: BatchIdSchema,
  caseIds: z.array(CaseIdSchema),
  status: z.literal('accepted'),
  existing: z
    .boolean()
    .describe('True when this is a resubmission of a batch already accepted (same Idempotency-Key or content).'),
  links: z.object({
    self: z.string().describe('GET it for the batch status.'),
    cases: z.array(z.string()).describe('GET each for the case report; same order as caseIds.'),
  }),
});
export type BatchAccepted = z.infer<typeof BatchAcceptedSchema>;

export const CaseProgressSchema = z.object({
  caseId: CaseIdSchema,
  status: z.enum(['pending', 'processing', 'awaiting_review', 'completed', 'failed']),
  decision: DecisionSchema.optional(),
});

export const BatchStatusSchema = z.object({
  batchId: BatchIdSchema,
  status: z.enum(['running', 'completed', 'failed', 'cancelled', 'terminated', 'timed_out']),
  total: z.int().min(0),
  completed: z.int().min(0),
  pagesProcessed: z.int().min(0).describe('Pages read so far across the decided cases.'),
  cases: z.array(CaseProgressSchema),
});


export const PageSummarySchema = z.object({
  page: z.int().min(1),
  method: z.enum(['pdf-text', 'ocr']),
  confidence: z.number().min(0).max(1),
  characters: z.int().min(0),
});

export const FieldEvidenceSchema = z.object({
  source: z.enum(['mrz', 'text', 'model', 'reviewer']),
  correctedBy: z.string().optional().describe('For a reviewer correction: who made it.'),
  previous: z.string().optional().describe('For a reviewer correction: the value the engine had read.'),
  page: z.int().min(1).optional(),
  text: z.string().optional(),
});

export const CheckComparisonSchema = z
  .object({
    field: z.enum(['fullName', 'address', 'dateOfBirth']),
    reference: z.string(),
    referenceSource: z.string().describe('`declaration`, or the kind of identity document the reference was read on.'),
    referenceFile: z.string().optional(),
    found: z.string().optional().describe('The value found on the check\'s document (absent when not read).'),
    score: z.number().min(0).max(1).optional(),
  })
  .describe('The two values a comparison check compared (name, address, birth date).');

export const SanctionsMatchSchema = z
  .object({
    screenedName: z.string(),
    screenedSource: z.string(),
    screenedBirthDate: z.string().optional(),
    entryId: z.string(),
    schema: z.string(),
    entryName: z.string(),
    aliases: z.array(z.string()),
    birthDates: z.array(z.string()),
    countries: z.array(z.string()),
    programmes: z.array(z.string()),
    datasets: z.array(z.string()),
    matchedName: z.string().describe('The entry\'s name or alias that matched.'),
    nameScore: z.number().describe('Name similarity, before the birth date.'),
    score: z.number().describe('Score after birth-date corroboration, compared with the threshold.'),
    birthDate: z.enum(['match', 'mismatch', 'unknown']),
    threshold: z.number(),
  })
  .describe('The best sanctions-list entry for the screened name, as the list publishes it.');

export const CheckSchema = z.object({
  id: z.string(),
  status: z.enum(['pass', 'fail', 'inconclusive']),
  detail: z.string(),
  file: z.string().optional().describe('The document the check concerns, when it concerns one.'),
  evidence: FieldEvidenceSchema.optional().describe('The span of the document the check rests on.'),
  comparison: CheckComparisonSchema.optional(),
  sanctionsMatch: SanctionsMatchSchema.optional().describe('sanctions_screening, when it fails.'),
});

export const DocumentReportSchema = z.object({
  file: z.string(),
  documentId: z.string(),
  type: z.enum(DOCUMENT_TYPES),
  confidence: z.number().min(0).max(1),
  fields: z.partialRecord(z.enum(FIELD_NAMES), z.string()),
  evidence: z.partialRecord(z.enum(FIELD_NAMES), FieldEvidenceSchema),
  pages: z.array(PageSummarySchema),
  model: z
    .object({ file: z.string(), sha256: z.string(), promptVersion: z.string() })
    .optional()
    .describe('The local model file, its sha256 and the prompt version, when the model made a value here.'),
  error: z.string().optional().describe('Only when the document could not be read.'),
  errorCode: z.string().optional(),
  mrzFieldStatus: z
    .record(z.string(), z.enum(['read', 'repaired', 'corroborated', 'unverified', 'failed']))
    .optional()
    .describe('Per MRZ field: read, repaired (format-fixed), corroborated (an independent reading agrees), unverified or failed.'),
  corroboration: z
    .object({
      steps: z.array(z.object({ tool: z.enum(READING_TOOLS), step: z.string(), outcome: z.enum(['corroborated', 'no-change', 'disagreed', 'failed']) })),
      unverified: z.array(z.string()),
    })
    .optional()
    .describe('The reading steps taken to corroborate unverified MRZ values, in order, and the fields still unverified after them.'),
});

// ------------------------------------------------------------------------------------------ review

export const RoleSchema = z.enum(ROLES);
export const ActorSchema = z.object({ keyId: z.string(), name: z.string(), roles: z.array(RoleSchema) });

const ApprovalSchema = z.object({ by: z.string(), keyId: z.string(), senior: z.boolean(), at: z.string(), reason: z.string() });

export const ReviewTaskSchema = z.object({
  taskId: z.string(),
  workflowId: z.string(),
  caseId: CaseIdSchema,
  batchId: BatchIdSchema,
  round: z.int().min(1),
  version: z.int().min(0),
  queue: z.enum(REVIEW_QUEUES).describe('Candidate group: `standard` (reviewers) or `senior` (senior reviewers).'),
  status: z.enum(TASK_STATUSES),
  priority: z.enum(TASK_PRIORITIES),
  assignee: z.string().optional(),
  assigneeKeyId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  dueAt: z.string().describe('Review deadline; on breach the task escalates to the senior queue.'),
  followUpAt: z.string().describe('Reminder time.'),
  escalatedAt: z.string().optional(),
  reasons: z.array(z.string()),
  fourEyes: z.boolean().describe('Two approvals by different reviewers, one of them senior.'),
  approvals: z.array(ApprovalSchema),
  submittedBy: z.string().optional(),
  final: z
    .object({ decision: z.enum(REVIEW_DECISIONS), by: z.string(), keyId: z.string(), at: z.string(), reason: z.string() })
    .optional(),
});

export const ReviewEventSchema = z.object({
  eventId: z.string(),
  taskId: z.string(),
  caseId: CaseIdSchema,
  at: z.string(),
  actor: z.string(),
  actorKeyId: z.string(),
  action: z.enum(REVIEW_ACTIONS),
  detail: z.record(z.string(), z.unknown()).optional(),
});

export const TaskListQuerySchema = z.strictObject({
  queue: z.enum(REVIEW_QUEUES).optional(),
  status: z
    .enum([...TASK_STATUSES, 'all'])
    .optional()
    .describe('Default: the tasks still to be worked (open, claimed, waiting_documents); `completed` or `all` for the others.'),
  reason: z.string().regex(REASON_CODE_PATTERN).optional().describe('Only tasks with this reason code, e.g. `sanctions_match`.'),
  sort: z.enum(['priority', 'due']).default('priority').describe('`priority` (default): high before normal, then by deadline; `due`: by deadline only.'),
  assignee: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** An inbox row: the task, with `escalated` set when its deadline passed (age: from `createdAt`). */
export const TaskRowSchema = ReviewTaskSchema.extend({
  escalated: z.boolean().describe('The deadline passed and the task moved to the senior queue (`escalatedAt`).'),
});

export const TaskPageSchema = z.object({
  tasks: z.array(TaskRowSchema),
  total: z.int().min(0),
  limit: z.int(),
  offset: z.int(),
});

export const TaskDetailSchema = z.object({ task: ReviewTaskSchema, events: z.array(ReviewEventSchema) });

export const EmptyBodySchema = z.strictObject({}).describe('An empty JSON object.');
export const ReassignBodySchema = z.strictObject({ assignee: z.string().min(1).max(64).describe('The name of the reviewer\'s key.') });
export const NoteBodySchema = z.strictObject({ text: z.string().trim().min(1).max(4000) });
export const DecisionBodySchema = z.strictObject({
  decision: z.enum(REVIEW_DECISIONS),
  reason: z.string().trim().min(1).max(2000),
  corrections: z
    .array(z.strictObject({ documentId: z.string().min(1).max(128), field: z.enum(FIELD_NAMES), value: z.string().trim().min(1).max(500) }))
    .max(100)
    .optional()
    .describe('Corrected field values: they replace what the engine read and are kept as labelled examples.'),
});

export const MeSchema = z.object({
  keyId: z.string(),
  name: z.string(),
  roles: z.array(RoleSchema),
  org: z.string().optional().describe('The organisation the key belongs to: it owns what the key submits.'),
  person: z.string().optional().describe('The person the key names (separation of duties is per person).'),
});
export const DocumentParamsSchema = z.strictObject({ caseId: CaseIdSchema, documentId: z.string().regex(/^[a-f0-9]{64}$/, 'a document id') });
export const PageParamsSchema = DocumentParamsSchema.extend({ page: z.coerce.number().int().min(1).max(10_000) });

export const CaseReportSchema = z.object({
  caseId: CaseIdSchema,
  batchId: BatchIdSchema,
  status: z.enum(['processing', 'completed', 'awaiting_review', 'failed']),
  decision: DecisionSchema,
  reasons: z.array(z.string()),
  asOf: IsoDateSchema,
  documents: z.array(DocumentReportSchema),
  checks: z.array(CheckSchema),
  automaticDecision: DecisionSchema.optional().describe('The engine\'s own decision, before quality-control sampling and people.'),
  review: ReviewTaskSchema.optional().describe('The human task, when the case went to review (its last round).'),
  decidedBy: z.string().optional().describe('`engine`, or the name of the reviewer\'s key.'),
  decidedAt: z.string().optional(),
  applicant: ApplicantSchema.optional().describe('What the bank declared, for comparing with what was found.'),
});

export const HealthSchema = z.object({ status: z.literal('ok') });
export const ReadinessSchema = z.object({
  status: z.literal('ok'),
  dependencies: z
    .record(z.string(), z.object({ ok: z.boolean(), checkedAt: z.string(), since: z.string() }))
    .describe('Each dependency checked (temporal, reviewDb, auditDb) with its last probe.'),
});

const DocumentIdSchema = z.string().regex(/^[a-f0-9]{64}$/);
const ErasureCountsSchema = z.object({
  documents: z.number().int().describe('Documents destroyed: data key, content and extracted text.'),
  documentsShared: z.number().int().describe('Documents left in place because another live case holds the same file.'),
  texts: z.number().int(),
  corrections: z.number().int(),
  events: z.number().int().describe('Review events whose free text was blanked.'),
  tasks: z.number().int().describe('Review tasks whose free text was blanked.'),
  workflows: z.number().int().describe('Workflow executions deleted from Temporal (the case; the batch once all its cases are erased).'),
});
export const ErasureSummarySchema = z.object({
  caseId: CaseIdSchema,
  cases: z
    .array(
      z.object({
        caseId: CaseIdSchema,
        batchId: BatchIdSchema,
        workflowId: z.string(),
        alreadyErased: z.boolean().describe('Erased before and nothing was left: erasing again changes nothing.'),
        documentsErased: z.array(DocumentIdSchema),
        documentsKept: z.array(DocumentIdSchema),
        report: z.enum(['deleted', 'absent']),
        batchHistory: z.enum(['deleted', 'kept', 'absent']).describe('The batch workflow is deleted once every case of the batch is erased.'),
        counts: ErasureCountsSchema,
        erasureId: z.string().optional().describe('The erasure record written for this erasure.'),
      }),
    )
    .describe('One entry per batch the case id was submitted in.'),
});

export const ErrorDetailSchema = z.object({
  field: z.string().optional().describe('The form field, header or JSON path concerned.'),
  message: z.string(),
});
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

export const ErrorResponseSchema = z.object({
  error: z.object({
    code: z.string().describe('Stable, machine-readable, e.g. INVALID_APPLICANT, FILE_TOO_LARGE.'),
    message: z.string(),
    details: z.array(ErrorDetailSchema).optional(),
  }),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

// ------------------------------------------------------------------- contract drift checks (types)

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

true satisfies Same<z.infer<typeof CaseReportSchema>, CaseReport>;
true satisfies Same<z.infer<typeof ErasureSummarySchema>, ErasureSummary>;
true satisfies Same<z.infer<typeof BatchStatusSchema>, BatchStatus>;
true satisfies Same<z.infer<typeof CaseProgressSchema>, CaseProgress>;
true satisfies Same<z.infer<typeof ApplicantSchema>, Applicant>;
true satisfies Same<z.infer<typeof ReviewTaskSchema>, ReviewTask>;
true satisfies Same<z.infer<typeof ReviewEventSchema>, ReviewEvent>;
