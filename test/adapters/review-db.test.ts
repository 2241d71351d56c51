/**
 * The review database on real engines: a SQLite file in a temporary directory and a throwaway
 * PostgreSQL server (test/support/postgres.ts). Both run the same suite; a missing PostgreSQL is a
 * failure with the fix in its message, not a skip.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openReviewStore } from '../../src/adapters/review-db.js';
import { ConfigError, InvalidInputError } from '../../src/domain/errors.js';
import type { CorrectionRecord, ReviewEvent, ReviewStore, ReviewTask, Role } from '../../src/review/types.js';
import type { CaseRegistry, ErasureRecord } from '../../src/domain/erasure.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

const run = promisify(execFile);
/** Fixed master key, so child processes open what this process sealed. */
const KEY = Buffer.alloc(32, 7);
const KEYS = { activeKeyId: 'test-k1', keys: new Map([['test-k1', KEY]]) };
const REVIEW_DB_MODULE = fileURLToPath(new URL('../../src/adapters/review-db.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kyc-review-db-'));
  tempDirs.push(dir);
  return dir;
}

function task(overrides: Partial<ReviewTask> = {}): ReviewTask {
  return {
    taskId: 'kyc-case-c1:1',
    workflowId: 'kyc-case-c1',
    caseId: 'c1',
    batchId: 'b1',
    round: 1,
    version: 1,
    queue: 'standard',
    status: 'open',
    priority: 'normal',
    createdAt: '2026-03-01T09:00:00.000Z',
    updatedAt: '2026-03-01T09:00:00.000Z',
    dueAt: '2026-03-02T09:00:00.000Z',
    followUpAt: '2026-03-02T03:00:00.000Z',
    reasons: ['MRZ_CHECK_FAILED'],
    fourEyes: false,
    approvals: [],
    ...overrides,
  };
}

function event(taskId: string, seq: number, overrides: Partial<ReviewEvent> = {}): ReviewEvent {
  return {
    eventId: `${taskId}:${seq}`,
    taskId,
    caseId: 'c1',
    at: '2026-03-01T09:00:00.000Z',
    actor: 'alice',
    actorKeyId: 'a1b2c3d4e5f6',
    action: 'note',
    detail: { note: `note ${seq}` },
    ...overrides,
  };
}

function correction(i: number, at: string): CorrectionRecord {
  return {
    correctionId: `corr-${String(i).padStart(5, '0')}`,
    caseId: 'c1',
    batchId: 'b1',
    documentId: 'd'.repeat(64),
    file: 'passport.pdf',
    documentType: 'passport',
    field: 'surname',
    corrected: `Surname ${i}`,
    reviewer: 'alice',
    reviewerKeyId: 'a1b2c3d4e5f6',
    at,
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Runs `code` in a separate Node process that opens the store at `url` as `store`. */
async function inChildProcess(url: string, code: string): Promise<string> {
  const script = `const { openReviewStore } = await import(${JSON.stringify(REVIEW_DB_MODULE)});
const keys = { activeKeyId: 'test-k1', keys: new Map([['test-k1', Buffer.from(process.argv[2], 'base64')]]) };
const store = await openReviewStore(process.argv[1], keys);
try { ${code} } finally { await store.close(); }`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, url, KEY.toString('base64')], { cwd: REPO_ROOT });
  return stdout;
}

interface Backend {
  name: string;
  before(): Promise<void>;
  after(): Promise<void>;
  /** The URL of a new, empty database. */
  newDatabase(): Promise<string>;
}

let postgres: TestPostgres | undefined;
const BACKENDS: Backend[] = [
  {
    name: 'SQLite',
    before: async () => undefined,
    after: async () => undefined,
    newDatabase: async () => `file:${join(tempDir(), 'review.db')}`,
  },
  {
    name: 'PostgreSQL',
    before: async () => {
      postgres = await startPostgres();
    },
    after: async () => {
      await postgres?.stop();
    },
    newDatabase: async () => {
      if (!postgres) throw new Error('PostgreSQL did not start (see the beforeAll error)');
      return postgres.createDatabase();
    },
  },
];

describe.each(BACKENDS)('review database on $name', (backend) => {
  const open: ReviewStore[] = [];
  let url: string;
  let store: ReviewStore;

  async function openStore(at: string): Promise<ReviewStore> {
    const s = await openReviewStore(at, KEYS);
    open.push(s);
    return s;
  }

  beforeAll(() => backend.before());
  afterAll(async () => {
    for (const s of open) await s.close();
    await backend.after();
  });

  async function freshStore(): Promise<ReviewStore> {
    url = await backend.newDatabase();
    store = await openStore(url);
    return store;
  }

  describe('tasks', () => {
    test('when a task is upserted, then getTask returns it as it was written', async () => {
      await freshStore();
      const full = task({
        status: 'completed',
        assignee: 'alice',
        assigneeKeyId: 'a1b2c3d4e5f6',
        escalatedAt: '2026-03-02T09:00:00.000Z',
        fourEyes: true,
        approvals: [{ by: 'alice', keyId: 'a1b2c3d4e5f6', senior: false, at: '2026-03-02T10:00:00.000Z', reason: 'ok' }],
        submittedBy: 'f6e5d4c3b2a1',
        final: { decision: 'approve', by: 'bob', keyId: '0a0b0c0d0e0f', at: '2026-03-02T11:00:00.000Z', reason: 'fine' },
      });
      await store.upsertTask(full);
      await store.upsertTask(task({ taskId: 'kyc-case-c2:1', caseId: 'c2' }));
      expect(await store.getTask(full.taskId)).toStrictEqual(full);
      expect(await store.getTask('kyc-case-c2:1')).toStrictEqual(task({ taskId: 'kyc-case-c2:1', caseId: 'c2' }));
      expect(await store.getTask('no-such-task')).toBeUndefined();
    });

    test('when an older or equal version arrives after a newer one, then the newer one stays', async () => {
      await freshStore();
      await store.upsertTask(task({ version: 3, status: 'claimed', assignee: 'alice' }));
      await store.upsertTask(task({ version: 2, status: 'open' }));
      await store.upsertTask(task({ version: 3, status: 'completed' }));
      expect(await store.getTask('kyc-case-c1:1')).toMatchObject({ version: 3, status: 'claimed', assignee: 'alice' });

      await store.upsertTask(task({ version: 4, status: 'open' }));
      const stored = await store.getTask('kyc-case-c1:1');
      expect(stored).toMatchObject({ version: 4, status: 'open' });
      expect(stored).not.toHaveProperty('assignee'); // a newer version replaces the whole row
    });

    test('when versions of one task are delivered concurrently in any order, then the highest wins', async () => {
      await freshStore();
      const versions = [7, 2, 19, 1, 12, 20, 5, 3, 15, 9, 11, 4, 18, 6, 14, 8, 17, 10, 13, 16];
      await Promise.all(versions.map((version) => store.upsertTask(task({ version, updatedAt: `2026-03-01T10:${String(version).padStart(2, '0')}:00.000Z` }))));
      expect(await store.getTask('kyc-case-c1:1')).toMatchObject({ version: 20, updatedAt: '2026-03-01T10:20:00.000Z' });
    });

    test('when a timestamp has an offset, then it is stored as UTC so text order is time order', async () => {
      await freshStore();
      await store.upsertTask(task({ dueAt: '2026-03-02T11:00:00+02:00' }));
      expect((await store.getTask('kyc-case-c1:1'))?.dueAt).toBe('2026-03-02T09:00:00.000Z');
      await expect(store.upsertTask(task({ dueAt: 'tomorrow' }))).rejects.toBeInstanceOf(InvalidInputError);
    });

    test('when a case has several rounds, then latestTaskForCase returns the newest', async () => {
      await freshStore();
      await store.upsertTask(task({ taskId: 'kyc-case-c1:2', round: 2, createdAt: '2026-03-05T09:00:00.000Z', status: 'open' }));
      await store.upsertTask(task({ taskId: 'kyc-case-c1:1', round: 1, status: 'completed' }));
      await store.upsertTask(task({ taskId: 'kyc-case-c9:1', caseId: 'c9', createdAt: '2026-04-01T09:00:00.000Z' }));
      expect((await store.latestTaskForCase('c1'))?.taskId).toBe('kyc-case-c1:2');
      expect(await store.latestTaskForCase('nope')).toBeUndefined();
    });

    test('when tasks are listed, then filters apply, order is dueAt then taskId, and total counts the filter', async () => {
      await freshStore();
      const day = (d: number) => `2026-03-${String(d).padStart(2, '0')}T09:00:00.000Z`;
      await store.upsertTask(task({ taskId: 't-e', caseId: 'c1', queue: 'standard', status: 'open', dueAt: day(5) }));
      await store.upsertTask(task({ taskId: 't-d', caseId: 'c2', queue: 'senior', status: 'open', dueAt: day(3) }));
      await store.upsertTask(task({ taskId: 't-c', caseId: 'c3', queue: 'standard', status: 'claimed', assignee: 'alice', dueAt: day(3) }));
      await store.upsertTask(task({ taskId: 't-b', caseId: 'c4', queue: 'standard', status: 'claimed', assignee: 'bob', dueAt: day(1) }));
      await store.upsertTask(task({ taskId: 't-a', caseId: 'c5', queue: 'senior', status: 'completed', dueAt: day(9) }));
      const ids = async (filter: Parameters<ReviewStore['listTasks']>[0]) => {
        const page = await store.listTasks(filter);
        return { ids: page.tasks.map((t) => t.taskId), total: page.total };
      };

      expect(await ids({})).toEqual({ ids: ['t-b', 't-c', 't-d', 't-e', 't-a'], total: 5 });
      expect(await ids({ queue: 'standard' })).toEqual({ ids: ['t-b', 't-c', 't-e'], total: 3 });
      expect(await ids({ status: 'open' })).toEqual({ ids: ['t-d', 't-e'], total: 2 });
      expect(await ids({ assignee: 'alice' })).toEqual({ ids: ['t-c'], total: 1 });
      expect(await ids({ caseId: 'c2' })).toEqual({ ids: ['t-d'], total: 1 });
      expect(await ids({ queue: 'standard', status: 'claimed', assignee: 'bob' })).toEqual({ ids: ['t-b'], total: 1 });
      expect(await ids({ queue: 'senior', status: 'claimed' })).toEqual({ ids: [], total: 0 });
      expect(await ids({ limit: 2, offset: 1 })).toEqual({ ids: ['t-c', 't-d'], total: 5 });
      expect(await ids({ limit: 2, offset: 4 })).toEqual({ ids: ['t-a'], total: 5 });
    });

    test('when tasks are listed for triage, then statuses, reason codes and priority order apply', async () => {
      await freshStore();
      const day = (d: number) => `2026-03-${String(d).padStart(2, '0')}T09:00:00.000Z`;
      await store.upsertTask(task({ taskId: 't-1', caseId: 'c1', status: 'open', priority: 'normal', dueAt: day(1), reasons: ['name_mismatch'] }));
      await store.upsertTask(task({ taskId: 't-2', caseId: 'c2', status: 'claimed', priority: 'high', dueAt: day(4), reasons: ['sanctions_match', 'name_mismatch'] }));
      await store.upsertTask(task({ taskId: 't-3', caseId: 'c3', status: 'completed', priority: 'high', dueAt: day(2), reasons: ['namexmismatch'] }));
      await store.upsertTask(task({ taskId: 't-4', caseId: 'c4', status: 'waiting_documents', priority: 'normal', dueAt: day(3), reasons: [] }));
      const ids = async (filter: Parameters<ReviewStore['listTasks']>[0]) => {
        const page = await store.listTasks(filter);
        return { ids: page.tasks.map((t) => t.taskId), total: page.total };
      };

      expect(await ids({ statuses: ['open', 'claimed', 'waiting_documents'] })).toEqual({ ids: ['t-1', 't-4', 't-2'], total: 3 });
      expect(await ids({ statuses: [] })).toEqual({ ids: [], total: 0 });
      expect(await ids({ order: 'priority' })).toEqual({ ids: ['t-3', 't-2', 't-1', 't-4'], total: 4 });
      // `_` in a code is not a LIKE wildcard: name_mismatch does not match namexmismatch.
      expect(await ids({ reason: 'name_mismatch' })).toEqual({ ids: ['t-1', 't-2'], total: 2 });
      expect(await ids({ reason: 'mismatch' })).toEqual({ ids: [], total: 0 });
      expect(await ids({ reason: 'name_mismatch', order: 'priority', statuses: ['open', 'claimed'] })).toEqual({ ids: ['t-2', 't-1'], total: 2 });
      await expect(store.listTasks({ reason: 'name%' })).rejects.toBeInstanceOf(InvalidInputError);
    });

    test('when no limit is given, then a page holds 50 tasks, and a limit above 200 is cut to 200', async () => {
      await freshStore();
      for (let i = 0; i < 205; i += 1) {
        await store.upsertTask(task({ taskId: `t-${String(i).padStart(3, '0')}`, caseId: `c${i}` }));
      }
      const first = await store.listTasks({});
      expect(first).toMatchObject({ total: 205, limit: 50, offset: 0 });
      expect(first.tasks.map((t) => t.taskId).slice(0, 2)).toEqual(['t-000', 't-001']); // same dueAt: taskId decides
      const big = await store.listTasks({ limit: 1000, offset: 3 });
      expect(big).toMatchObject({ limit: 200, offset: 3, total: 205 });
      expect(big.tasks).toHaveLength(200);
      expect(big.tasks[0]?.taskId).toBe('t-003');
      expect(await store.listTasks({ limit: 0, offset: -5 })).toMatchObject({ limit: 1, offset: 0 });
    });
  });

  describe('events and corrections', () => {
    test('when events are appended twice, then each is stored once, in order (…:9 before …:10)', async () => {
      await freshStore();
      const events = Array.from({ length: 12 }, (_, i) => event('kyc-case-c1:1', i + 1));
      events[0] = event('kyc-case-c1:1', 1, { action: 'opened', at: '2026-03-01T08:00:00.000Z', detail: undefined });
      delete events[0].detail;
      await store.appendEvents(events.slice(0, 10));
      await store.appendEvents(events); // a retried delivery overlapping the first
      await store.appendEvents([{ ...events[2]!, actor: 'mallory' }]); // same id: the first write stands
      await store.appendEvents([event('kyc-case-c2:1', 1, { caseId: 'c2' })]);
      await store.appendEvents([]);

      const listed = await store.listEvents('kyc-case-c1:1');
      expect(listed.map((e) => e.eventId.split(':').pop())).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
      expect(listed).toStrictEqual(events);
      expect(await store.listEvents('kyc-case-c2:1')).toHaveLength(1);
      expect(await store.listEvents('nope')).toEqual([]);
    });

    test('when corrections are added twice, then each is stored once and listing pages through all of them in (at, id) order', async () => {
      await freshStore();
      // 1,203 rows over a few timestamps: more than two internal pages, with ties on `at` across page edges.
      const ats = ['2026-03-03T09:00:00.000Z', '2026-03-01T09:00:00.000Z', '2026-03-02T09:00:00.000Z'];
      const all = Array.from({ length: 1203 }, (_, i) => correction(i, ats[i % 3]!));
      const withOptional: CorrectionRecord = {
        ...correction(5000, '2026-02-01T00:00:00.000Z'),
        textKey: 'text/abc.json',
        extracted: 'SMlTH',
        extractedSource: 'mrz',
        model: { file: 'gemma.gguf', sha256: 'f'.repeat(64), promptVersion: 'v3' },
      };
      await store.addCorrections(all.slice(0, 700));
      await store.addCorrections([...all, withOptional]);
      await store.addCorrections([{ ...all[0]!, corrected: 'changed' }]);

      const listed = await collect(store.listCorrections());
      const expected = [withOptional, ...[...all].sort((a, b) => a.at.localeCompare(b.at) || a.correctionId.localeCompare(b.correctionId))];
      expect(listed).toHaveLength(1204);
      expect(listed).toStrictEqual(expected);
    });
  });

  describe('case registry (retention and erasure)', () => {
    const D1 = '1'.repeat(64);
    const D2 = '2'.repeat(64);
    const registered = (workflowId: string, caseId: string, batchId: string, documentIds: string[], submittedAt = '2026-03-01T09:00:00.000Z') => ({
      workflowId,
      caseId,
      batchId,
      documentIds,
      submittedAt,
    });
    async function freshRegistry(): Promise<ReviewStore & CaseRegistry> {
      return (await freshStore()) as ReviewStore & CaseRegistry;
    }

    test('when two cases hold the same document, then each counts the other as a holder until it lets go', async () => {
      const reg = await freshRegistry();
      await reg.registerCase(registered('w-a', 'a', 'b1', [D1, D2, D1]));
      await reg.registerCase(registered('w-b', 'b', 'b1', [D1]));
      await reg.addCaseDocuments('w-b', [D2, D2]);
      expect((await reg.findCase('w-a'))?.documentIds).toEqual([D1, D2]);
      expect(await reg.countOtherHolders(D1, 'w-a')).toBe(1);
      expect(await reg.countOtherHolders(D2, 'w-b')).toBe(1);
      await reg.releaseDocument('w-b', D1);
      expect(await reg.countOtherHolders(D1, 'w-a')).toBe(0);
      expect((await reg.casesOfBatch('b1')).map((c) => [c.workflowId, c.documentIds])).toEqual([['w-a', [D1, D2]], ['w-b', [D2]]]);
      expect(await reg.findCase('nope')).toBeUndefined();
    });

    test('when cases close and retention runs, then open cases page by submission and expired cases come out by close time', async () => {
      const reg = await freshRegistry();
      for (let i = 1; i <= 5; i++) await reg.registerCase(registered(`w-${i}`, `c${i}`, 'b1', [], `2026-03-0${i}T09:00:00.000Z`));
      const first = await reg.listOpenCases('2026-03-05T00:00:00.000Z', 2);
      expect(first.map((c) => c.workflowId)).toEqual(['w-1', 'w-2']);
      const second = await reg.listOpenCases('2026-03-05T00:00:00.000Z', 2, { submittedAt: first[1]!.submittedAt, workflowId: first[1]!.workflowId });
      expect(second.map((c) => c.workflowId)).toEqual(['w-3', 'w-4']);

      await reg.markClosed('w-1', '2026-04-01T00:00:00.000Z');
      await reg.markClosed('w-2', '2026-04-02T00:00:00.000Z');
      await reg.markClosed('w-3', '2026-06-01T00:00:00.000Z');
      expect((await reg.listOpenCases('2026-12-01T00:00:00.000Z', 10)).map((c) => c.workflowId)).toEqual(['w-4', 'w-5']);
      expect((await reg.listExpiredCases('documents', '2026-05-01T00:00:00.000Z', 10)).map((c) => c.workflowId)).toEqual(['w-1', 'w-2']);
      await reg.markDocumentsErased('w-1', '2026-05-01T00:00:00.000Z');
      expect((await reg.listExpiredCases('documents', '2026-05-01T00:00:00.000Z', 10)).map((c) => c.workflowId)).toEqual(['w-2']);
      expect((await reg.listExpiredCases('reports', '2026-05-01T00:00:00.000Z', 10)).map((c) => c.workflowId)).toEqual(['w-1', 'w-2']);
      await reg.markErased('w-2', '2026-05-02T00:00:00.000Z');
      expect((await reg.listExpiredCases('reports', '2026-05-03T00:00:00.000Z', 10)).map((c) => c.workflowId)).toEqual(['w-1']);
      expect(await reg.findCase('w-2')).toMatchObject({ closedAt: '2026-04-02T00:00:00.000Z', documentsErasedAt: '2026-05-02T00:00:00.000Z', erasedAt: '2026-05-02T00:00:00.000Z' });

      // Submitted again after the erasure: live again, its close time to be read anew.
      await reg.registerCase(registered('w-2', 'c2', 'b1', [D1]));
      const again = await reg.findCase('w-2');
      expect(again).toMatchObject({ documentIds: [D1], submittedAt: '2026-03-02T09:00:00.000Z' });
      expect(again).not.toHaveProperty('erasedAt');
      expect(again).not.toHaveProperty('closedAt');
      expect((await reg.findCasesById('c2')).map((c) => c.workflowId)).toEqual(['w-2']);
    });

    test('when review data is scrubbed, then the case\'s corrections go, free text is blanked, open tasks close, and other cases are untouched', async () => {
      const reg = await freshRegistry();
      const approval = { by: 'alice', keyId: 'a1b2c3d4e5f6', senior: false, at: '2026-03-02T10:00:00.000Z', reason: 'spoke to Mrs Doe' };
      await store.upsertTask(task({ taskId: 'kyc-case-c1:1', status: 'completed', approvals: [approval], final: { decision: 'request_documents', by: 'alice', keyId: 'k', at: '2026-03-02T10:00:00.000Z', reason: 'Doe moved' } }));
      await store.upsertTask(task({ taskId: 'kyc-case-c1:2', round: 2, status: 'claimed', assignee: 'bob' }));
      await store.upsertTask(task({ taskId: 'kyc-case-other:1', workflowId: 'kyc-case-other', caseId: 'c1', batchId: 'b2' }));
      await store.appendEvents([event('kyc-case-c1:1', 1), event('kyc-case-c1:2', 1), event('kyc-case-other:1', 1)]);
      await store.addCorrections([correction(1, '2026-03-02T10:00:00.000Z'), { ...correction(2, '2026-03-02T10:00:00.000Z'), batchId: 'b2' }]);

      const target = { workflowId: 'kyc-case-c1', caseId: 'c1', batchId: 'b1' };
      expect(await reg.scrubReviewData(target)).toEqual({ corrections: 1, events: 2, tasks: 2 });
      expect(await store.getTask('kyc-case-c1:1')).toMatchObject({ status: 'completed', approvals: [{ ...approval, reason: '' }], final: { decision: 'request_documents', reason: '' } });
      expect(await store.getTask('kyc-case-c1:2')).toMatchObject({ status: 'completed', assignee: 'bob' });
      expect((await store.listEvents('kyc-case-c1:1'))[0]).not.toHaveProperty('detail');
      expect((await store.listEvents('kyc-case-other:1'))[0]).toHaveProperty('detail');
      expect((await collect(store.listCorrections())).map((c) => c.batchId)).toEqual(['b2']);
      expect(await store.getTask('kyc-case-other:1')).toMatchObject({ status: 'open' });
      expect(await reg.scrubReviewData(target)).toEqual({ corrections: 0, events: 0, tasks: 0 });
    });

    test('when an erasure is recorded, then its stub reads back as written', async () => {
      const reg = await freshRegistry();
      const stub: ErasureRecord = {
        erasureId: 'e-1',
        caseId: 'c1',
        batchId: 'b1',
        workflowId: 'kyc-case-b1-c1',
        scope: 'case',
        reason: 'request',
        at: '2026-03-03T09:00:00.000Z',
        by: 'dpo',
        byKeyId: 'a1b2c3d4e5f6',
        documentHashes: { erased: ['a'.repeat(64)], kept: [] },
        counts: { documents: 1, documentsShared: 0, texts: 1, corrections: 2, events: 3, tasks: 1, workflows: 1 },
      };
      await reg.recordErasure(stub);
      await reg.recordErasure(stub);
      const { byKeyId: _k, ...noKey } = { ...stub, erasureId: 'e-2', at: '2026-03-04T09:00:00.000Z', scope: 'documents' as const };
      await reg.recordErasure(noKey);
      expect(await reg.listErasures('c1')).toStrictEqual([stub, noKey]);
      expect(await reg.listErasures('c2')).toEqual([]);
    });
  });

  describe('API keys', () => {
    test('when a key is created, then its secret authenticates it and only a hash is stored', async () => {
      await freshStore();
      const { record, secret } = await store.createApiKey({ name: '  Alice Reviewer ', roles: ['senior_reviewer', 'reviewer', 'reviewer'] });
      expect(secret).toMatch(/^kyc_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      expect(secret.startsWith(`kyc_${record.keyId}_`)).toBe(true);
      expect(record).toStrictEqual({
        keyId: record.keyId,
        name: 'Alice Reviewer',
        org: 'default',
        person: 'Alice Reviewer',
        roles: ['reviewer', 'senior_reviewer'],
        createdAt: record.createdAt,
      });
      expect(await store.authenticate(secret)).toStrictEqual(record);
      expect(await store.listApiKeys()).toStrictEqual([record]);
      if (url.startsWith('file:')) {
        const dir = join(fileURLToPath(url), '..');
        // The random part may itself hold `_` (base64url): cut at the known prefix, not at the last `_`.
        const random = secret.slice(`kyc_${record.keyId}_`.length);
        for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file)).includes(random)).toBe(false);
      }
    });

    test('when the secret is wrong or malformed, then authenticate returns undefined', async () => {
      await freshStore();
      const { record, secret } = await store.createApiKey({ name: 'bob', roles: ['reviewer'] });
      const tail = secret.slice(`kyc_${record.keyId}_`.length);
      const flipped = `kyc_${record.keyId}_${tail[0] === 'A' ? 'B' : 'A'}${tail.slice(1)}`;
      const other = await store.createApiKey({ name: 'carol', roles: ['auditor'] });
      const candidates = [
        flipped,
        `kyc_${other.record.keyId}_${tail}`, // bob's secret under carol's id
        `${secret}x`,
        secret.slice(0, -12),
        secret.toUpperCase(),
        ` ${secret}`,
        `kyc_${record.keyId}`,
        `kyc__${tail}`,
        'kyc_000000000000_' + 'A'.repeat(43), // well-formed, unknown key
        `Bearer ${secret}`,
        '',
        'x'.repeat(10_000),
      ];
      for (const candidate of candidates) expect(await store.authenticate(candidate), candidate.slice(0, 40)).toBeUndefined();
      expect(await store.authenticate(undefined as unknown as string)).toBeUndefined();
      expect((await store.authenticate(other.secret))?.name).toBe('carol');
    });

    test('when a person of an organisation already holds an active key, then a second one needs samePerson', async () => {
      await freshStore();
      const first = await store.createApiKey({ person: 'Alice Martin', org: 'acme', roles: ['submitter'] });
      expect(first.record).toMatchObject({ org: 'acme', person: 'Alice Martin', name: 'Alice Martin' });
      await expect(store.createApiKey({ person: 'alice martin', org: 'acme', roles: ['reviewer'] })).rejects.toThrow(/already has an active key/);
      // Another organisation's Alice is another person; the same Alice's second key is said so.
      await expect(store.createApiKey({ person: 'Alice Martin', org: 'globex', roles: ['submitter'] })).resolves.toBeDefined();
      const second = await store.createApiKey({ person: 'Alice Martin', org: 'acme', roles: ['reviewer'], samePerson: true });
      expect((await store.authenticate(second.secret))?.person).toBe('Alice Martin');
      // Once her keys are revoked the name is free again.
      await store.revokeApiKey(first.record.keyId);
      await store.revokeApiKey(second.record.keyId);
      await expect(store.createApiKey({ person: 'Alice Martin', org: 'acme', roles: ['submitter'] })).resolves.toBeDefined();
      for (const org of ['Acme', '', '-x', 'a b', 'x'.repeat(64)]) {
        await expect(store.createApiKey({ person: 'Bob', org, roles: ['submitter'] }), org).rejects.toBeInstanceOf(InvalidInputError);
      }
    });

    test('when a key is revoked, then it no longer authenticates and the listing shows when', async () => {
      await freshStore();
      const alice = await store.createApiKey({ name: 'alice', roles: ['reviewer'] });
      const bob = await store.createApiKey({ name: 'bob', roles: ['admin'] });
      expect(await store.revokeApiKey(alice.record.keyId)).toBe(true);
      expect(await store.authenticate(alice.secret)).toBeUndefined();
      expect(await store.authenticate(bob.secret)).toBeDefined();
      const revoked = (await store.listApiKeys()).find((k) => k.keyId === alice.record.keyId);
      expect(revoked?.revokedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await store.revokeApiKey(alice.record.keyId)).toBe(false); // no longer active; first time kept
      expect((await store.listApiKeys()).find((k) => k.keyId === alice.record.keyId)?.revokedAt).toBe(revoked?.revokedAt);
      expect(await store.revokeApiKey('000000000000')).toBe(false);
    });

    test('when the name or roles are invalid, then createApiKey refuses', async () => {
      await freshStore();
      const bad: Array<{ name: string; roles: Role[] }> = [
        { name: '', roles: ['reviewer'] },
        { name: '   ', roles: ['reviewer'] },
        { name: 'x'.repeat(65), roles: ['reviewer'] },
        { name: 'ok', roles: [] },
        { name: 'ok', roles: ['superuser' as Role] },
        { name: 'ok', roles: 'admin' as unknown as Role[] },
      ];
      for (const input of bad) await expect(store.createApiKey(input), JSON.stringify(input)).rejects.toBeInstanceOf(InvalidInputError);
      await expect(store.createApiKey({ name: 'x'.repeat(64), roles: [...['submitter', 'reviewer', 'senior_reviewer', 'auditor', 'admin'] as Role[]] })).resolves.toBeDefined();
      expect(await store.listApiKeys()).toHaveLength(1);
    });
  });

  describe('sharing the database', () => {
    test('when a second store opens the same database, then migrating again is a no-op and both see each other’s writes', async () => {
      await freshStore();
      await store.upsertTask(task());
      const second = await openStore(url);
      await second.migrate();
      await store.migrate();
      expect(await second.getTask('kyc-case-c1:1')).toStrictEqual(task());
      await second.upsertTask(task({ version: 2, status: 'claimed', assignee: 'bob' }));
      const { secret } = await second.createApiKey({ name: 'worker', roles: ['admin'] });
      expect(await store.getTask('kyc-case-c1:1')).toMatchObject({ version: 2, assignee: 'bob' });
      expect((await store.authenticate(secret))?.name).toBe('worker');
    });

    test('when two processes open a new database at once and write concurrently, then nothing is lost', async () => {
      const fresh = await backend.newDatabase();
      const writer = (name: string) => `
for (let i = 1; i <= 60; i += 1) {
  await store.appendEvents([{ eventId: '${name}:' + i, taskId: '${name}', caseId: 'c1', at: new Date().toISOString(), actor: '${name}', actorKeyId: 'k', action: 'note' }]);
  await store.upsertTask({ taskId: 'shared:1', workflowId: 'w', caseId: 'c1', batchId: 'b', round: 1, version: i, queue: 'standard', status: 'open', priority: 'normal',
    createdAt: '2026-03-01T09:00:00.000Z', updatedAt: new Date().toISOString(), dueAt: '2026-03-02T09:00:00.000Z', followUpAt: '2026-03-02T03:00:00.000Z',
    reasons: [], fourEyes: false, approvals: [], submittedBy: '${name}' });
}
console.log('done');`;
      const outputs = await Promise.all([inChildProcess(fresh, writer('p1')), inChildProcess(fresh, writer('p2'))]);
      expect(outputs.map((o) => o.trim())).toEqual(['done', 'done']);
      const reader = await openStore(fresh);
      expect(await reader.listEvents('p1')).toHaveLength(60);
      expect(await reader.listEvents('p2')).toHaveLength(60);
      expect((await reader.getTask('shared:1'))?.version).toBe(60);
    });
  });
});

describe('review database URLs', () => {
  test('when the SQLite URL is a bare absolute .db path or file:///, then it opens in WAL mode with the directory created', async () => {
    const dir = tempDir();
    const bare = await openReviewStore(join(dir, 'nested', 'a.db'), KEYS);
    await bare.upsertTask(task());
    await bare.close();
    const tripleSlash = await openReviewStore(`file://${join(dir, 'nested', 'a.db')}`, KEYS);
    expect(await tripleSlash.getTask('kyc-case-c1:1')).toBeDefined();
    await tripleSlash.close();

    const raw = createClient({ url: `file:${join(dir, 'nested', 'a.db')}` });
    try {
      expect((await raw.execute('PRAGMA journal_mode')).rows[0]?.[0]).toBe('wal');
    } finally {
      raw.close();
    }
  });

  test.each([
    ['', /empty/],
    ['review.db', /must be absolute/],
    ['file:review.db', /absolute path/],
    ['file://server/share/review.db', /absolute path/],
    ['file:/tmp/review.db?mode=ro', /absolute path/],
    ['file:/tmp/%zz.db', /malformed/],
    ['mysql://root:hunter2@db/kyc', /not supported/],
    ['/tmp/review.sqlite', /not supported/],
    ['postgres://', /no host/],
  ])('when the URL is %j, then opening fails with a configuration error', async (url, message) => {
    const err = await openReviewStore(url).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('hunter2');
  });

  test('when PostgreSQL is unreachable, then opening fails naming the host but not the password', async () => {
    const err = await openReviewStore('postgres://kyc:hunter2@127.0.0.1:1/kyc').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/review database postgres:\/\/kyc:\*\*\*@127\.0\.0\.1:1\/kyc/);
    expect(err?.message).not.toContain('hunter2');
  });
});
