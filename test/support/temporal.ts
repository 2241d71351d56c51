import { createHash } from 'node:crypto';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { cacheDir } from '../../src/config.js';
import type { Keyring } from '../../src/security/keyring.js';
import { createDataConverter } from '../../src/security/payload-codec.js';
import { ensureTemporalCli } from '../../src/temporal/cli-binary.js';
import { SEARCH_ATTRIBUTES } from '../../src/temporal/names.js';

/**
 * A fixed payload key for tests only (derived, not random, so that encrypted histories recorded by
 * the tests replay). `TEST_MASTER_KEYS` is the same keyring as a KYC_MASTER_KEYS value.
 */
const TEST_KEY = createHash('sha256').update('kyc-engine test payload key 1 (tests only)').digest();
export const TEST_KEYRING: Keyring = { activeKeyId: 'test-k1', keys: new Map([['test-k1', TEST_KEY]]) };
export const TEST_MASTER_KEYS = `test-k1:${TEST_KEY.toString('base64')}`;

export interface TestEnvOptions {
  /** The client's data converter; give the workers the same. Default: the encrypting one over TEST_KEYRING. */
  dataConverter?: DataConverter;
  /** Server dynamic config, e.g. `{ 'history.transferProcessorUpdateAckInterval': '"1s"' }`. */
  dynamicConfig?: Record<string, string>;
}

/**
 * A real Temporal dev server for workflow tests: the CLI binary from TEMPORAL_CLI, PATH or the
 * pinned build in the cache (never downloaded by the SDK), with the workflows' search attributes.
 * Its client encrypts payloads like production clients do.
 */
export async function startTestEnv(options: TestEnvOptions = {}): Promise<TestWorkflowEnvironment> {
  const path = await ensureTemporalCli({ cacheDir: cacheDir(), explicitPath: process.env.TEMPORAL_CLI });
  return TestWorkflowEnvironment.createLocal({
    client: { dataConverter: options.dataConverter ?? createDataConverter(TEST_KEYRING) },
    server: {
      executable: { type: 'existing-path', path },
      searchAttributes: Object.values(SEARCH_ATTRIBUTES),
      ip: '127.0.0.1',
      ui: false,
      extraArgs: Object.entries(options.dynamicConfig ?? {}).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${value}`]),
    },
  });
}
