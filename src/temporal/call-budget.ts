/**
 * Bounded Temporal calls for request handlers. The SDK's default gRPC retry keeps retrying an
 * unreachable server for about 20 s; an HTTP client waiting that long learns nothing. Inside
 * `withCallBudget(ms, fn)` every unary call `fn` makes gets a deadline of `ms` (its retries stay
 * within it), so a fresh outage fails in about `ms` with UNAVAILABLE or DEADLINE_EXCEEDED, which the
 * API answers with 503. Outside a budget (CLI, workers' clients) calls behave as the SDK's default.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client';

type GrpcInterceptor = NonNullable<ConnectionOptions['interceptors']>[number];

interface CallBudget {
  perCallMs: number;
}

const budgets = new AsyncLocalStorage<CallBudget>();

/**
 * Calls that legitimately wait on a workflow (an update waits until the workflow has processed it,
 * however busy its worker is) get no deadline; they are only not retried past the budget, so an
 * unreachable server still fails them quickly.
 */
const UNBOUNDED_METHODS = new Set([
  '/temporal.api.workflowservice.v1.WorkflowService/UpdateWorkflowExecution',
  '/temporal.api.workflowservice.v1.WorkflowService/PollWorkflowExecutionUpdate',
]);

/** Runs `fn` with every bounded Temporal call it makes limited to `perCallMs`. */
export function withCallBudget<T>(perCallMs: number, fn: () => T): T {
  return budgets.run({ perCallMs }, fn);
}

/**
 * The one interceptor a client connection needs: the SDK's default retry, made deadline-aware when a
 * call budget is active (no retry is scheduled past the deadline, so the call ends at the deadline).
 */
export function budgetedRetryInterceptor(): GrpcInterceptor {
  const fallback = makeGrpcRetryInterceptor(defaultGrpcRetryOptions());
  return (options, nextCall) => {
    const budget = budgets.getStore();
    if (budget === undefined) return fallback(options, nextCall);
    const retryUntil = Date.now() + budget.perCallMs;
    const given = options.deadline === undefined ? Infinity : new Date(options.deadline).getTime();
    const bounded = !UNBOUNDED_METHODS.has(options.method_definition.path);
    const deadline = bounded ? Math.min(retryUntil, Number.isNaN(given) ? Infinity : given) : undefined;
    const defaults = defaultGrpcRetryOptions();
    let delay = 0;
    return makeGrpcRetryInterceptor({
      retryableDecider(attempt, status) {
        if (!defaults.retryableDecider(attempt, status)) return false;
        delay = defaults.delayFunction(attempt, status);
        return Date.now() + delay < (deadline ?? retryUntil);
      },
      delayFunction: () => delay,
    })(deadline === undefined ? options : { ...options, deadline }, nextCall);
  };
}
