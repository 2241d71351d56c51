/**
 * Reviewers' Updates sent at the same time, on the real pipeline (real Temporal dev server, real
 * workers, real review database, real keys). A decision with corrections waits on an activity (the
 * checks re-run on the corrected values); before the workflow lock (patch `review-mutex`) a second
 * Update could act on the task as the first one found it, and the same reviewer's two approvals
 * completed a four-eyes task alone.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ReviewActionError } from '../../src/app/review-service.js';
import type { CaseReport } from '../../src/domain/report.js';
import type { ReviewTask } from '../../src/review/types.js';
import { caseWorkflowId } from '../../src/temporal/names.js';
import { textPdf } from '../support/draw.js';
import { recordHistory } from '../support/histories.js';
import { createKey, type TestKey } from '../support/keys.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';

const AS_OF = '2026-11-01';
const HEADER = 'id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,dataset,first_seen,last_seen,last_change';
let pipeline: Pipeline;
let submitter: TestKey;
let alice: TestKey;
let carol: TestKey;

beforeAll(async () => {
  pipeline = await startPipeline({ MODEL_MODE: 'off' });
  const store = pipeline.reviewStore;
  submitter = await createKey(store, 'backoffice', ['submitter']);
  alice = await createKey(store, 'alice', ['reviewer']);
  carol = await createKey(store, 'carol', ['senior_reviewer']);
});
afterAll(async () => {
  await pipeline?.close();
});

/**
 * A sanctions list of `size` made-up people (names from a fixed-seed generator, none like the
 * applicant's), plus Jane Doe when `listed`: screening a real-sized list makes the correction's
 * re-run take long enough for a second Update to arrive while it runs.
 */
function sanctionsList(size: number, listed: boolean): Uint8Array {
  let seed = 17;
  const letter = (): string => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return 'bcdfghklmnprstvz'[seed >>> 28]! + 'aeiou'[(seed >>> 8) % 5]!;
  };
  const word = (): string => {
    const w = letter() + letter() + letter();
    return w[0]!.toUpperCase() + w.slice(1);
  };
  const rows = [HEADER];
  for (let i = 0; i < size; i++) rows.push(`X-${i},Person,${word()} ${word()},,,,,,EU list,,,test,2020-01-01,2026-01-01,2026-01-01`);
  if (listed) rows.push('NK-1,Person,Jane Doe,,,,,,UN list,,,test,2020-01-01,2026-01-01,2026-01-01');
  return new TextEncoder().encode(`${rows.join('\n')}\n`);
}

/** A water bill in Jane Doe's name: with no identity document the case goes to review. */
async function submitForReview(caseId: string, sanctionsCsv: Uint8Array): Promise<{ batchId: string; task: ReviewTask; documentId: string }> {
  const bill = await textPdf([['City Water plc', 'Water bill', 'Bill date: 12/10/2026', 'Account holder: Jane Doe', '4 Mill Road', 'Leeds LS1 4AP']]);
  const { batchId } = await pipeline.service.submitBatch({
    asOf: AS_OF,
    submittedBy: submitter.actor.keyId,
    sanctionsCsv,
    cases: [{ caseId, applicant: { fullName: 'Jane Doe', address: '4 Mill Rd, Leeds LS1 4AP' }, documents: [{ fileName: 'water.pdf', bytes: bill }] }],
  });
  await pipeline.service.waitForBatch(batchId);
  const task = await waitFor(() => pipeline.reviewStore.latestTaskForCase(caseId), 20_000, `the task of ${caseId}`);
  const report = (await pipeline.service.getCase(caseId)) as CaseReport;
  return { batchId, task, documentId: report.documents[0]!.documentId };
}

/** The workflow's own view of the task (the report it keeps), not the projection. */
async function workflowTask(caseId: string): Promise<{ report: CaseReport; task: ReviewTask }> {
  const report = (await pipeline.service.getCase(caseId)) as CaseReport;
  return { report, task: report.review! };
}

function settledOutcomes(results: PromiseSettledResult<ReviewTask>[]): { won: ReviewTask[]; refused: ReviewActionError[] } {
  const won = results.filter((r): r is PromiseFulfilledResult<ReviewTask> => r.status === 'fulfilled').map((r) => r.value);
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
  for (const err of refused) expect(err).toBeInstanceOf(ReviewActionError);
  return { won, refused: refused as ReviewActionError[] };
}

describe('two approvals with corrections at once', () => {
  test('when the same reviewer approves a four-eyes task twice at once, then one first approval is recorded and a second person is still needed', async () => {
    const caseId = 'twice-4eyes';
    const { batchId, task, documentId } = await submitForReview(caseId, sanctionsList(20_000, true));
    expect(task).toMatchObject({ queue: 'senior', fourEyes: true, status: 'open' });
    await pipeline.review.act(caseId, carol.actor, { kind: 'claim' });

    const approve = (reason: string): Promise<ReviewTask> =>
      pipeline.review.act(caseId, carol.actor, {
        kind: 'decide',
        decision: { decision: 'approve', reason, corrections: [{ documentId, field: 'fullName', value: 'Jane Doe' }] },
      });
    const { won, refused } = settledOutcomes(await Promise.allSettled([approve('different birth date'), approve('not the listed person')]));
    expect(won).toHaveLength(1);
    expect(refused).toHaveLength(1);
    // The second one found the task as the first left it: released, waiting for someone else.
    expect(refused[0]).toMatchObject({ status: 403, code: 'REVIEW_FORBIDDEN' });
    expect(refused[0]!.message).toMatch(/claim the task first|four-eyes/);

    const { report, task: now } = await workflowTask(caseId);
    expect(report).toMatchObject({ status: 'awaiting_review', decision: 'review' });
    expect(now).toMatchObject({ status: 'open', queue: 'standard', fourEyes: true });
    expect(now.final).toBeUndefined();
    expect(now.approvals.map((a) => a.by)).toEqual(['carol']);
    const { events } = (await pipeline.review.getTask(caseId))!;
    expect(events.filter((e) => e.action === 'first_approval')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'corrected')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'approved')).toHaveLength(0);

    // Still needs a second person: not carol, with any of her Updates; alice completes it.
    expect((await pipeline.review.act(caseId, carol.actor, { kind: 'claim' }).catch((e: unknown) => e))).toMatchObject({ status: 403 });
    await pipeline.review.act(caseId, alice.actor, { kind: 'claim' });
    const done = await pipeline.review.act(caseId, alice.actor, { kind: 'decide', decision: { decision: 'approve', reason: 'agree: not the listed person' } });
    expect(done).toMatchObject({ status: 'completed', final: { decision: 'approve', by: 'alice' } });
    expect(done.approvals.map((a) => a.by)).toEqual(['carol', 'alice']);
    // Replayed by test/replay: a review whose Updates ran under the lock (patch review-mutex), one refused inside it.
    await pipeline.env.client.workflow.getHandle(caseWorkflowId(batchId, caseId)).result();
    await recordHistory('kyc-case-review-mutex', caseWorkflowId(batchId, caseId), pipeline.env.address);
  });

  test('when two reviewers approve the same task at once, then one decides and the other is refused', async () => {
    const caseId = 'two-reviewers';
    const { task, documentId } = await submitForReview(caseId, sanctionsList(20_000, false));
    expect(task).toMatchObject({ queue: 'standard', fourEyes: false });
    await pipeline.review.act(caseId, alice.actor, { kind: 'claim' });

    // Alice approves with a correction; at the same moment carol (senior) takes the task over to approve it.
    const byAlice = pipeline.review.act(caseId, alice.actor, {
      kind: 'decide',
      decision: { decision: 'approve', reason: 'address confirmed by phone', corrections: [{ documentId, field: 'fullName', value: 'Jane Doe' }] },
    });
    const takeOver = pipeline.review.act(caseId, carol.actor, { kind: 'reassign', assignee: 'carol' });
    const [alicesDecision, carolsTakeOver] = await Promise.allSettled([byAlice, takeOver]);
    // Either alice decided and the take-over came too late, or carol took the task before alice's
    // decision ran and alice's was refused: never both (that would be alice deciding carol's task).
    const accepted = [alicesDecision, carolsTakeOver].filter((r) => r.status === 'fulfilled');
    expect(accepted).toHaveLength(1);
    const byCarol =
      carolsTakeOver.status === 'fulfilled'
        ? pipeline.review.act(caseId, carol.actor, { kind: 'decide', decision: { decision: 'approve', reason: 'documents consistent' } })
        : Promise.reject(carolsTakeOver.reason as Error);
    const { won, refused } = settledOutcomes([alicesDecision, await Promise.allSettled([byCarol]).then(([r]) => r!)]);
    expect(won).toHaveLength(1);
    expect(refused).toHaveLength(1);
    // A clear refusal: the review was already decided, or the task was no longer the loser's.
    expect([403, 409]).toContain(refused[0]!.status);
    expect(refused[0]!.message).toMatch(/already decided|claim the task first/);

    const winner = won[0]!.final!.by;
    const { report, task: now } = await workflowTask(caseId);
    expect(report).toMatchObject({ status: 'completed', decision: 'approved', decidedBy: winner });
    expect(now.final).toMatchObject({ decision: 'approve', by: winner });
    const { events } = (await pipeline.review.getTask(caseId))!;
    expect(events.filter((e) => e.action === 'approved').map((e) => e.actor)).toEqual([winner]);
  });
});
