/**
 * Case and batch workflow executions seen by erasure and retention: their state, and their removal
 * (terminate if running, then delete the execution with its history — where the report lives).
 *
 * Deletion is asynchronous in Temporal: a running execution is terminated and deleted at once (the
 * server does both for one DeleteWorkflowExecution call); a closed one is deleted once the server
 * has acknowledged its close tasks, typically within a minute. Readers must not wait for it: the
 * registry marks the case erased, and the services answer 404 from then on.
 */
import { WorkflowNotFoundError, isGrpcServiceError, type Client } from '@temporalio/client';
import type { CaseWorkflows, WorkflowState } from '../domain/erasure.js';

const GRPC_NOT_FOUND = 5;

export function temporalCaseWorkflows(client: Client): CaseWorkflows {
  const state = async (workflowId: string): Promise<WorkflowState | undefined> => {
    try {
      const description = await client.workflow.getHandle(workflowId).describe();
      if (description.status.name === 'RUNNING') return { status: 'running' };
      return { status: 'closed', closedAt: (description.closeTime ?? new Date()).toISOString() };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  return {
    state,
    async remove(workflowId: string): Promise<'deleted' | 'absent'> {
      if ((await state(workflowId)) === undefined) return 'absent';
      try {
        await client.workflowService.deleteWorkflowExecution({ namespace: client.options.namespace, workflowExecution: { workflowId } });
      } catch (err) {
        if (isNotFound(err)) return 'absent';
        throw err;
      }
      return 'deleted';
    },
  };
}

function isNotFound(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND);
}
