/**
 * Personal data in the review database, encrypted at rest: the columns below hold what reviewers
 * typed and what the engine read about the applicant (notes, reasons, corrected and extracted
 * values, original file names). They are sealed value by value with the master keys, as the
 * document store seals files (src/security/sealed-values.ts). Everything the database searches,
 * filters or sorts on (ids, statuses, queues, reason codes, field names, times) stays in clear.
 */
import { SqliteAdapter, sql, type Kysely, type Migration } from 'kysely';
import type { MasterKeys } from '../security/envelope.js';
import { ColumnSealer } from '../security/sealed-values.js';

export const SEALED_COLUMNS = {
  /** Approvals and the final decision carry the reviewer's free-text reason. */
  review_tasks: { rowKey: 'task_id', columns: ['approvals', 'final'] },
  /** Notes, reasons, request texts. */
  review_events: { rowKey: 'event_id', columns: ['detail'] },
  /** The value read, the value corrected, and the file name the submitter gave. */
  corrections: { rowKey: 'correction_id', columns: ['file', 'extracted', 'corrected'] },
} as const;

export type ReviewSealer = ColumnSealer<typeof SEALED_COLUMNS>;

export function createReviewSealer(keys: MasterKeys | undefined): ReviewSealer {
  return new ColumnSealer(SEALED_COLUMNS, keys);
}

export const SEALING_MIGRATION = '0004-encrypt-personal-data';

/** Rows read and rewritten per query while sealing existing rows. */
const PAGE = 500;

/**
 * Seals the values written in clear before this migration. Without master keys it fails, unless
 * there is nothing to seal (a new database). Idempotent: sealed values are left alone.
 */
export function sealingMigration(sealer: ReviewSealer): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      if (db.getExecutor().adapter instanceof SqliteAdapter) {
        // Space freed by the rewritten rows is zeroed, so no clear copy stays in free pages.
        await sql`PRAGMA secure_delete = ON`.execute(db);
      }
      for (const [table, { rowKey, columns }] of Object.entries(SEALED_COLUMNS)) {
        let after: string | undefined;
        for (;;) {
          const rows: Array<Record<string, unknown>> = await db
            .selectFrom(table)
            .select([rowKey, ...columns])
            .$if(after !== undefined, (qb) => qb.where(rowKey, '>', after))
            .orderBy(rowKey)
            .limit(PAGE)
            .execute();
          for (const row of rows) {
            if (!sealer.needsSealing(table as keyof typeof SEALED_COLUMNS, row)) continue;
            if (!sealer.hasKeys) {
              throw new Error(`${table} holds personal data in clear: open the review database with the master keys once to encrypt it`);
            }
            const sealed = sealer.seal(table as keyof typeof SEALED_COLUMNS, row);
            await db
              .updateTable(table)
              .set(Object.fromEntries(columns.map((c) => [c, sealed[c]])))
              .where(rowKey, '=', row[rowKey])
              .execute();
          }
          if (rows.length < PAGE) break;
          after = rows.at(-1)![rowKey] as string;
        }
      }
    },
  };
}

/**
 * After sealing existing rows in SQLite: fold the write-ahead log (which holds the old page images)
 * into the file, rebuild the file, and truncate the log. Best effort: the clear copies left behind
 * by a failure here are in free pages (zeroed under secure_delete) or in a log the next checkpoint
 * overwrites.
 */
export async function compactAfterSealing(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return; // PostgreSQL: autovacuum reclaims the old tuples
  try {
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    await sql`VACUUM`.execute(db);
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
  } catch {
    // Another process holds the database: its next checkpoint folds the log in.
  }
}
