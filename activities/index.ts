import { analyseActivities, type AnalyseDeps } from './analyse.activities.js';
import { checksActivities } from './checks.activities.js';
import { corroborateActivities } from './corroborate.activities.js';
import { extractTextActivities, type ExtractTextDeps } from './extract-text.activities.js';
import { reviewActivities, type ReviewDeps } from './review.activities.js';
import { auditActivities } from './audit.activities.js';
import { batchActivities } from './batch.activities.js';
import { webhookActivities, type WebhookDeps } from './webhook.activities.js';
import { retentionActivities, type RetentionDeps } from './retention.activities.js';

export type ActivityDeps = ExtractTextDeps & AnalyseDeps & ReviewDeps & WebhookDeps & RetentionDeps;

/** Every activity, bound to the worker's real adapters. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...extractTextActivities(deps),
    ...analyseActivities(deps),
    ...checksActivities(deps),
    ...corroborateActivities(deps),
    ...reviewActivities(deps),
    ...auditActivities(deps),
    ...batchActivities(deps),
    ...webhookActivities(deps),
    ...retentionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
