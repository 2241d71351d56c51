/**
 * Personal data in the review database is sealed under the master keys (src/adapters/review-db-sealing.ts),
 * on SQLite and PostgreSQL: what reviewers typed and what the engine read is unreadable in the
 * tables, ids and codes stay searchable, rows written in clear before are sealed by the migration,
 * and a store without keys neither writes nor reads personal data. The SQLite files are owner-only.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, openReviewStore, type ReviewDatabase } from '../../src/adapters/review-db.js';
import { SEALING_MIGRATION } from '../../src/adapters/review-db-sealing.js';
import type { CorrectionRecord, ReviewEvent, ReviewTask } from '../../src/review/types.js';
import { testKeyring } from '../support/master-keys.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

const NOTE = 'Spoke to Mr Fennimore Halloway on the phone';
const REASON = 'Marriage certificate of Halloway seen';
const IBAN = 'GB82WEST12345698765432';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kyc-review-sealing-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function task(): ReviewTask {
  return {
    taskId: 'kyc-case-b1-c1:1',
    workflowId: 'kyc-case-b1-c1',
    caseId: 'c1',
    batchId: 'b1',
    round: 1,
    version: 3,
    queue: 'standard',
    status: 'completed',
    priority: 'normal',
    assignee: 'alice',
    assigneeKeyId: 'a1b2c3d4e5f6',
    createdAt: '2026-03-01T09:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    dueAt: '2026-03-02T09:00:00.000Z',
    followUpAt: '2026-03-02T03:00:00.000Z',
    reasons: ['name_mismatch'],
    fourEyes: true,
    approvals: [{ by: 'alice', keyId: 'a1b2c3d4e5f6', senior: false, at: '2026-03-01T09:30:00.000Z', reason: REASON }],
    final: { decision: 'approve', by: 'bob', keyId: 'f6e5d4c3b2a1', at: '2026-03-01T10:00:00.000Z', reason: REASON },
  };
}

function note(): ReviewEvent {
  return { eventId: 'kyc-case-b1-c1:1:1', taskId: 'kyc-case-b1-c1:1', caseId: 'c1', at: '2026-03-01T09:10:00.000Z', actor: 'alice', actorKeyId: 'a1b2c3d4e5f6', action: 'note', detail: { text: NOTE } };
}

function correction(): CorrectionRecord {
  return {
    correctionId: 'kyc-case-b1-c1:1:doc:iban:3',
    caseId: 'c1',
    batchId: 'b1',
    documentId: 'd'.repeat(64),
    file: 'Halloway bank statement.pdf',
    documentType: 'bank_statement',
    field: 'iban',
    extracted: IBAN.replace('82', '83'),
    extractedSource: 'text',
    corrected: IBAN,
    reviewer: 'alice',
    reviewerKeyId: 'a1b2c3d4e5f6',
    at: '2026-03-01T10:00:00.000Z',
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Every text cell of the three tables, as stored. */
async function storedText(db: Kysely<ReviewDatabase>): Promise<string> {
  const rows = [
    ...(await db.selectFrom('review_tasks').selectAll().execute()),
    ...(await db.selectFrom('review_events').selectAll().execute()),
    ...(await db.selectFrom('corrections').selectAll().execute()),
  ];
  return JSON.stringify(rows);
}

let postgres: TestPostgres | undefined;
const BACKENDS = [
  { name: 'SQLite', newDatabase: async () => `file:${join(tempDir(), 'review.db')}` },
  {
    name: 'PostgreSQL',
    newDatabase: async () => {
      postgres ??= await startPostgres();
      return postgres.createDatabase();
    },
  },
];
afterAll(async () => {
  await postgres?.stop();
});

describe.each(BACKENDS)('personal data in the review database on $name', (backend) => {
  const keys = testKeyring();
  let url: string;

  beforeAll(async () => {
    url = await backend.newDatabase();
  });

  test('when tasks, notes and corrections are written, then the tables hold them sealed and the store reads them back', async () => {
    const store = await openReviewStore(url, keys);
    try {
      await store.upsertTask(task());
      await store.appendEvents([note()]);
      await store.addCorrections([correction()]);
      expect(await store.getTask(task().taskId)).toEqual(task());
      expect(await store.listEvents(task().taskId)).toEqual([note()]);
      expect(await collect(store.listCorrections())).toEqual([correction()]);
      // Filters on ids, statuses and assignees still work.
      expect((await store.listTasks({ status: 'completed', assignee: 'alice', caseId: 'c1' })).total).toBe(1);
    } finally {
      await store.close();
    }
    const db = await createDatabase(url);
    try {
      const stored = await storedText(db);
      for (const secret of ['Halloway', 'Fennimore', IBAN, IBAN.replace('82', '83'), 'Marriage certificate']) expect(stored).not.toContain(secret);
      const row = await db.selectFrom('corrections').selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({ case_id: 'c1', field: 'iban', document_type: 'bank_statement', extracted_source: 'text', reviewer: 'alice' });
      expect(row.corrected).toMatch(/^kyc-enc1:test-k1:/);
      expect((await db.selectFrom('review_tasks').select('reasons').executeTakeFirstOrThrow()).reasons).toBe('["name_mismatch"]');
    } finally {
      await db.destroy();
    }
  });

  test('when a sealed value is copied onto another row, or a value in clear planted, then it does not open', async () => {
    const store = await openReviewStore(url, keys);
    const other = { ...note(), eventId: 'kyc-case-b1-c1:1:2', detail: { text: 'nothing to see' } };
    await store.appendEvents([other]);
    const db = await createDatabase(url);
    try {
      const sealed = await db.selectFrom('review_events').select('detail').where('event_id', '=', note().eventId).executeTakeFirstOrThrow();
      await db.updateTable('review_events').set({ detail: sealed.detail }).where('event_id', '=', other.eventId).execute();
      await expect(store.listEvents(task().taskId)).rejects.toThrow(/failed authentication/);
      // A value in clear where a sealed one belongs is planted, not legacy: the migration sealed those.
      await db.updateTable('review_events').set({ detail: JSON.stringify({ text: 'planted' }) }).where('event_id', '=', other.eventId).execute();
      await expect(store.listEvents(task().taskId)).rejects.toThrow(/is not sealed/);
      await db.deleteFrom('review_events').where('event_id', '=', other.eventId).execute();
    } finally {
      await db.destroy();
      await store.close();
    }
  });

  test('when the store is opened without master keys, then it writes and reads no personal data but API keys still work', async () => {
    const store = await openReviewStore(url);
    try {
      await expect(store.appendEvents([{ ...note(), eventId: 'kyc-case-b1-c1:1:3' }])).rejects.toThrow(/without the master keys/);
      await expect(store.getTask(task().taskId)).rejects.toThrow(/without the master keys/);
      const { secret } = await store.createApiKey({ name: 'carol', roles: ['reviewer'] });
      expect(await store.authenticate(secret)).toBeDefined();
    } finally {
      await store.close();
    }
  });

  test('when rows were written in clear before the migration, then opening with the keys seals them, and opening without refuses', async () => {
    const db = await createDatabase(url);
    try {
      // The database as a version before encryption left it: values in clear, the migration not run.
      await db.updateTable('review_events').set({ detail: JSON.stringify({ text: NOTE }) }).where('event_id', '=', note().eventId).execute();
      await db.updateTable('corrections').set({ file: 'Halloway bank statement.pdf', corrected: IBAN }).execute();
      await db.updateTable('review_tasks').set({ approvals: JSON.stringify(task().approvals), final: JSON.stringify(task().final) }).execute();
      await db.deleteFrom('kyc_migrations' as never).where('name' as never, '=', SEALING_MIGRATION as never).execute();
      expect(await storedText(db)).toContain('Halloway');
    } finally {
      await db.destroy();
    }

    await expect(openReviewStore(url)).rejects.toThrow(/personal data in clear: open the review database with the master keys/);

    const store = await openReviewStore(url, keys);
    try {
      expect(await store.getTask(task().taskId)).toEqual(task());
      expect(await store.listEvents(task().taskId)).toEqual([note()]);
      expect(await collect(store.listCorrections())).toEqual([correction()]);
    } finally {
      await store.close();
    }
    const after = await createDatabase(url);
    try {
      expect(await storedText(after)).not.toContain('Halloway');
    } finally {
      await after.destroy();
    }
    if (url.startsWith('file:')) {
      // No clear copy left in free pages or the write-ahead log either.
      const path = url.slice('file:'.length);
      for (const file of [path, `${path}-wal`]) {
        if (existsSync(file)) expect(readFileSync(file).includes(Buffer.from('Halloway')), file).toBe(false);
      }
    }
  });
});

describe('review database files', () => {
  test('when SQLite creates the database under a permissive umask, then the file, its -wal and -shm are 0600 and its directory 0700', async () => {
    const dir = join(tempDir(), 'nested');
    const previous = process.umask(0o022);
    try {
      const store = await openReviewStore(join(dir, 'review.db'), testKeyring());
      await store.upsertTask(task());
      for (const file of ['review.db', 'review.db-wal', 'review.db-shm']) expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      await store.close();
    } finally {
      process.umask(previous);
    }
  });

  test('when an older version left the database readable by others, then opening it tightens it to 0600', async () => {
    const dir = tempDir();
    const path = join(dir, 'review.db');
    writeFileSync(path, '', { mode: 0o644 });
    const store = await openReviewStore(path, testKeyring());
    await store.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
