import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cacheDir } from '../../src/config.js';
import { ensureTemporalCli } from '../../src/temporal/cli-binary.js';

export const HISTORIES_DIR = fileURLToPath(new URL('../replay/histories/', import.meta.url));

/**
 * Writes a workflow's history for the replay tests with `temporal workflow show --output json`,
 * only when RECORD_HISTORIES=1. Recorded files are never edited by hand.
 */
export async function recordHistory(name: string, workflowId: string, address: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const cli = await ensureTemporalCli({ cacheDir: cacheDir(), explicitPath: process.env.TEMPORAL_CLI });
  const { stdout } = await promisify(execFile)(cli, ['workflow', 'show', '--workflow-id', workflowId, '--address', address, '--output', 'json'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  await writeFile(join(HISTORIES_DIR, `${name}.json`), stdout);
}
