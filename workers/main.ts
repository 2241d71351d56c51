/**
 * A worker process: `npm run worker [-- --queues ocr,model]`. Connects to TEMPORAL_ADDRESS, or to
 * the embedded dev server (started if none is running), and serves the chosen task queues.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { resolveTemporal } from '../src/temporal/connect.js';
import { QUEUE_NAMES, type QueueName } from '../src/temporal/names.js';
import { startWorkers } from './bootstrap.js';
import { restrictNewFiles, tightenDataDir } from '../src/security/file-modes.js';

const { values } = parseArgs({ options: { queues: { type: 'string' } } });
const queues = (values.queues ?? QUEUE_NAMES.join(',')).split(',').map((q) => q.trim()) as QueueName[];
const unknown = queues.filter((q) => !QUEUE_NAMES.includes(q));
if (unknown.length > 0) {
  process.stderr.write(`unknown queue(s): ${unknown.join(', ')}; choose from ${QUEUE_NAMES.join(', ')}\n`);
  process.exit(2);
}

const config = loadConfig();
// Owner-only files under the data directory, the embedded Temporal server's included.
restrictNewFiles();
await tightenDataDir(config.dataDir);
const logger = createLogger(config.logLevel);
const target = await resolveTemporal(config, (line) => logger.info(line));
const workers = await startWorkers({ config, address: target.address, namespace: target.namespace, logger, queues });
logger.info({ pid: process.pid, queues, address: target.address }, 'worker ready');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker shutting down');
    void workers.shutdown();
  });
}
try {
  await workers.done;
} finally {
  await target.server?.stop();
}
