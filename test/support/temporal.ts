import { TestWorkflowEnvironment } from '@temporalio/testing';
import { cacheDir } from '../../src/config.js';
import { ensureTemporalCli } from '../../src/temporal/cli-binary.js';
import { SEARCH_ATTRIBUTES } from '../../src/temporal/names.js';

/**
 * A real Temporal dev server for workflow tests: the CLI binary from TEMPORAL_CLI, PATH or the
 * pinned build in the cache (never downloaded by the SDK), with the workflows' search attributes.
 */
export async function startTestEnv(): Promise<TestWorkflowEnvironment> {
  const path = await ensureTemporalCli({ cacheDir: cacheDir(), explicitPath: process.env.TEMPORAL_CLI });
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      searchAttributes: Object.values(SEARCH_ATTRIBUTES),
      ip: '127.0.0.1',
      ui: false,
    },
  });
}
