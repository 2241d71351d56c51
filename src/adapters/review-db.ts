/**
 * The review database behind `ReviewStore`: one Kysely implementation over two dialects. The
 * embedded default is a SQLite file (libSQL) shared by the API and worker processes; a bank cluster
 * uses PostgreSQL. Times are ISO-8601 UTC text and arrays/objects JSON text, so both dialects store,
 * compare and sort the same values.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, open, stat } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@libsql/client';
import { LibsqlDialect } from '@libsql/kysely-libsql';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteAdapter,
  sql,
  type DialectAdapter,
  type ExpressionBuilder,
  type Migration,
  type Selectable,
} from 'kysely';
import pg from 'pg';
import { ConfigError, InvalidInputError } from '../domain/errors.js';
import {
  ROLES,
  type ApiKeyRecord,
  type CorrectionRecord,
  type ReviewEvent,
  type ReviewStore,
  type ReviewTask,
  type Role,
  type TaskFilter,
  type TaskPage,
} from '../review/types.js';
import type { CaseRecord, CaseRegistry, ErasureRecord, ReviewDataScrubbed } from '../domain/erasure.js';
import { DEFAULT_ORG, ORG_PATTERN, REASON_CODE_PATTERN, type CreateApiKeyInput } from '../review/types.js';
import { KyselyBatchRegistry, TENANCY_MIGRATION, type BatchRegistry } from './tenancy-db.js';
import type { MasterKeys } from '../security/envelope.js';
import { SEALING_MIGRATION, compactAfterSealing, createReviewSealer, sealingMigration, type ReviewSealer } from './review-db-sealing.js';

/** How long a SQLite write waits for another process's lock before failing with SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;
const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;
/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 100;
/** Rows per query while streaming corrections. */
const CORRECTIONS_PAGE = 500;
const KEY_ID_BYTES = 6; // 12 hex characters
const SECRET_BYTES = 32; // 43 base64url characters
const SECRET_FORMAT = /^kyc_([0-9a-f]{12})_([A-Za-z0-9_-]{32,128})$/;
const MAX_KEY_NAME = 64;

interface ReviewTaskTable {
  task_id: string;
  workflow_id: string;
  case_id: string;
  batch_id: string;
  round: number;
  /** bigint: PostgreSQL returns it as a string, hence `Number()` on read. */
  version: number;
  queue: string;
  status: string;
  priority: string;
  assignee: string | null;
  assignee_key_id: string | null;
  created_at: string;
  updated_at: string;
  due_at: string;
  follow_up_at: string;
  escalated_at: string | null;
  reasons: string;
  four_eyes: number;
  approvals: string;
  submitted_by: string | null;
  final: string | null;
}

interface ReviewEventTable {
  event_id: string;
  task_id: string;
  case_id: string;
  at: string;
  actor: string;
  actor_key_id: string;
  action: string;
  detail: string | null;
}

interface CorrectionTable {
  correction_id: string;
  case_id: string;
  batch_id: string;
  document_id: string;
  file: string;
  document_type: string;
  text_key: string | null;
  field: string;
  extracted: string | null;
  extracted_source: string | null;
  corrected: string;
  model: string | null;
  reviewer: string;
  reviewer_key_id: string;
  at: string;
}

interface ApiKeyTable {
  key_id: string;
  name: string;
  roles: string;
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
  /** Migration 0003 (tenancy): the key's organisation and the person it names. */
  org: string;
  person: string | null;
}

/** The case registry (migration 0002): one row per case workflow, for retention and erasure. */
interface CaseTable {
  workflow_id: string;
  case_id: string;
  batch_id: string;
  submitted_at: string;
  closed_at: string | null;
  documents_erased_at: string | null;
  erased_at: string | null;
}

/** Which case holds which content-addressed document: a row per live reference. */
interface CaseDocumentTable {
  workflow_id: string;
  document_id: string;
}

/** Erasure records of erasures: ids, counts and hashes only. */
interface ErasureTable {
  erasure_id: string;
  case_id: string;
  batch_id: string;
  workflow_id: string;
  scope: string;
  reason: string;
  at: string;
  by: string;
  by_key_id: string | null;
  document_hashes: string;
  counts: string;
}

export interface ReviewDatabase {
  review_tasks: ReviewTaskTable;
  review_events: ReviewEventTable;
  corrections: CorrectionTable;
  api_keys: ApiKeyTable;
  cases: CaseTable;
  case_documents: CaseDocumentTable;
  erasures: ErasureTable;
}

/**
 * In-code migrations, applied in name order and recorded in `kyc_migrations`. Never edit one that
 * has shipped: add the next. `ifNotExists` keeps a half-applied first run repairable by hand.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': {
    // The schema is untyped here on purpose: a migration describes the database as it was then.
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('review_tasks')
        .ifNotExists()
        .addColumn('task_id', 'text', (c) => c.primaryKey())
        .addColumn('workflow_id', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('batch_id', 'text', (c) => c.notNull())
        .addColumn('round', 'integer', (c) => c.notNull())
        .addColumn('version', 'bigint', (c) => c.notNull())
        .addColumn('queue', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('priority', 'text', (c) => c.notNull())
        .addColumn('assignee', 'text')
        .addColumn('assignee_key_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text', (c) => c.notNull())
        .addColumn('follow_up_at', 'text', (c) => c.notNull())
        .addColumn('escalated_at', 'text')
        .addColumn('reasons', 'text', (c) => c.notNull())
        .addColumn('four_eyes', 'integer', (c) => c.notNull())
        .addColumn('approvals', 'text', (c) => c.notNull())
        .addColumn('submitted_by', 'text')
        .addColumn('final', 'text')
        .execute();
      // Each list filter leads an index that then follows the inbox order (due_at, task_id).
      const taskIndexes: Record<string, string[]> = {
        review_tasks_due_idx: ['due_at', 'task_id'],
        review_tasks_queue_idx: ['queue', 'due_at', 'task_id'],
        review_tasks_status_idx: ['status', 'due_at', 'task_id'],
        review_tasks_assignee_idx: ['assignee', 'due_at', 'task_id'],
        review_tasks_case_idx: ['case_id', 'created_at'],
      };
      for (const [name, columns] of Object.entries(taskIndexes)) {
        await db.schema.createIndex(name).ifNotExists().on('review_tasks').columns(columns).execute();
      }

      await db.schema
        .createTable('review_events')
        .ifNotExists()
        .addColumn('event_id', 'text', (c) => c.primaryKey())
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('actor_key_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('review_events_task_idx').ifNotExists().on('review_events').columns(['task_id', 'at']).execute();
      await db.schema.createIndex('review_events_case_idx').ifNotExists().on('review_events').columns(['case_id', 'at']).execute();

      await db.schema
        .createTable('corrections')
        .ifNotExists()
        .addColumn('correction_id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('batch_id', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('file', 'text', (c) => c.notNull())
        .addColumn('document_type', 'text', (c) => c.notNull())
        .addColumn('text_key', 'text')
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('extracted', 'text')
        .addColumn('extracted_source', 'text')
        .addColumn('corrected', 'text', (c) => c.notNull())
        .addColumn('model', 'text')
        .addColumn('reviewer', 'text', (c) => c.notNull())
        .addColumn('reviewer_key_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('corrections_at_idx').ifNotExists().on('corrections').columns(['at', 'correction_id']).execute();
      await db.schema.createIndex('corrections_case_idx').ifNotExists().on('corrections').column('case_id').execute();

      await db.schema
        .createTable('api_keys')
        .ifNotExists()
        .addColumn('key_id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('roles', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
    },
  },
  '0002-data-protection': {
    // Retention and erasure: the case registry, document references, erasure records.
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('cases')
        .ifNotExists()
        .addColumn('workflow_id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('batch_id', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .addColumn('documents_erased_at', 'text')
        .addColumn('erased_at', 'text')
        .execute();
      const caseIndexes: Record<string, string[]> = {
        cases_case_idx: ['case_id'],
        cases_batch_idx: ['batch_id'],
        cases_closed_idx: ['closed_at', 'workflow_id'],
        cases_submitted_idx: ['submitted_at', 'workflow_id'],
      };
      for (const [name, columns] of Object.entries(caseIndexes)) {
        await db.schema.createIndex(name).ifNotExists().on('cases').columns(columns).execute();
      }

      await db.schema
        .createTable('case_documents')
        .ifNotExists()
        .addColumn('workflow_id', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('case_documents_pk', ['workflow_id', 'document_id'])
        .execute();
      await db.schema.createIndex('case_documents_document_idx').ifNotExists().on('case_documents').column('document_id').execute();

      await db.schema
        .createTable('erasures')
        .ifNotExists()
        .addColumn('erasure_id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('batch_id', 'text', (c) => c.notNull())
        .addColumn('workflow_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('by', 'text', (c) => c.notNull())
        .addColumn('by_key_id', 'text')
        .addColumn('document_hashes', 'text', (c) => c.notNull())
        .addColumn('counts', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('erasures_case_idx').ifNotExists().on('erasures').columns(['case_id', 'at']).execute();
    },
  },
  // Organisations and persons on keys, batch owners and idempotency keys (src/adapters/tenancy-db.ts).
  '0003-tenancy': TENANCY_MIGRATION,
};

/**
 * Opens the review database named by `url` and brings its schema up to date:
 * `file:/abs/path.db`, `file:///abs/path.db` or `/abs/path.db` for SQLite (the file and its
 * directory are created), `postgres://…` or `postgresql://…` for PostgreSQL.
 */
export async function openReviewStore(
  url: string,
  /** Seal notes, reasons, corrected values and file names (src/adapters/review-db-sealing.ts); without them those cannot be written or read. */
  keys?: MasterKeys,
): Promise<ReviewStore & CaseRegistry & { readonly batches: BatchRegistry }> {
  const store = new KyselyReviewStore(await createDatabase(url), keys);
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw new Error(`review database ${redactUrl(url)}: ${(err as Error).message}`, { cause: err });
  }
  return store;
}

export class KyselyReviewStore implements ReviewStore, CaseRegistry {
  /** Batch owners and idempotency keys, in the same database. */
  readonly batches: BatchRegistry;

  /** Personal data in tasks, events and corrections is sealed under the master keys. */
  private readonly sealer: ReviewSealer;

  constructor(
    private readonly db: Kysely<ReviewDatabase>,
    keys?: MasterKeys,
  ) {
    this.sealer = createReviewSealer(keys);
    this.batches = new KyselyBatchRegistry(db);
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({
      db: this.db,
      provider: { getMigrations: async () => ({ ...MIGRATIONS, [SEALING_MIGRATION]: sealingMigration(this.sealer) }) },
      migrationTableName: 'kyc_migrations',
      migrationLockTableName: 'kyc_migrations_lock',
    });
    const { error, results } = await migrator.migrateToLatest();
    if (results?.some((r) => r.migrationName === SEALING_MIGRATION && r.status === 'Success')) await compactAfterSealing(this.db);
    if (error !== undefined) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      const message = (error as Error).message ?? String(error);
      throw new Error(failed === undefined ? message : `migration ${failed} failed: ${message}`, { cause: error });
    }
  }

  async upsertTask(task: ReviewTask): Promise<void> {
    // One statement, so two deliveries racing each other cannot both win: the stored row only
    // moves forward in version, whatever order activity retries arrive in.
    await this.db
      .insertInto('review_tasks')
      .values(this.sealer.seal('review_tasks', taskToRow(task)))
      .onConflict((oc) =>
        oc
          .column('task_id')
          .doUpdateSet((eb) => ({
            workflow_id: eb.ref('excluded.workflow_id'),
            case_id: eb.ref('excluded.case_id'),
            batch_id: eb.ref('excluded.batch_id'),
            round: eb.ref('excluded.round'),
            version: eb.ref('excluded.version'),
            queue: eb.ref('excluded.queue'),
            status: eb.ref('excluded.status'),
            priority: eb.ref('excluded.priority'),
            assignee: eb.ref('excluded.assignee'),
            assignee_key_id: eb.ref('excluded.assignee_key_id'),
            created_at: eb.ref('excluded.created_at'),
            updated_at: eb.ref('excluded.updated_at'),
            due_at: eb.ref('excluded.due_at'),
            follow_up_at: eb.ref('excluded.follow_up_at'),
            escalated_at: eb.ref('excluded.escalated_at'),
            reasons: eb.ref('excluded.reasons'),
            four_eyes: eb.ref('excluded.four_eyes'),
            approvals: eb.ref('excluded.approvals'),
            submitted_by: eb.ref('excluded.submitted_by'),
            final: eb.ref('excluded.final'),
          }))
          .where((eb) => eb('review_tasks.version', '<', eb.ref('excluded.version'))),
      )
      .execute();
  }

  async getTask(taskId: string): Promise<ReviewTask | undefined> {
    const row = await this.db.selectFrom('review_tasks').selectAll().where('task_id', '=', taskId).executeTakeFirst();
    return row && rowToTask(this.sealer.open('review_tasks', row));
  }

  async latestTaskForCase(caseId: string): Promise<ReviewTask | undefined> {
    const row = await this.db
      .selectFrom('review_tasks')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('created_at', 'desc')
      .orderBy('round', 'desc')
      .orderBy('task_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && rowToTask(this.sealer.open('review_tasks', row));
  }

  async listTasks(filter: TaskFilter): Promise<TaskPage> {
    const limit = clampInt(filter.limit, DEFAULT_PAGE, 1, MAX_PAGE);
    const offset = clampInt(filter.offset, 0, 0, Number.MAX_SAFE_INTEGER);
    const matches = (eb: ExpressionBuilder<ReviewDatabase, 'review_tasks'>) =>
      eb.and([
        ...(filter.queue !== undefined ? [eb('queue', '=', filter.queue)] : []),
        ...(filter.status !== undefined ? [eb('status', '=', filter.status)] : []),
        ...(filter.assignee !== undefined ? [eb('assignee', '=', filter.assignee)] : []),
        ...(filter.caseId !== undefined ? [eb('case_id', '=', filter.caseId)] : []),
        ...(filter.statuses !== undefined ? [filter.statuses.length > 0 ? eb('status', 'in', [...filter.statuses]) : eb.lit(false)] : []),
        // Reasons are a JSON array of codes in clear: match the quoted code, `_` escaped for LIKE.
        ...(filter.reason !== undefined ? [sql<boolean>`${sql.ref('reasons')} like ${reasonPattern(filter.reason)} escape '!'`] : []),
      ]);
    const [rows, count] = await Promise.all([
      this.db
        .selectFrom('review_tasks')
        .selectAll()
        .where(matches)
        .$if(filter.order === 'priority', (q) => q.orderBy(sql`case when ${sql.ref('priority')} = 'high' then 0 else 1 end`, 'asc'))
        .orderBy('due_at', 'asc')
        .orderBy('task_id', 'asc')
        .limit(limit)
        .offset(offset)
        .execute(),
      this.db
        .selectFrom('review_tasks')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where(matches)
        .executeTakeFirstOrThrow(),
    ]);
    return { tasks: rows.map((r) => rowToTask(this.sealer.open('review_tasks', r))), total: Number(count.n), limit, offset };
  }

  async appendEvents(events: ReviewEvent[]): Promise<void> {
    for (const chunk of chunks(events.map((e) => this.sealer.seal('review_events', eventToRow(e))), INSERT_CHUNK)) {
      await this.db
        .insertInto('review_events')
        .values(chunk)
        .onConflict((oc) => oc.column('event_id').doNothing())
        .execute();
    }
  }

  /**
   * In time order. Event ids are `<taskId>:<seq>`, so within one `at` the shorter id comes first and
   * `…:9` sorts before `…:10`.
   */
  async listEvents(taskId: string): Promise<ReviewEvent[]> {
    const rows = await this.db
      .selectFrom('review_events')
      .selectAll()
      .where('task_id', '=', taskId)
      .orderBy('at', 'asc')
      .orderBy((eb) => eb.fn('length', ['event_id']), 'asc')
      .orderBy('event_id', 'asc')
      .execute();
    return rows.map((r) => rowToEvent(this.sealer.open('review_events', r)));
  }

  async addCorrections(corrections: CorrectionRecord[]): Promise<void> {
    for (const chunk of chunks(corrections.map((c) => this.sealer.seal('corrections', correctionToRow(c))), INSERT_CHUNK)) {
      await this.db
        .insertInto('corrections')
        .values(chunk)
        .onConflict((oc) => oc.column('correction_id').doNothing())
        .execute();
    }
  }

  /** Ordered by (at, correctionId); pages by key, so rows added meanwhile are neither skipped nor repeated. */
  async *listCorrections(): AsyncIterable<CorrectionRecord> {
    let after: { at: string; id: string } | undefined;
    for (;;) {
      const cursor = after;
      const rows = await this.db
        .selectFrom('corrections')
        .selectAll()
        .$if(cursor !== undefined, (qb) =>
          qb.where((eb) =>
            eb.or([
              eb('at', '>', cursor!.at),
              eb.and([eb('at', '=', cursor!.at), eb('correction_id', '>', cursor!.id)]),
            ]),
          ),
        )
        .orderBy('at', 'asc')
        .orderBy('correction_id', 'asc')
        .limit(CORRECTIONS_PAGE)
        .execute();
      for (const row of rows) yield rowToCorrection(this.sealer.open('corrections', row));
      const last = rows.at(-1);
      if (last === undefined || rows.length < CORRECTIONS_PAGE) return;
      after = { at: last.at, id: last.correction_id };
    }
  }

  async createApiKey(input: CreateApiKeyInput): Promise<{ record: ApiKeyRecord; secret: string }> {
    const given = input.person ?? input.name;
    const name = typeof given === 'string' ? given.trim() : '';
    if (name.length < 1 || name.length > MAX_KEY_NAME) {
      throw new InvalidInputError(`the person a key names must be 1–${MAX_KEY_NAME} characters`);
    }
    const org = input.org ?? DEFAULT_ORG;
    if (typeof org !== 'string' || !ORG_PATTERN.test(org)) {
      throw new InvalidInputError('organisation must be 1–63 lower-case letters, digits and dashes, starting with a letter or digit');
    }
    if (!Array.isArray(input.roles) || input.roles.length === 0) {
      throw new InvalidInputError(`API key needs at least one role of: ${ROLES.join(', ')}`);
    }
    const unknown = input.roles.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (unknown.length > 0) {
      throw new InvalidInputError(`unknown role(s) ${unknown.map((r) => JSON.stringify(r)).join(', ')}; known: ${ROLES.join(', ')}`);
    }
    const roles = ROLES.filter((r) => input.roles.includes(r)); // deduplicated, canonical order
    const keyId = randomBytes(KEY_ID_BYTES).toString('hex');
    const secret = `kyc_${keyId}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
    if (!input.samePerson) {
      // Two people of one organisation under one name would be one person to separation of duties.
      const holders = await this.db.selectFrom('api_keys').select(['person']).where('org', '=', org).where('revoked_at', 'is', null).execute();
      if (holders.some((h) => (h.person ?? '').toLowerCase() === name.toLowerCase())) {
        throw new InvalidInputError(
          `organisation ${org} already has an active key for a person named "${name}": name the person distinctly, or say that this is the same person's additional key (--same-person)`,
        );
      }
    }
    const record: ApiKeyRecord = { keyId, name, org, person: name, roles, createdAt: new Date().toISOString() };
    await this.db
      .insertInto('api_keys')
      .values({
        key_id: keyId,
        name,
        roles: JSON.stringify(roles),
        secret_hash: sha256Hex(secret),
        created_at: record.createdAt,
        revoked_at: null,
        org,
        person: name,
      })
      .execute();
    return { record, secret };
  }

  async authenticate(secret: string): Promise<ApiKeyRecord | undefined> {
    const keyId = typeof secret === 'string' ? SECRET_FORMAT.exec(secret)?.[1] : undefined;
    if (keyId === undefined) return undefined;
    const row = await this.db.selectFrom('api_keys').selectAll().where('key_id', '=', keyId).executeTakeFirst();
    if (row === undefined || row.revoked_at !== null) return undefined;
    const presented = Buffer.from(sha256Hex(secret), 'hex');
    const stored = Buffer.from(row.secret_hash, 'hex');
    if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) return undefined;
    return rowToApiKey(row);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const rows = await this.db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('key_id').execute();
    return rows.map(rowToApiKey);
  }

  /** True when this call revoked an active key; false for an unknown or already revoked key (the first revocation time stays). */
  async revokeApiKey(keyId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: new Date().toISOString() })
      .where('key_id', '=', keyId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  // -------------------------------------------------------------------------------------------
  // Case registry (retention and erasure)

  async registerCase(record: { workflowId: string; caseId: string; batchId: string; documentIds: string[]; submittedAt: string }): Promise<void> {
    await this.db
      .insertInto('cases')
      .values({
        workflow_id: record.workflowId,
        case_id: record.caseId,
        batch_id: record.batchId,
        submitted_at: isoTime(record.submittedAt, 'submittedAt'),
        closed_at: null,
        documents_erased_at: null,
        erased_at: null,
      })
      // Submitted again (after an erasure, or a retried submission): live again; the close time is read anew.
      .onConflict((oc) => oc.column('workflow_id').doUpdateSet({ closed_at: null, documents_erased_at: null, erased_at: null }))
      .execute();
    await this.addCaseDocuments(record.workflowId, record.documentIds);
  }

  async addCaseDocuments(workflowId: string, documentIds: string[]): Promise<void> {
    const rows = [...new Set(documentIds)].map((document_id) => ({ workflow_id: workflowId, document_id }));
    for (const chunk of chunks(rows, INSERT_CHUNK)) {
      await this.db
        .insertInto('case_documents')
        .values(chunk)
        .onConflict((oc) => oc.columns(['workflow_id', 'document_id']).doNothing())
        .execute();
    }
  }

  async findCase(workflowId: string): Promise<CaseRecord | undefined> {
    const rows = await this.db.selectFrom('cases').selectAll().where('workflow_id', '=', workflowId).execute();
    return (await this.withDocuments(rows))[0];
  }

  async findCasesById(caseId: string): Promise<CaseRecord[]> {
    const rows = await this.db.selectFrom('cases').selectAll().where('case_id', '=', caseId).orderBy('submitted_at').orderBy('workflow_id').execute();
    return this.withDocuments(rows);
  }

  async casesOfBatch(batchId: string): Promise<CaseRecord[]> {
    const rows = await this.db.selectFrom('cases').selectAll().where('batch_id', '=', batchId).orderBy('workflow_id').execute();
    return this.withDocuments(rows);
  }

  async countOtherHolders(documentId: string, workflowId: string): Promise<number> {
    const row = await this.db
      .selectFrom('case_documents')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('document_id', '=', documentId)
      .where('workflow_id', '<>', workflowId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async releaseDocument(workflowId: string, documentId: string): Promise<void> {
    await this.db.deleteFrom('case_documents').where('workflow_id', '=', workflowId).where('document_id', '=', documentId).execute();
  }

  async markClosed(workflowId: string, closedAt: string): Promise<void> {
    await this.db.updateTable('cases').set({ closed_at: isoTime(closedAt, 'closedAt') }).where('workflow_id', '=', workflowId).execute();
  }

  async markDocumentsErased(workflowId: string, at: string): Promise<void> {
    await this.db
      .updateTable('cases')
      .set({ documents_erased_at: isoTime(at, 'documentsErasedAt') })
      .where('workflow_id', '=', workflowId)
      .where('documents_erased_at', 'is', null)
      .execute();
  }

  async markErased(workflowId: string, at: string): Promise<void> {
    const time = isoTime(at, 'erasedAt');
    await this.db
      .updateTable('cases')
      .set((eb) => ({
        erased_at: time,
        documents_erased_at: eb.fn.coalesce('documents_erased_at', eb.val(time)),
        closed_at: eb.fn.coalesce('closed_at', eb.val(time)),
      }))
      .where('workflow_id', '=', workflowId)
      .execute();
  }

  async listOpenCases(before: string, limit: number, after?: { submittedAt: string; workflowId: string }): Promise<CaseRecord[]> {
    const rows = await this.db
      .selectFrom('cases')
      .selectAll()
      .where('closed_at', 'is', null)
      .where('erased_at', 'is', null)
      .where('submitted_at', '<', isoTime(before, 'before'))
      .$if(after !== undefined, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb('submitted_at', '>', after!.submittedAt),
            eb.and([eb('submitted_at', '=', after!.submittedAt), eb('workflow_id', '>', after!.workflowId)]),
          ]),
        ),
      )
      .orderBy('submitted_at')
      .orderBy('workflow_id')
      .limit(clampInt(limit, DEFAULT_PAGE, 1, MAX_PAGE))
      .execute();
    return this.withDocuments(rows);
  }

  async listExpiredCases(kind: 'documents' | 'reports', before: string, limit: number): Promise<CaseRecord[]> {
    const rows = await this.db
      .selectFrom('cases')
      .selectAll()
      .where('closed_at', 'is not', null)
      .where('closed_at', '<', isoTime(before, 'before'))
      .where('erased_at', 'is', null)
      .$if(kind === 'documents', (qb) => qb.where('documents_erased_at', 'is', null))
      .orderBy('closed_at')
      .orderBy('workflow_id')
      .limit(clampInt(limit, DEFAULT_PAGE, 1, MAX_PAGE))
      .execute();
    return this.withDocuments(rows);
  }

  /**
   * Corrections hold the applicant's corrected values: deleted. Tasks and events stay as the record
   * of who did what and when, but their free text (notes, reasons, corrected values in event
   * details) may name the applicant: blanked. Open tasks are closed so they leave the inbox.
   */
  async scrubReviewData(target: { workflowId: string; caseId: string; batchId: string }): Promise<ReviewDataScrubbed> {
    const sqlite = this.db.getExecutor().adapter instanceof SqliteAdapter;
    // SQLite: deleted and rewritten rows are overwritten with zeros, not left in free pages.
    if (sqlite) await sql`PRAGMA secure_delete = ON`.execute(this.db);
    const corrections = await this.db
      .deleteFrom('corrections')
      .where('case_id', '=', target.caseId)
      .where('batch_id', '=', target.batchId)
      .executeTakeFirst();
    const tasks = await this.db.selectFrom('review_tasks').selectAll().where('workflow_id', '=', target.workflowId).execute();
    let events = 0n;
    let scrubbedTasks = 0;
    for (const sealedRow of tasks) {
      const row = this.sealer.open('review_tasks', sealedRow);
      const task = rowToTask(row);
      const scrubbed: ReviewTask = {
        ...task,
        status: 'completed',
        approvals: task.approvals.map((a) => ({ ...a, reason: '' })),
        ...(task.final ? { final: { ...task.final, reason: '' } } : {}),
      };
      const values = taskToRow(scrubbed);
      if (values.status !== row.status || values.approvals !== row.approvals || values.final !== row.final) {
        scrubbedTasks += 1;
        const sealed = this.sealer.seal('review_tasks', values);
        await this.db.updateTable('review_tasks').set({ status: sealed.status, approvals: sealed.approvals, final: sealed.final }).where('task_id', '=', row.task_id).execute();
      }
      const updated = await this.db
        .updateTable('review_events')
        .set({ detail: null })
        .where('task_id', '=', row.task_id)
        .where('detail', 'is not', null)
        .executeTakeFirst();
      events += updated.numUpdatedRows;
    }
    // The write-ahead log still holds the old page images until a checkpoint folds them in.
    if (sqlite) await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(this.db);
    return { corrections: Number(corrections.numDeletedRows), events: Number(events), tasks: scrubbedTasks };
  }

  async recordErasure(record: ErasureRecord): Promise<void> {
    await this.db
      .insertInto('erasures')
      .values({
        erasure_id: record.erasureId,
        case_id: record.caseId,
        batch_id: record.batchId,
        workflow_id: record.workflowId,
        scope: record.scope,
        reason: record.reason,
        at: isoTime(record.at, 'erasure at'),
        by: record.by,
        by_key_id: record.byKeyId ?? null,
        document_hashes: JSON.stringify(record.documentHashes),
        counts: JSON.stringify(record.counts),
      })
      .onConflict((oc) => oc.column('erasure_id').doNothing())
      .execute();
  }

  async listErasures(caseId: string): Promise<ErasureRecord[]> {
    const rows = await this.db.selectFrom('erasures').selectAll().where('case_id', '=', caseId).orderBy('at').orderBy('erasure_id').execute();
    return rows.map((r) => ({
      erasureId: r.erasure_id,
      caseId: r.case_id,
      batchId: r.batch_id,
      workflowId: r.workflow_id,
      scope: r.scope as ErasureRecord['scope'],
      reason: r.reason as ErasureRecord['reason'],
      at: r.at,
      by: r.by,
      ...(r.by_key_id !== null && { byKeyId: r.by_key_id }),
      documentHashes: JSON.parse(r.document_hashes) as ErasureRecord['documentHashes'],
      counts: JSON.parse(r.counts) as ErasureRecord['counts'],
    }));
  }

  /** Case rows with the documents each still holds (one query per chunk of cases). */
  private async withDocuments(rows: Array<Selectable<CaseTable>>): Promise<CaseRecord[]> {
    const held = new Map<string, string[]>();
    for (const chunk of chunks(rows.map((r) => r.workflow_id), INSERT_CHUNK)) {
      if (chunk.length === 0) continue;
      const refs = await this.db
        .selectFrom('case_documents')
        .selectAll()
        .where('workflow_id', 'in', chunk)
        .orderBy('workflow_id')
        .orderBy('document_id')
        .execute();
      for (const ref of refs) held.set(ref.workflow_id, [...(held.get(ref.workflow_id) ?? []), ref.document_id]);
    }
    return rows.map((r) => ({
      workflowId: r.workflow_id,
      caseId: r.case_id,
      batchId: r.batch_id,
      documentIds: held.get(r.workflow_id) ?? [],
      submittedAt: r.submitted_at,
      ...(r.closed_at !== null && { closedAt: r.closed_at }),
      ...(r.documents_erased_at !== null && { documentsErasedAt: r.documents_erased_at }),
      ...(r.erased_at !== null && { erasedAt: r.erased_at }),
    }));
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Connections

export async function createDatabase(url: string): Promise<Kysely<ReviewDatabase>> {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new ConfigError(['review database URL is empty; ' + ACCEPTED_URLS]);
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return createPostgres(url);
  const path = sqlitePath(url);
  if (path !== undefined) return createSqlite(path);
  throw new ConfigError([`review database URL ${redactUrl(url)} is not supported; ${ACCEPTED_URLS}`]);
}

const ACCEPTED_URLS =
  'use file:/absolute/path.db, file:///absolute/path.db, an absolute path ending in .db, or postgres://user@host:port/database';

/** The absolute file path of a SQLite URL, or undefined when `url` is not one. */
function sqlitePath(url: string): string | undefined {
  if (/^file:/i.test(url)) {
    // file:/p, file:///p or file://localhost/p; never file://host/p (a remote share) or file:relative.
    const match = /^file:(?:\/\/(?:localhost)?(?=\/)|(?!\/\/))(\/[^?#]*)$/i.exec(url);
    if (match === null) {
      throw new ConfigError([
        `review database URL ${redactUrl(url)} must name an absolute path without query or fragment; ${ACCEPTED_URLS}`,
      ]);
    }
    try {
      return decodeURIComponent(match[1]!);
    } catch {
      throw new ConfigError([`review database URL ${redactUrl(url)} has a malformed %-escape`]);
    }
  }
  if (isAbsolute(url) && url.toLowerCase().endsWith('.db')) return url;
  if (url.toLowerCase().endsWith('.db')) {
    throw new ConfigError([`review database path ${url} must be absolute; ${ACCEPTED_URLS}`]);
  }
  return undefined;
}

/**
 * libSQL's client keeps a small pool of connections, each with the busy timeout, so a write waits
 * for another process's lock instead of failing. WAL (a property of the file, set once) lets
 * readers in the API keep reading while a worker writes.
 */
async function createSqlite(path: string): Promise<Kysely<ReviewDatabase>> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await ownerOnlyDatabaseFiles(path);
  const client = createClient({ url: pathToFileURL(path).href, timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    await client.execute('PRAGMA journal_mode = WAL');
  } catch (err) {
    client.close();
    throw new Error(`cannot open review database ${path}: ${(err as Error).message}`, { cause: err });
  }
  return new Kysely<ReviewDatabase>({ dialect: new SqliteDialect({ client }) });
}

/**
 * The database file is made owner-only before SQLite opens it: SQLite gives its -wal and -shm files
 * the database file's mode. Files an older version left readable by others are tightened.
 */
async function ownerOnlyDatabaseFiles(path: string): Promise<void> {
  await (await open(path, 'a', 0o600)).close();
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    const mode = await stat(file).then((s) => s.mode & 0o777, () => undefined);
    if (mode !== undefined && (mode & 0o077) !== 0) await chmod(file, mode & 0o600);
  }
}

/**
 * SQLite's DDL is transactional, but Kysely's SQLite adapter says otherwise and takes no migration
 * lock, so two processes starting on a fresh file would both run a migration. Claiming transactional
 * DDL makes the Migrator run inside one libSQL write transaction (BEGIN IMMEDIATE), which holds the
 * file's write lock: a second process waits, then finds the migrations recorded.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class SqliteDialect extends LibsqlDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

function createPostgres(url: string): Kysely<ReviewDatabase> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError([`review database URL ${redactUrl(url)} is not a valid URL; ${ACCEPTED_URLS}`]);
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw new ConfigError([`review database URL ${redactUrl(url)} names no host; ${ACCEPTED_URLS}`]);
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection that drops (server restart, failover) is discarded by the pool and the next
  // query opens a new one; without a listener Node would treat the event as fatal.
  pool.on('error', () => undefined);
  return new Kysely<ReviewDatabase>({ dialect: new PostgresDialect({ pool }) });
}

/** The URL with any password masked, for messages. */
function redactUrl(url: string): string {
  return String(url).replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}

// ---------------------------------------------------------------------------------------------
// Rows

/** A LIKE pattern (escape character `!`) that finds `"code"` inside the JSON array of reason codes. */
function reasonPattern(code: string): string {
  if (!REASON_CODE_PATTERN.test(code)) throw new InvalidInputError('a reason code has lower-case letters, digits and underscores');
  return `%"${code.replace(/[!%_]/g, (c) => `!${c}`)}"%`;
}

type TaskRow = Selectable<ReviewTaskTable>;

function taskToRow(task: ReviewTask): ReviewTaskTable {
  return {
    task_id: task.taskId,
    workflow_id: task.workflowId,
    case_id: task.caseId,
    batch_id: task.batchId,
    round: task.round,
    version: task.version,
    queue: task.queue,
    status: task.status,
    priority: task.priority,
    assignee: task.assignee ?? null,
    assignee_key_id: task.assigneeKeyId ?? null,
    created_at: isoTime(task.createdAt, 'createdAt'),
    updated_at: isoTime(task.updatedAt, 'updatedAt'),
    due_at: isoTime(task.dueAt, 'dueAt'),
    follow_up_at: isoTime(task.followUpAt, 'followUpAt'),
    escalated_at: task.escalatedAt === undefined ? null : isoTime(task.escalatedAt, 'escalatedAt'),
    reasons: JSON.stringify(task.reasons),
    four_eyes: task.fourEyes ? 1 : 0,
    approvals: JSON.stringify(task.approvals),
    submitted_by: task.submittedBy ?? null,
    final: task.final === undefined ? null : JSON.stringify(task.final),
  };
}

function rowToTask(r: TaskRow): ReviewTask {
  return {
    taskId: r.task_id,
    workflowId: r.workflow_id,
    caseId: r.case_id,
    batchId: r.batch_id,
    round: Number(r.round),
    version: Number(r.version),
    queue: r.queue as ReviewTask['queue'],
    status: r.status as ReviewTask['status'],
    priority: r.priority as ReviewTask['priority'],
    ...(r.assignee !== null && { assignee: r.assignee }),
    ...(r.assignee_key_id !== null && { assigneeKeyId: r.assignee_key_id }),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    dueAt: r.due_at,
    followUpAt: r.follow_up_at,
    ...(r.escalated_at !== null && { escalatedAt: r.escalated_at }),
    reasons: JSON.parse(r.reasons) as string[],
    fourEyes: Number(r.four_eyes) !== 0,
    approvals: JSON.parse(r.approvals) as ReviewTask['approvals'],
    ...(r.submitted_by !== null && { submittedBy: r.submitted_by }),
    ...(r.final !== null && { final: JSON.parse(r.final) as NonNullable<ReviewTask['final']> }),
  };
}

function eventToRow(e: ReviewEvent): ReviewEventTable {
  return {
    event_id: e.eventId,
    task_id: e.taskId,
    case_id: e.caseId,
    at: isoTime(e.at, 'event at'),
    actor: e.actor,
    actor_key_id: e.actorKeyId,
    action: e.action,
    detail: e.detail === undefined ? null : JSON.stringify(e.detail),
  };
}

function rowToEvent(r: Selectable<ReviewEventTable>): ReviewEvent {
  return {
    eventId: r.event_id,
    taskId: r.task_id,
    caseId: r.case_id,
    at: r.at,
    actor: r.actor,
    actorKeyId: r.actor_key_id,
    action: r.action as ReviewEvent['action'],
    ...(r.detail !== null && { detail: JSON.parse(r.detail) as Record<string, unknown> }),
  };
}

function correctionToRow(c: CorrectionRecord): CorrectionTable {
  return {
    correction_id: c.correctionId,
    case_id: c.caseId,
    batch_id: c.batchId,
    document_id: c.documentId,
    file: c.file,
    document_type: c.documentType,
    text_key: c.textKey ?? null,
    field: c.field,
    extracted: c.extracted ?? null,
    extracted_source: c.extractedSource ?? null,
    corrected: c.corrected,
    model: c.model === undefined ? null : JSON.stringify(c.model),
    reviewer: c.reviewer,
    reviewer_key_id: c.reviewerKeyId,
    at: isoTime(c.at, 'correction at'),
  };
}

function rowToCorrection(r: Selectable<CorrectionTable>): CorrectionRecord {
  return {
    correctionId: r.correction_id,
    caseId: r.case_id,
    batchId: r.batch_id,
    documentId: r.document_id,
    file: r.file,
    documentType: r.document_type,
    ...(r.text_key !== null && { textKey: r.text_key }),
    field: r.field as CorrectionRecord['field'],
    ...(r.extracted !== null && { extracted: r.extracted }),
    ...(r.extracted_source !== null && { extractedSource: r.extracted_source }),
    corrected: r.corrected,
    ...(r.model !== null && { model: JSON.parse(r.model) as NonNullable<CorrectionRecord['model']> }),
    reviewer: r.reviewer,
    reviewerKeyId: r.reviewer_key_id,
    at: r.at,
  };
}

function rowToApiKey(r: Selectable<ApiKeyTable>): ApiKeyRecord {
  return {
    keyId: r.key_id,
    name: r.person ?? r.name,
    org: r.org,
    person: r.person ?? r.name,
    roles: JSON.parse(r.roles) as Role[],
    createdAt: r.created_at,
    ...(r.revoked_at !== null && { revokedAt: r.revoked_at }),
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Normalises to `toISOString()` form, so text order is time order in both dialects. */
function isoTime(value: string, what: string): string {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidInputError(`${what} is not an ISO timestamp: ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function clampInt(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
