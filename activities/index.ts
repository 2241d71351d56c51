import { analyseActivities, type AnalyseDeps } from './analyse.activities.js';
import { checksActivities } from './checks.activities.js';
import { extractTextActivities, type ExtractTextDeps } from './extract-text.activities.js';

export type ActivityDeps = ExtractTextDeps & AnalyseDeps;

/** Every activity, bound to the worker's real adapters. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...extractTextActivities(deps),
    ...analyseActivities(deps),
    ...checksActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
