/**
 * Human review on the real pipeline: a real Temporal server, real workers, the real SQLite review
 * database, real keys. Every reviewer action goes through ReviewService → a Temporal Update whose
 * validator enforces the rules; what the workflow decides is read back from the report, the inbox
 * projection and the webhook receiver.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ReviewActionError } from '../../src/app/review-service.js';
import { TemporalKycService } from '../../src/app/temporal-kyc-service.js';
import { DEFAULT_POLICY } from '../../src/domain/decision.js';
import type { CaseReport } from '../../src/domain/report.js';
import type { ReviewTask } from '../../src/review/types.js';
import { verifyWebhook } from '../../src/review/webhook.js';
import { caseWorkflowId } from '../../src/temporal/names.js';
import { textPdf } from '../support/draw.js';
import { recordHistory } from '../support/histories.js';
import { createKey, type TestKey } from '../support/keys.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { waitFor } from '../support/wait.js';

const AS_OF = '2026-11-01';
const SECRET = 'test-webhook-secret-0123456789';
let pipeline: Pipeline;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
let submitter: TestKey;
let alice: TestKey;
let bob: TestKey;
let carol: TestKey;
let dave: TestKey;
let submittingReviewer: TestKey;

beforeAll(async () => {
  hooks = await startWebhookReceiver({ failFirst: 1 });
  pipeline = await startPipeline({ MODEL_MODE: 'off', WEBHOOK_URL: hooks.url, WEBHOOK_SECRET: SECRET });
  const store = pipeline.reviewStore;
  submitter = await createKey(store, 'backoffice', ['submitter']);
  alice = await createKey(store, 'alice', ['reviewer']);
  bob = await createKey(store, 'bob', ['reviewer']);
  carol = await createKey(store, 'carol', ['senior_reviewer']);
  dave = await createKey(store, 'dave', ['senior_reviewer']);
  submittingReviewer = await createKey(store, 'sam', ['submitter', 'reviewer']);
});
afterAll(async () => {
  await pipeline?.close();
  await hooks?.close();
});

/** A water bill in Jane Doe's name: with no identity document the case goes to review. */
function bill(billDate = '12/10/2026'): Promise<Uint8Array> {
  return textPdf([['City Water plc', 'Water bill', `Bill date: ${billDate}`, 'Account holder: Jane Doe', '4 Mill Road', 'Leeds LS1 4AP']]);
}

async function submitForReview(
  caseId: string,
  options: { by?: TestKey; fullName?: string; sanctions?: string; service?: TemporalKycService } = {},
): Promise<{ batchId: string; task: ReviewTask }> {
  const service = options.service ?? pipeline.service;
  const { batchId } = await service.submitBatch({
    asOf: AS_OF,
    submittedBy: (options.by ?? submitter).actor.keyId,
    ...(options.sanctions ? { sanctionsCsv: new TextEncoder().encode(options.sanctions) } : {}),
    cases: [
      {
        caseId,
        applicant: { fullName: options.fullName ?? 'Jane Doe', address: '4 Mill Rd, Leeds LS1 4AP' },
        documents: [{ fileName: 'water.pdf', bytes: await bill() }],
      },
    ],
  });
  await service.waitForBatch(batchId);
  const task = await waitFor(() => pipeline.reviewStore.latestTaskForCase(caseId), 20_000, `the task of ${caseId}`);
  return { batchId, task };
}

async function refused(action: Promise<unknown>): Promise<ReviewActionError> {
  const err = await action.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ReviewActionError);
  return err as ReviewActionError;
}

describe('a case sent to review waits in its workflow for people', () => {
  let batchId: string;

  test('the engine decides review: the batch completes, the case waits with an open task in the inbox', async () => {
    const submitted = await submitForReview('jane-1');
    batchId = submitted.batchId;
    expect(submitted.task).toMatchObject({ caseId: 'jane-1', batchId, queue: 'standard', status: 'open', priority: 'normal', round: 1, fourEyes: false });
    expect(submitted.task.reasons).toContain('missing_identity');
    expect(Date.parse(submitted.task.dueAt) - Date.parse(submitted.task.createdAt)).toBe(24 * 3600_000);

    const batch = await pipeline.service.getBatch(batchId);
    expect(batch).toMatchObject({ status: 'completed', completed: 1 });
    expect(batch!.cases[0]).toMatchObject({ caseId: 'jane-1', status: 'awaiting_review', decision: 'review' });
    const report = (await pipeline.service.getCase('jane-1')) as CaseReport;
    expect(report).toMatchObject({ status: 'awaiting_review', decision: 'review', automaticDecision: 'review' });
    expect(report.review?.status).toBe('open');

    const inbox = await pipeline.review.listTasks({ status: 'open', queue: 'standard' });
    expect(inbox.tasks.map((t) => t.caseId)).toContain('jane-1');
  });

  test('only reviewers of the queue claim, one at a time; only the assignee decides or releases', async () => {
    const claimed = await pipeline.review.act('jane-1', alice.actor, { kind: 'claim' });
    expect(claimed).toMatchObject({ status: 'claimed', assignee: 'alice' });
    expect((await refused(pipeline.review.act('jane-1', bob.actor, { kind: 'claim' }))).status).toBe(409);
    const notMine = await refused(pipeline.review.act('jane-1', bob.actor, { kind: 'decide', decision: { decision: 'approve', reason: 'looks fine' } }));
    expect(notMine.status).toBe(403);
    expect((await refused(pipeline.review.act('jane-1', bob.actor, { kind: 'release' }))).status).toBe(403);
    expect((await refused(pipeline.review.act('jane-1', submitter.actor, { kind: 'claim' }))).status).toBe(403);

    expect(await pipeline.review.act('jane-1', alice.actor, { kind: 'release' })).toMatchObject({ status: 'open' });
    expect(await pipeline.review.act('jane-1', bob.actor, { kind: 'claim' })).toMatchObject({ assignee: 'bob' });
    expect(await pipeline.review.act('jane-1', carol.actor, { kind: 'reassign', assignee: 'alice' })).toMatchObject({ assignee: 'alice' });
    const noted = await pipeline.review.act('jane-1', alice.actor, { kind: 'note', text: 'called the applicant' });
    expect(noted.assignee).toBe('alice');
    // The inbox projection follows the workflow.
    expect((await pipeline.review.listTasks({ assignee: 'alice' })).tasks.map((t) => t.caseId)).toContain('jane-1');
  });

  test('a decision needs a reason; an approval with a corrected field completes the case and reaches the webhook, signed', async () => {
    const report = (await pipeline.service.getCase('jane-1')) as CaseReport;
    const doc = report.documents[0]!;
    const invalid = await refused(pipeline.review.act('jane-1', alice.actor, { kind: 'decide', decision: { decision: 'approve', reason: '  ' } }));
    expect(invalid.status).toBe(422);

    const decided = await pipeline.review.act('jane-1', alice.actor, {
      kind: 'decide',
      decision: { decision: 'approve', reason: 'identity verified in branch', corrections: [{ documentId: doc.documentId, field: 'fullName', value: 'Jane A. Doe' }] },
    });
    expect(decided).toMatchObject({ status: 'completed', final: { decision: 'approve', by: 'alice' } });

    const final = await waitFor(async () => {
      const r = (await pipeline.service.getCase('jane-1')) as CaseReport;
      return r.status === 'completed' ? r : undefined;
    });
    expect(final).toMatchObject({ decision: 'approved', automaticDecision: 'review', decidedBy: 'alice' });
    expect(final.documents[0]!.fields.fullName).toBe('Jane A. Doe');
    expect(final.documents[0]!.evidence.fullName).toMatchObject({ source: 'reviewer', correctedBy: 'alice' });

    // Every action, with who and when, in the review database.
    const { events } = (await pipeline.review.getTask('jane-1'))!;
    expect(events.map((e) => e.action)).toEqual(['opened', 'claimed', 'released', 'claimed', 'reassigned', 'note', 'corrected', 'approved']);
    expect(events.map((e) => e.actor)).toEqual(['system', 'alice', 'alice', 'bob', 'carol', 'alice', 'alice', 'alice']);

    // The correction is kept as a labelled example with the text it came from.
    const corrections = [];
    for await (const c of pipeline.reviewStore.listCorrections()) if (c.caseId === 'jane-1') corrections.push(c);
    expect(corrections).toHaveLength(1);
    expect(corrections[0]).toMatchObject({ field: 'fullName', extracted: 'Jane Doe', corrected: 'Jane A. Doe', reviewer: 'alice', documentType: 'utility_bill' });
    expect(corrections[0]!.textKey).toBeTruthy();

    // The first delivery got a 503 and was retried by Temporal.
    const hook = await waitFor(() => hooks.received.find((h) => JSON.parse(h.body).caseId === 'jane-1'));
    expect(hooks.attempts()).toBeGreaterThanOrEqual(2);
    expect(verifyWebhook(hook.body, hook.headers['kyc-signature'] as string, SECRET)).toBe(true);
    expect(verifyWebhook(hook.body.replace('approved', 'rejected'), hook.headers['kyc-signature'] as string, SECRET)).toBe(false);
    expect(JSON.parse(hook.body)).toMatchObject({ event: 'case.decided', caseId: 'jane-1', decision: 'approved', decidedBy: 'alice' });
    expect(hook.body).not.toContain('Jane');

    // A decided task takes no more actions.
    expect((await refused(pipeline.review.act('jane-1', bob.actor, { kind: 'claim' }))).status).toBe(409);
    // Replayed by test/replay: a whole review (updates, a correction, a retried webhook).
    await pipeline.env.client.workflow.getHandle(caseWorkflowId(batchId, 'jane-1')).result();
    await recordHistory('kyc-case-reviewed', caseWorkflowId(batchId, 'jane-1'), pipeline.env.address);
  });

  test('separation of duties: whoever submitted the batch cannot review its cases', async () => {
    await submitForReview('jane-sod', { by: submittingReviewer });
    const err = await refused(pipeline.review.act('jane-sod', submittingReviewer.actor, { kind: 'claim' }));
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/separation of duties/);
    expect(await pipeline.review.act('jane-sod', bob.actor, { kind: 'claim' })).toMatchObject({ assignee: 'bob' });
    await pipeline.review.act('jane-sod', bob.actor, { kind: 'decide', decision: { decision: 'reject', reason: 'applicant withdrew' } });
    const final = await waitFor(async () => {
      const r = (await pipeline.service.getCase('jane-sod')) as CaseReport;
      return r.status === 'completed' ? r : undefined;
    });
    expect(final).toMatchObject({ decision: 'rejected', decidedBy: 'bob' });
  });
});

describe('four-eyes on a potential sanctions match', () => {
  const SANCTIONS = 'id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,dataset,first_seen,last_seen,last_change\nNK-1,Person,Jane Doe,,,,,,UN list,,,test,2020-01-01,2026-01-01,2026-01-01\n';

  test('two different reviewers, one of them senior, must approve', async () => {
    const { task } = await submitForReview('jane-pep', { sanctions: SANCTIONS });
    expect(task).toMatchObject({ queue: 'senior', priority: 'high', fourEyes: true });
    expect(task.reasons).toContain('sanctions_match');

    // The senior queue is not a standard reviewer's.
    expect((await refused(pipeline.review.act('jane-pep', alice.actor, { kind: 'claim' }))).status).toBe(403);
    await pipeline.review.act('jane-pep', carol.actor, { kind: 'claim' });
    const first = await pipeline.review.act('jane-pep', carol.actor, { kind: 'decide', decision: { decision: 'approve', reason: 'different birth date' } });
    expect(first).toMatchObject({ status: 'open', queue: 'standard', approvals: [{ by: 'carol', senior: true }] });
    expect(first.final).toBeUndefined();

    // The same person cannot give the second approval.
    const same = await refused(pipeline.review.act('jane-pep', carol.actor, { kind: 'claim' }));
    expect(same.message).toMatch(/four-eyes/);
    await pipeline.review.act('jane-pep', alice.actor, { kind: 'claim' });
    const second = await pipeline.review.act('jane-pep', alice.actor, { kind: 'decide', decision: { decision: 'approve', reason: 'agree: not the listed person' } });
    expect(second).toMatchObject({ status: 'completed', final: { decision: 'approve', by: 'alice' } });
    expect(second.approvals.map((a) => a.by)).toEqual(['carol', 'alice']);
  });
});

describe('request_documents', () => {
  test('the case waits for new documents, then the pipeline runs again on the whole case', async () => {
    await submitForReview('jane-docs', { fullName: 'Jane Doe' });
    await pipeline.review.act('jane-docs', alice.actor, { kind: 'claim' });
    const waiting = await pipeline.review.act('jane-docs', alice.actor, { kind: 'decide', decision: { decision: 'request_documents', reason: 'need an identity document' } });
    expect(waiting).toMatchObject({ status: 'waiting_documents' });
    expect((await refused(pipeline.review.act('jane-docs', bob.actor, { kind: 'claim' }))).status).toBe(409);

    // A second bill (still no identity document): the re-run decides review again, in a new round.
    const received = await pipeline.review.addDocuments('jane-docs', submitter.actor, [{ fileName: 'water-2.pdf', bytes: await bill('20/10/2026') }]);
    expect(received.status).toBe('waiting_documents');
    const round2 = await waitFor(async () => {
      const t = await pipeline.reviewStore.latestTaskForCase('jane-docs');
      return t && t.round === 2 ? t : undefined;
    });
    expect(round2).toMatchObject({ status: 'open', round: 2 });
    const report = (await pipeline.service.getCase('jane-docs')) as CaseReport;
    expect(report.documents.map((d) => d.file).sort()).toEqual(['water-2.pdf', 'water.pdf']);
    expect(report.review?.round).toBe(2);
  });
});

describe('deadlines', () => {
  test('a task left alone past its deadline gets a reminder, then escalates to the senior queue', async () => {
    const policy = {
      ...DEFAULT_POLICY,
      review: { ...DEFAULT_POLICY.review, queues: { standard: { deadline: '4s', reminder: '2s' }, senior: { deadline: '1h', reminder: '50m' } } },
    };
    const hurried = new TemporalKycService({ client: pipeline.env.client, store: pipeline.store, maxConcurrentCases: 2, policy });
    const { task } = await submitForReview('jane-late', { service: hurried });
    expect(task.queue).toBe('standard');
    await pipeline.review.act('jane-late', alice.actor, { kind: 'claim' });

    const escalated = await waitFor(async () => {
      const t = await pipeline.reviewStore.latestTaskForCase('jane-late');
      return t?.queue === 'senior' ? t : undefined;
    }, 30_000, 'escalation');
    // alice is not senior: her claim is released so that a senior reviewer can take it.
    expect(escalated).toMatchObject({ queue: 'senior', priority: 'high', status: 'open' });
    expect(escalated.escalatedAt).toBeTruthy();
    expect(escalated.assignee).toBeUndefined();
    const { events } = (await pipeline.review.getTask('jane-late'))!;
    expect(events.map((e) => e.action)).toEqual(['opened', 'claimed', 'reminder', 'escalated']);
    expect(await pipeline.review.act('jane-late', carol.actor, { kind: 'claim' })).toMatchObject({ assignee: 'carol' });
  });
});
