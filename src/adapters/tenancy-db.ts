/**
 * Tenancy in the review database: API keys belong to an organisation and name a person, and every
 * batch has one row here naming its owner organisation, its submitter and what was submitted (a
 * fingerprint of the request, the manifest's hash). The rows are the authority for who may read a
 * batch or a case, and for idempotency: `(owner_org, idempotency_key)` and `batch_id` are unique in
 * the database, so two requests racing for one key or one batch id cannot both win.
 */
import { sql, type Kysely, type Migration, type Selectable } from 'kysely';

export interface BatchTable {
  /** Exactly as the client (or the engine) chose it: compared case-sensitively. */
  batch_id: string;
  owner_org: string;
  /** `<org>/<person>` of the submitter (see `principalOf`). */
  submitted_by: string | null;
  submitted_by_key_id: string | null;
  idempotency_key: string | null;
  /** sha256 of the canonical request (cases, applicants, document hashes and names, asOf, sanctions). */
  fingerprint: string;
  /** JSON array of the batch's case ids, in submission order. */
  case_ids: string;
  manifest_key: string | null;
  manifest_hash: string | null;
  /** 'claimed' while the submission stores its documents and starts the workflow; then 'started'. */
  state: string;
  /** Random per claim: only the request that holds it finishes or releases the claim. */
  claim_token: string;
  claimed_at: string;
  started_at: string | null;
}

/** The tables this module reads (columns it needs only). */
interface TenancyDatabase {
  batches: BatchTable;
  cases: { workflow_id: string; case_id: string; batch_id: string; submitted_at: string; erased_at: string | null };
  case_documents: { workflow_id: string; document_id: string };
  review_tasks: { task_id: string; case_id: string; batch_id: string; created_at: string; round: number };
}

/** Migration 0003: organisation and person on API keys, and the batches table. */
export const TENANCY_MIGRATION: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('api_keys').addColumn('org', 'text', (c) => c.notNull().defaultTo('default')).execute();
    await db.schema.alterTable('api_keys').addColumn('person', 'text').execute();
    // A key made before people were named names its person by its name.
    await sql`UPDATE api_keys SET person = name WHERE person IS NULL`.execute(db);
    await db.schema.createIndex('api_keys_org_person_idx').ifNotExists().on('api_keys').columns(['org', 'person']).execute();

    await db.schema
      .createTable('batches')
      .ifNotExists()
      .addColumn('batch_id', 'text', (c) => c.primaryKey())
      .addColumn('owner_org', 'text', (c) => c.notNull())
      .addColumn('submitted_by', 'text')
      .addColumn('submitted_by_key_id', 'text')
      .addColumn('idempotency_key', 'text')
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('case_ids', 'text', (c) => c.notNull())
      .addColumn('manifest_key', 'text')
      .addColumn('manifest_hash', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('claim_token', 'text', (c) => c.notNull())
      .addColumn('claimed_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .execute();
    // NULL keys never collide (both dialects), so batches without a key are unconstrained here.
    await db.schema.createIndex('batches_org_key_uq').ifNotExists().unique().on('batches').columns(['owner_org', 'idempotency_key']).execute();
  },
};

export interface BatchRecord {
  batchId: string;
  ownerOrg: string;
  submittedBy?: string;
  submittedByKeyId?: string;
  idempotencyKey?: string;
  fingerprint: string;
  caseIds: string[];
  manifestKey?: string;
  manifestHash?: string;
  state: 'claimed' | 'started';
  claimToken: string;
  claimedAt: string;
  startedAt?: string;
}

export type NewBatchClaim = Omit<BatchRecord, 'state' | 'manifestKey' | 'manifestHash' | 'startedAt'>;

/** Batches and their owners; the case and task lookups scoped to an owner. */
export interface BatchRegistry {
  /**
   * Inserts the batch in state 'claimed'. False when the batch id, or the owner's idempotency key,
   * is already taken (by a finished submission or one in progress): nothing is written then.
   */
  claimBatch(claim: NewBatchClaim): Promise<boolean>;
  findBatch(batchId: string): Promise<BatchRecord | undefined>;
  findBatchByKey(ownerOrg: string, idempotencyKey: string): Promise<BatchRecord | undefined>;
  /** Records the manifest and marks the batch started; only with the claim's token. */
  markStarted(batchId: string, claimToken: string, manifest: { key: string; hash: string }): Promise<boolean>;
  /** Gives up a claim (the submission failed before its workflow started); only with its token. */
  releaseClaim(batchId: string, claimToken: string): Promise<boolean>;
  /** Forgets the cases a failed submission registered (their document references included). */
  forgetCases(batchId: string, workflowIds: string[]): Promise<void>;
  /** Takes over a claim left behind by a request that died; only when the token is still `staleToken`. */
  takeOverClaim(batchId: string, staleToken: string, claimToken: string, at: string): Promise<boolean>;
  /**
   * The latest live case workflow with this case id, among the batches of `ownerOrg` (any owner when
   * undefined). Batches submitted before owners were recorded belong to the default organisation.
   */
  findCase(caseId: string, ownerOrg: string | undefined, defaultOrg: string): Promise<{ batchId: string; workflowId: string } | undefined>;
  /** The latest review task of the case id among the batches of `ownerOrg`. */
  latestTaskIdForCase(caseId: string, ownerOrg: string, defaultOrg: string): Promise<string | undefined>;
}

export class KyselyBatchRegistry implements BatchRegistry {
  private readonly db: Kysely<TenancyDatabase>;

  constructor(db: Kysely<any>) {
    this.db = db as Kysely<TenancyDatabase>;
  }

  async claimBatch(claim: NewBatchClaim): Promise<boolean> {
    // One statement: the unique constraints decide between racing requests, never a prior read.
    const inserted = await this.db
      .insertInto('batches')
      .values({
        batch_id: claim.batchId,
        owner_org: claim.ownerOrg,
        submitted_by: claim.submittedBy ?? null,
        submitted_by_key_id: claim.submittedByKeyId ?? null,
        idempotency_key: claim.idempotencyKey ?? null,
        fingerprint: claim.fingerprint,
        case_ids: JSON.stringify(claim.caseIds),
        manifest_key: null,
        manifest_hash: null,
        state: 'claimed',
        claim_token: claim.claimToken,
        claimed_at: claim.claimedAt,
        started_at: null,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('batch_id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async findBatch(batchId: string): Promise<BatchRecord | undefined> {
    const row = await this.db.selectFrom('batches').selectAll().where('batch_id', '=', batchId).executeTakeFirst();
    return row && rowToBatch(row);
  }

  async findBatchByKey(ownerOrg: string, idempotencyKey: string): Promise<BatchRecord | undefined> {
    const row = await this.db
      .selectFrom('batches')
      .selectAll()
      .where('owner_org', '=', ownerOrg)
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
    return row && rowToBatch(row);
  }

  async markStarted(batchId: string, claimToken: string, manifest: { key: string; hash: string }): Promise<boolean> {
    const result = await this.db
      .updateTable('batches')
      .set({ state: 'started', manifest_key: manifest.key, manifest_hash: manifest.hash, started_at: new Date().toISOString() })
      .where('batch_id', '=', batchId)
      .where('claim_token', '=', claimToken)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async releaseClaim(batchId: string, claimToken: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('batches')
      .where('batch_id', '=', batchId)
      .where('claim_token', '=', claimToken)
      .where('state', '=', 'claimed')
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async forgetCases(batchId: string, workflowIds: string[]): Promise<void> {
    if (workflowIds.length === 0) return;
    await this.db.deleteFrom('case_documents').where('workflow_id', 'in', workflowIds).execute();
    await this.db.deleteFrom('cases').where('batch_id', '=', batchId).where('workflow_id', 'in', workflowIds).execute();
  }

  async takeOverClaim(batchId: string, staleToken: string, claimToken: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('batches')
      .set({ claim_token: claimToken, claimed_at: at })
      .where('batch_id', '=', batchId)
      .where('claim_token', '=', staleToken)
      .where('state', '=', 'claimed')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async findCase(caseId: string, ownerOrg: string | undefined, defaultOrg: string): Promise<{ batchId: string; workflowId: string } | undefined> {
    const row = await this.db
      .selectFrom('cases')
      .leftJoin('batches', 'batches.batch_id', 'cases.batch_id')
      .select(['cases.batch_id as batchId', 'cases.workflow_id as workflowId'])
      .where('cases.case_id', '=', caseId)
      .where('cases.erased_at', 'is', null)
      .$if(ownerOrg !== undefined, (qb) => qb.where((eb) => eb(eb.fn.coalesce('batches.owner_org', eb.val(defaultOrg)), '=', ownerOrg!)))
      // A batch still being claimed has not started its workflow: not a case yet.
      .where((eb) => eb.or([eb('batches.state', 'is', null), eb('batches.state', '=', 'started')]))
      .orderBy('cases.submitted_at', 'desc')
      .orderBy('cases.workflow_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row;
  }

  async latestTaskIdForCase(caseId: string, ownerOrg: string, defaultOrg: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('review_tasks')
      .leftJoin('batches', 'batches.batch_id', 'review_tasks.batch_id')
      .select('review_tasks.task_id as taskId')
      .where('review_tasks.case_id', '=', caseId)
      .where((eb) => eb(eb.fn.coalesce('batches.owner_org', eb.val(defaultOrg)), '=', ownerOrg))
      .orderBy('review_tasks.created_at', 'desc')
      .orderBy('review_tasks.round', 'desc')
      .orderBy('review_tasks.task_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.taskId;
  }
}

function rowToBatch(r: Selectable<BatchTable>): BatchRecord {
  return {
    batchId: r.batch_id,
    ownerOrg: r.owner_org,
    ...(r.submitted_by !== null && { submittedBy: r.submitted_by }),
    ...(r.submitted_by_key_id !== null && { submittedByKeyId: r.submitted_by_key_id }),
    ...(r.idempotency_key !== null && { idempotencyKey: r.idempotency_key }),
    fingerprint: r.fingerprint,
    caseIds: JSON.parse(r.case_ids) as string[],
    ...(r.manifest_key !== null && { manifestKey: r.manifest_key }),
    ...(r.manifest_hash !== null && { manifestHash: r.manifest_hash }),
    state: r.state === 'started' ? 'started' : 'claimed',
    claimToken: r.claim_token,
    claimedAt: r.claimed_at,
    ...(r.started_at !== null && { startedAt: r.started_at }),
  };
}
