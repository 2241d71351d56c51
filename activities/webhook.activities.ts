import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { endpointOfUrl, isAllowedOutbound, type Endpoint } from '../src/domain/outbound.js';
import { DELIVERY_HEADER, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER, type DecisionEvent } from '../src/review/webhook.js';

export interface WebhookTarget {
  url: string;
  secret: string;
  /** Retries stop this long after the first attempt was scheduled. */
  giveUpAfterMs: number;
  /** One attempt's time limit. */
  timeoutMs: number;
}

export interface WebhookDeps {
  webhook?: WebhookTarget;
  /** The outbound allow-list (ALLOWED_OUTBOUND); a webhook URL off it is never called. Absent → not checked. */
  allowedOutbound?: readonly Endpoint[];
}

/** Outcome: `skipped` when no webhook is configured. */
export type WebhookResult = { delivered: true; status: number; attempt: number } | { delivered: false; skipped: true };

export const webhookActivities = (deps: WebhookDeps) => ({
  /**
   * POSTs the decision, signed. Any failure (network, timeout, non-2xx) is retried by Temporal with
   * backoff; once the give-up time has passed since the first attempt, it fails for good.
   */
  async deliverWebhook(event: DecisionEvent): Promise<WebhookResult> {
    const target = deps.webhook;
    if (!target) return { delivered: false, skipped: true };
    const endpoint = endpointOfUrl(target.url);
    const [, host = '', port = '0'] = /^(.*):(\d+)$/.exec(endpoint ?? '') ?? [];
    if (deps.allowedOutbound && !isAllowedOutbound(host, Number(port), deps.allowedOutbound)) {
      throw ApplicationFailure.nonRetryable(`the webhook endpoint ${endpoint ?? '(none)'} is not in ALLOWED_OUTBOUND`, 'OUTBOUND_NOT_ALLOWED');
    }
    const info = Context.current().info;
    const body = JSON.stringify(event);
    const timestamp = Math.floor(Date.now() / 1000);
    const delivery = `${info.workflowExecution?.workflowId ?? info.activityId}:${event.event}`;
    let problem: string;
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(body, target.secret, timestamp),
          [TIMESTAMP_HEADER]: String(timestamp),
          [DELIVERY_HEADER]: delivery,
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(target.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { delivered: true, status: response.status, attempt: info.attempt };
      problem = `the webhook answered ${response.status}`;
    } catch (err) {
      problem = `the webhook could not be reached (${(err as Error).name})`;
    }
    const elapsed = Date.now() - info.scheduledTimestampMs;
    if (elapsed >= target.giveUpAfterMs) {
      throw ApplicationFailure.nonRetryable(`${problem}; gave up after ${info.attempt} attempts`, 'WEBHOOK_GAVE_UP');
    }
    throw ApplicationFailure.retryable(problem, 'WEBHOOK_FAILED');
  },
});
