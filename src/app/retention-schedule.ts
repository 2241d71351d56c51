/**
 * The `kyc-retention` Temporal Schedule: starts the `applyRetention` workflow every day. Created at
 * start-up by the API process, idempotently; when it exists its spec, action and policies are set
 * to the current configuration (so changed retention periods take effect) while its state stays
 * as operators left it (a paused schedule stays paused).
 *
 * Why a schedule rather than a workflow sleeping in a loop: operators see it in the Temporal UI,
 * can pause it, trigger a run now (`temporal schedule trigger --schedule-id kyc-retention`) or
 * backfill; overlapping runs are skipped; each run is a short workflow with its own small history,
 * so no continue-as-new bookkeeping, and a new version of the code applies from the next run on.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { retentionMs, type RetentionInput } from '../domain/retention.js';
import { TASK_QUEUES } from '../temporal/names.js';

export const RETENTION_SCHEDULE_ID = 'kyc-retention';
/** Runs start at 02:30 UTC: off-peak for most banks. */
const DAILY_AT = { hour: 2, minute: 30 };

export function retentionScheduleOptions(retention: Pick<RetentionInput, 'documents' | 'reports'>): ScheduleOptions {
  const input: RetentionInput = { documents: retention.documents, reports: retention.reports };
  return {
    scheduleId: RETENTION_SCHEDULE_ID,
    spec: { calendars: [{ hour: DAILY_AT.hour, minute: DAILY_AT.minute }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'applyRetention',
      workflowId: 'kyc-retention',
      taskQueue: TASK_QUEUES.workflows,
      args: [input],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  };
}

/** Creates the schedule, or brings an existing one to the current configuration. */
export async function ensureRetentionSchedule(client: Client, retention: Pick<RetentionInput, 'documents' | 'reports'>): Promise<'created' | 'updated'> {
  const options = retentionScheduleOptions(retention);
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const { scheduleId: _id, ...wanted } = options;
  await client.schedule.getHandle(RETENTION_SCHEDULE_ID).update((previous) => ({
    ...wanted,
    state: {
      paused: previous.state.paused,
      ...(previous.state.note !== undefined ? { note: previous.state.note } : {}),
      ...(previous.state.remainingActions !== undefined ? { remainingActions: previous.state.remainingActions } : {}),
    },
  }));
  return 'updated';
}

/**
 * Reports live in Temporal, and Temporal deletes a closed workflow's history by itself once the
 * namespace's retention period has passed (the embedded dev server: 24 hours). A message when that
 * comes before RETENTION_REPORTS; undefined when the namespace keeps reports long enough.
 */
export async function namespaceRetentionWarning(client: Client, reports: string): Promise<string | undefined> {
  const namespace = client.options.namespace;
  const described = await client.workflowService.describeNamespace({ namespace });
  const seconds = Number(described.config?.workflowExecutionRetentionTtl?.seconds ?? 0);
  if (seconds <= 0 || seconds * 1000 >= retentionMs(reports)) return undefined;
  const days = Math.ceil(retentionMs(reports) / 86_400_000);
  return (
    `Temporal namespace ${namespace} deletes closed workflows after ${Math.round(seconds / 3600)}h, before RETENTION_REPORTS=${reports}: ` +
    `reports would be lost early. Raise it: temporal operator namespace update --retention ${days}d ${namespace}`
  );
}
