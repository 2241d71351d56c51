/** Prints the path of the Temporal CLI, building the pinned version into the cache when needed. */
import { cacheDir } from '../src/config.js';
import { ensureTemporalCli } from '../src/temporal/cli-binary.js';

const path = await ensureTemporalCli({ cacheDir: cacheDir(), explicitPath: process.env.TEMPORAL_CLI });
process.stderr.write(`[setup] Temporal CLI: ${path}\n`);
