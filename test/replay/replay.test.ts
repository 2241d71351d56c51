import { Worker } from '@temporalio/worker';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { WORKFLOWS_PATH } from '../../workers/bootstrap.js';
import { createDataConverter } from '../../src/security/payload-codec.js';
import { HISTORIES_DIR } from '../support/histories.js';
import { TEST_KEYRING } from '../support/temporal.js';

// Current workflow code must replay every recorded history: running executions survive a deploy.
// Record new shapes with RECORD_HISTORIES=1 npx vitest run test/workflows.
const files = (await readdir(HISTORIES_DIR)).filter((f) => f.endsWith('.json')).sort();
// Production's data converter: encrypted histories (recorded under the test key) decrypt, and those
// recorded before encryption pass through the codec as they are.
const dataConverter = createDataConverter(TEST_KEYRING);

describe('workflow replay', () => {
  test('there are recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });
  for (const file of files) {
    test(`replays ${file}`, async () => {
      const history = JSON.parse(await readFile(join(HISTORIES_DIR, file), 'utf8'));
      await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, dataConverter }, history, file.replace(/\.json$/, ''));
    });
  }
});
