/**
 * Human review: the vocabulary shared by the case workflow (the source of truth), the inbox
 * projection in the review database, the HTTP API and the reviewer's web page.
 * Plain JSON everywhere. Nothing here carries applicant PII except correction values, which live
 * only in the bank's review database (never in search attributes or logs).
 */
import type { FieldName } from '../domain/documents.js';

export const ROLES = ['submitter', 'reviewer', 'senior_reviewer', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Candidate groups: who may claim a task in the queue. */
export const REVIEW_QUEUES = ['standard', 'senior'] as const;
export type ReviewQueue = (typeof REVIEW_QUEUES)[number];

export const TASK_STATUSES = ['open', 'claimed', 'waiting_documents', 'completed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_PRIORITIES = ['high', 'normal'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/**
 * Whoever acts: an API key's id, the person it names (`name` = `person`) and the organisation the key
 * belongs to, with its roles. `org` and `person` are absent only for the engine itself and for actors
 * recorded in workflow histories before keys had organisations.
 */
export interface Actor {
  keyId: string;
  name: string;
  roles: Role[];
  /** The organisation (client) the key belongs to: it owns what the key submits. */
  org?: string;
  /** The person the key names; separation of duties holds per person, whatever key they use. */
  person?: string;
}

/** The organisation of keys made before keys had one (and of the first start's admin key). */
export const DEFAULT_ORG = 'default';

/** Organisation ids: lower-case letters, digits and dashes, compared exactly. */
export const ORG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * One person across all their keys: `<org>/<person>`. What a batch records as its submitter, so that
 * a second key of the same person is still the submitter. Undefined for actors without a person.
 */
export function principalOf(actor: { org?: string; person?: string }): string | undefined {
  if (actor.person === undefined) return undefined;
  return `${actor.org ?? DEFAULT_ORG}/${actor.person}`;
}

/** The engine itself, for automatic steps (escalation, pipeline re-runs). */
export const SYSTEM_ACTOR: Actor = { keyId: 'system', name: 'system', roles: [] };

export const REVIEW_DECISIONS = ['approve', 'reject', 'request_documents'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** A reviewer's corrected value for one field of one document. */
export interface FieldCorrection {
  documentId: string;
  field: FieldName;
  value: string;
}

export interface Approval {
  by: string;
  keyId: string;
  senior: boolean;
  at: string;
  reason: string;
  /** The approver's person (`<org>/<person>`, see principalOf); absent for approvals recorded before. */
  principal?: string;
}

export interface TaskFinalDecision {
  decision: ReviewDecision;
  by: string;
  keyId: string;
  at: string;
  reason: string;
}

/**
 * One human task: the inbox row. `taskId` = `<workflowId>:<round>`; a new round starts when the
 * pipeline runs again after `request_documents`. `version` grows with every change so that the
 * projection never goes back in time when activity deliveries overlap or retry.
 */
export interface ReviewTask {
  taskId: string;
  workflowId: string;
  caseId: string;
  batchId: string;
  round: number;
  version: number;
  queue: ReviewQueue;
  status: TaskStatus;
  priority: TaskPriority;
  /** Key name of the assignee (claimed tasks only). */
  assignee?: string;
  assigneeKeyId?: string;
  /** ISO timestamps. */
  createdAt: string;
  updatedAt: string;
  dueAt: string;
  /** Reminder / follow-up date, before the due date. */
  followUpAt: string;
  escalatedAt?: string;
  /** The engine's reason codes that sent the case to review. */
  reasons: string[];
  /** Four-eyes: two approvals by different reviewers, one of them senior. */
  fourEyes: boolean;
  approvals: Approval[];
  /**
   * The submitter of the batch: its person (`<org>/<person>`, see `principalOf`), or a key id for
   * batches submitted before keys named people. That person (or key) may not review the case.
   */
  submittedBy?: string;
  final?: TaskFinalDecision;
}

export const REVIEW_ACTIONS = [
  'opened',
  'claimed',
  'released',
  'reassigned',
  'approved',
  'rejected',
  'first_approval',
  'documents_requested',
  'documents_received',
  'note',
  'reminder',
  'escalated',
  'corrected',
] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** Who did what and when; `eventId` is deterministic (`<taskId>:<seq>`) so a retried write is a no-op. */
export interface ReviewEvent {
  eventId: string;
  taskId: string;
  caseId: string;
  at: string;
  actor: string;
  actorKeyId: string;
  action: ReviewAction;
  /** Free text (notes, reasons) and structured details; stays in the bank's review database. */
  detail?: Record<string, unknown>;
}

/**
 * A reviewer's correction kept as a labelled example for evaluation and local fine-tuning.
 * `textKey` points at the document's extracted text in the document store.
 */
export interface CorrectionRecord {
  correctionId: string;
  caseId: string;
  batchId: string;
  documentId: string;
  file: string;
  documentType: string;
  textKey?: string;
  field: FieldName;
  extracted?: string;
  extractedSource?: string;
  corrected: string;
  model?: { file: string; sha256: string; promptVersion: string };
  reviewer: string;
  reviewerKeyId: string;
  at: string;
}

export interface ApiKeyRecord {
  keyId: string;
  /** The person the key names (kept as `name` for the inbox, events and the web page). */
  name: string;
  /** The organisation the key belongs to (`default` for keys made before organisations). */
  org: string;
  /** The person the key names; one person may hold several keys (`samePerson` when created). */
  person: string;
  roles: Role[];
  createdAt: string;
  revokedAt?: string;
}

export interface CreateApiKeyInput {
  /** The person (legacy spelling of `person`). */
  name?: string;
  person?: string;
  org?: string;
  roles: Role[];
  /** The person already holds an active key in the organisation, and this is another key of theirs. */
  samePerson?: boolean;
}

/** The statuses of tasks still to be worked: the inbox shows these unless asked for others. */
export const OPEN_TASK_STATUSES = ['open', 'claimed', 'waiting_documents'] as const satisfies readonly TaskStatus[];

/** Reason codes are plain codes (`sanctions_match`): safe to filter on, never personal data. */
export const REASON_CODE_PATTERN = /^[a-z0-9_]{1,64}$/;

export interface TaskFilter {
  queue?: ReviewQueue;
  status?: TaskStatus;
  /** Any of these statuses (with `status`, both must hold). */
  statuses?: readonly TaskStatus[];
  /** Tasks whose reasons include this reason code (REASON_CODE_PATTERN). */
  reason?: string;
  /** `due` (default): by due date; `priority`: high before normal, then by due date. */
  order?: 'due' | 'priority';
  assignee?: string;
  caseId?: string;
  /** Default 50, at most 200. */
  limit?: number;
  offset?: number;
}

export interface TaskPage {
  tasks: ReviewTask[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * The review database: inbox projection, events, corrections, API keys. One implementation over
 * Kysely (SQLite file in the embedded default, PostgreSQL on a cluster).
 */
export interface ReviewStore {
  /** Creates or upgrades the schema; idempotent. */
  migrate(): Promise<void>;
  /** Inserts the task or replaces it when `task.version` is newer than the stored one. */
  upsertTask(task: ReviewTask): Promise<void>;
  getTask(taskId: string): Promise<ReviewTask | undefined>;
  /** The most recent task (highest createdAt) of the case id, any status. */
  latestTaskForCase(caseId: string): Promise<ReviewTask | undefined>;
  /** Sorted by dueAt ascending (after priority, high first, with `order: 'priority'`), then taskId. */
  listTasks(filter: TaskFilter): Promise<TaskPage>;
  /** Idempotent by eventId. */
  appendEvents(events: ReviewEvent[]): Promise<void>;
  listEvents(taskId: string): Promise<ReviewEvent[]>;
  /** Idempotent by correctionId. */
  addCorrections(corrections: CorrectionRecord[]): Promise<void>;
  listCorrections(): AsyncIterable<CorrectionRecord>;
  /**
   * Creates a key for a person of an organisation (default `default`); the secret is returned once and
   * only its hash is stored. `person` defaults to `name`. An active key of the same person in the same
   * organisation (names compared ignoring case) refuses the creation unless `samePerson` says that the
   * new key is indeed that person's second key.
   */
  createApiKey(input: CreateApiKeyInput): Promise<{ record: ApiKeyRecord; secret: string }>;
  /** The key's record when the secret matches an unrevoked key. */
  authenticate(secret: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  revokeApiKey(keyId: string): Promise<boolean>;
  close(): Promise<void>;
}
