/**
 * The audit trail's storage: one table `audit_log` in the review database (same URL: SQLite file or
 * PostgreSQL), with its own migrations. Appends are optimistic: read the case's last record, chain
 * the new ones to it, insert them together; a concurrent append to the same case takes the sequence
 * numbers first (unique key) and this one retries on top of it. A retried entry (same entryId) is
 * not appended twice. Records are sealed with a keyed MAC (src/audit/chain.ts) under a key derived
 * from the master keyring: the store holds the key in memory, the database never does.
 */
import { Kysely, Migrator, type Migration } from 'kysely';
import { chainRecord, type AuditEntry, type AuditHead, type AuditRecord } from '../audit/chain.js';
import { auditKeyrings, type AuditKeyrings } from '../audit/keys.js';
import type { Keyring } from '../security/keyring.js';
import { createDatabase } from './review-db.js';

interface AuditTable {
  case_key: string;
  seq: number;
  case_id: string;
  batch_id: string;
  entry_id: string;
  at: string;
  actor: string;
  actor_key_id: string | null;
  action: string;
  detail: string;
  prev_hash: string;
  hash: string;
  /** Null on legacy records (plain sha256, before keyed MACs). */
  mac_key_id: string | null;
}

interface AuditDatabase {
  audit_log: AuditTable;
}

const MIGRATIONS: Record<string, Migration> = {
  '0001-audit-log': {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('audit_log')
        .ifNotExists()
        .addColumn('case_key', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('batch_id', 'text', (c) => c.notNull())
        .addColumn('entry_id', 'text', (c) => c.notNull().unique())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('actor_key_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('audit_log_pk', ['case_key', 'seq'])
        .execute();
      await db.schema.createIndex('audit_log_case_id_idx').ifNotExists().on('audit_log').columns(['case_id', 'at']).execute();
    },
  },
  // Keyed MACs: the key id each record was sealed with. Records from before stay NULL (legacy).
  '0002-audit-mac-key': {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('audit_log').addColumn('mac_key_id', 'text').execute();
    },
  },
};

export interface AuditStore {
  /** The derived MAC keys the store seals with (and a verifier checks with). */
  readonly keys: AuditKeyrings;
  append(target: { caseKey: string; caseId: string; batchId: string }, entries: AuditEntry[]): Promise<AuditRecord[]>;
  /** The whole chain of a case, in order. */
  list(caseKey: string): Promise<AuditRecord[]>;
  /** The case keys (newest first) that a case id has had: one per batch that carried it. */
  caseKeysFor(caseId: string): Promise<string[]>;
  /** Every case's last record, by case key (for checkpoints and `--verify-all`). */
  lastRecords(): Promise<Map<string, AuditRecord>>;
  /** The MAC of one record, undefined when it is not there. */
  hashAt(caseKey: string, seq: number): Promise<string | undefined>;
  close(): Promise<void>;
}

/** The head after some appended records: the latest of them (others may have appended since). */
export function headAfter(records: readonly AuditRecord[]): AuditHead | undefined {
  let head: AuditHead | undefined;
  for (const r of records) if (!head || r.seq > head.count) head = { count: r.seq, mac: r.hash };
  return head;
}

export async function openAuditStore(url: string, keyring: Keyring): Promise<AuditStore> {
  const db = (await createDatabase(url)) as unknown as Kysely<AuditDatabase>;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'kyc_audit_migrations',
    migrationLockTableName: 'kyc_audit_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw new Error(`audit log: ${(error as Error).message}`, { cause: error });
  }
  return new KyselyAuditStore(db, auditKeyrings(keyring));
}

const MAX_ATTEMPTS = 20;

class KyselyAuditStore implements AuditStore {
  constructor(
    private readonly db: Kysely<AuditDatabase>,
    readonly keys: AuditKeyrings,
  ) {}

  /**
   * One round per call, however many entries: the entries already recorded (by id), the case's
   * last record, then every new record chained after it in one INSERT (one statement, so all or
   * none; on SQLite one commit instead of one per entry).
   */
  async append(target: { caseKey: string; caseId: string; batchId: string }, entries: AuditEntry[]): Promise<AuditRecord[]> {
    if (entries.length === 0) return [];
    const ids = [...new Set(entries.map((e) => e.entryId))];
    for (let attempt = 1; ; attempt++) {
      const recorded = new Map<string, AuditRecord>();
      for (const row of await this.db.selectFrom('audit_log').selectAll().where('entry_id', 'in', ids).execute()) {
        recorded.set(row.entry_id, toRecord(row));
      }
      const fresh: AuditRecord[] = [];
      if (recorded.size < ids.length) {
        const lastRow = await this.db
          .selectFrom('audit_log')
          .selectAll()
          .where('case_key', '=', target.caseKey)
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst();
        let previous = lastRow ? toRecord(lastRow) : undefined;
        for (const entry of entries) {
          if (recorded.has(entry.entryId) || fresh.some((r) => r.entryId === entry.entryId)) continue;
          previous = chainRecord(previous, { ...target, ...entry }, this.keys.chain);
          fresh.push(previous);
        }
        try {
          await this.db.insertInto('audit_log').values(fresh.map(toRow)).execute();
        } catch (err) {
          // Another append took these sequence numbers (or entry ids) first: chain onto it.
          if (attempt >= MAX_ATTEMPTS || !isUniqueViolation(err)) throw err;
          await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
          continue;
        }
        for (const record of fresh) recorded.set(record.entryId, record);
      }
      return entries.map((e) => recorded.get(e.entryId)!);
    }
  }

  async list(caseKey: string): Promise<AuditRecord[]> {
    const rows = await this.db.selectFrom('audit_log').selectAll().where('case_key', '=', caseKey).orderBy('seq', 'asc').execute();
    return rows.map(toRecord);
  }

  async caseKeysFor(caseId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .select(['case_key'])
      .where('case_id', '=', caseId)
      .groupBy('case_key')
      .orderBy((eb) => eb.fn.max('at'), 'desc')
      .execute();
    return rows.map((r) => r.case_key);
  }

  async lastRecords(): Promise<Map<string, AuditRecord>> {
    // The record with no later one in its case: an index seek per row on the (case_key, seq) key.
    const rows = await this.db
      .selectFrom('audit_log as a')
      .selectAll('a')
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('audit_log as b').select('b.seq').whereRef('b.case_key', '=', 'a.case_key').whereRef('b.seq', '>', 'a.seq'))),
      )
      .execute();
    return new Map(rows.map((r) => [r.case_key, toRecord(r)]));
  }

  async hashAt(caseKey: string, seq: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('audit_log').select(['hash']).where('case_key', '=', caseKey).where('seq', '=', seq).executeTakeFirst();
    return row?.hash;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

function isUniqueViolation(err: unknown): boolean {
  const text = `${(err as Error)?.message ?? ''} ${(err as { code?: string })?.code ?? ''}`;
  return /UNIQUE|unique|duplicate key|23505|SQLITE_CONSTRAINT/.test(text);
}

function toRow(r: AuditRecord): AuditTable {
  return {
    case_key: r.caseKey,
    seq: r.seq,
    case_id: r.caseId,
    batch_id: r.batchId,
    entry_id: r.entryId,
    at: r.at,
    actor: r.actor,
    actor_key_id: r.actorKeyId ?? null,
    action: r.action,
    detail: JSON.stringify(r.detail),
    prev_hash: r.prevHash,
    hash: r.hash,
    mac_key_id: r.macKeyId ?? null,
  };
}

function toRecord(r: AuditTable): AuditRecord {
  return {
    caseKey: r.case_key,
    caseId: r.case_id,
    batchId: r.batch_id,
    seq: Number(r.seq),
    entryId: r.entry_id,
    at: r.at,
    actor: r.actor,
    ...(r.actor_key_id ? { actorKeyId: r.actor_key_id } : {}),
    action: r.action,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
    ...(r.mac_key_id ? { macKeyId: r.mac_key_id } : {}),
  };
}
