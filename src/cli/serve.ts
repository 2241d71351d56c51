import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { openEngine } from '../app/engine.js';
import { RETENTION_SCHEDULE_ID, ensureRetentionSchedule, namespaceRetentionWarning } from '../app/retention-schedule.js';
import { createApiServer } from '../api/server.js';
import { databaseProbe, ReadinessMonitor, temporalProbe } from '../app/readiness.js';
import { loadConfig } from '../config.js';
import { defaultKeyFile } from '../security/keyring.js';
import { createLogger } from '../logger.js';
import type { ReviewStore } from '../review/types.js';

const WORKER_ENTRY = fileURLToPath(new URL('../../workers/main.ts', import.meta.url));
export const WEB_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** With no key at all, nobody could use the API: the first start makes an admin key and prints it once. */
async function bootstrapAdminKey(store: ReviewStore): Promise<string | undefined> {
  if ((await store.listApiKeys()).length > 0) return undefined;
  const { secret } = await store.createApiKey({ name: 'admin', roles: ['admin'] });
  return secret;
}

/**
 * `npm start`: Temporal (embedded unless TEMPORAL_ADDRESS; the embedded server is restarted if it
 * dies), a worker process (restarted if it dies), and the HTTP API, which answers 503 while Temporal
 * or the database cannot be reached (`/readyz` names which). Ctrl-C stops them in order; running workflows stay durable in Temporal.
 * With `workers: false` (`kyc api`) only the API runs, for clusters whose workers run elsewhere.
 */
export async function runService(options: { workers: boolean } = { workers: true }): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const engine = await openEngine({ config, logger, workers: 'never', onProgress: (line) => logger.info(line) });

  let stopping = false;
  let worker: ChildProcess | undefined;
  // The worker is told the address, which makes it a cluster client: it gets the keys explicitly too
  // (the default key file made here when none were configured).
  const keysForWorker = config.masterKeys.inline || config.masterKeys.file ? {} : { KYC_KEY_FILE: defaultKeyFile(config.dataDir) };
  const superviseWorker = async (): Promise<void> => {
    let restarts = 0;
    while (!stopping) {
      const started = Date.now();
      worker = spawn(process.execPath, ['--import', 'tsx', WORKER_ENTRY], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, TEMPORAL_ADDRESS: engine.target.address, TEMPORAL_NAMESPACE: engine.target.namespace, ...keysForWorker },
      });
      const code = await new Promise<number | null>((resolve) => worker!.once('exit', (c, s) => resolve(c ?? (s ? -1 : 0))));
      if (stopping) return;
      restarts = Date.now() - started > 60_000 ? 0 : restarts + 1;
      const delay = Math.min(30_000, 1000 * 2 ** restarts);
      logger.warn({ code, delayMs: delay }, 'worker process exited; restarting');
      await sleep(delay);
    }
  };
  const supervision = options.workers ? superviseWorker() : Promise.resolve();

  const firstKey = await bootstrapAdminKey(engine.reviewStore);
  // Retention runs daily from a Temporal Schedule; this brings it to the configured periods.
  const schedule = await ensureRetentionSchedule(engine.client, config.retention);
  logger.info({ schedule: RETENTION_SCHEDULE_ID, outcome: schedule, ...config.retention }, 'retention schedule ready');
  const shortRetention = await namespaceRetentionWarning(engine.client, config.retention.reports).catch(() => undefined);
  if (shortRetention) logger.warn(shortRetention);
  // The embedded server's supervisor (src/temporal/dev-server.ts) restarts it on its database file.
  const readiness = new ReadinessMonitor({
    probes: [
      temporalProbe(engine.target.address, engine.target.namespace),
      databaseProbe('reviewDb', config.review.dbUrl, 'kyc_migrations'),
      databaseProbe('auditDb', config.review.dbUrl, 'kyc_audit_migrations'),
    ],
    logger,
  });
  readiness.start();
  engine.target.server?.onEvent?.((event) => {
    if (event.type === 'exited') {
      readiness.suspect();
      logger.warn({ code: event.code, signal: event.signal, delayMs: event.restartInMs }, 'embedded Temporal server exited; restarting');
    } else if (event.type === 'restarted') {
      readiness.suspect();
      logger.info({ pid: event.pid, restarts: event.restarts }, 'embedded Temporal server restarted');
    } else {
      logger.error({ reason: event.message, delayMs: event.restartInMs }, 'embedded Temporal server did not start; trying again');
    }
  });
  const api = createApiServer({
    readiness,
    temporalCallBudgetMs: config.api.temporalCallTimeoutMs,
    service: engine.service,
    review: engine.review,
    erasure: engine.erasure,
    authenticate: (secret) => engine.reviewStore.authenticate(secret),
    webDir: WEB_DIR,
    codec: { codec: engine.codec, corsOrigins: config.temporal.uiOrigins },
    logger,
  });
  await api.listen({ host: config.api.host, port: config.api.port });
  const apiUrl = `http://${config.api.host}:${(api.server.address() as { port: number }).port}`;
  process.stdout.write(
    `KYC engine running.\n  API:         ${apiUrl}/v1  (OpenAPI: ${apiUrl}/v1/openapi.json)\n` +
      (engine.target.server ? `  Temporal UI: ${engine.target.server.uiUrl}\n` : `  Temporal:    ${engine.target.address}\n`) +
      `  Web page:    ${apiUrl}/\n` +
      `  Codec:       ${apiUrl}/codec  (Temporal payloads are encrypted; see README "Encryption")\n` +
      (firstKey ? `\nFirst start: an admin key was created. It is shown once, keep it safe:\n  ${firstKey}\nCreate staff keys with: npx kyc keys create --org <org> --person "<name>" --role reviewer\n\n` : '') +
      `Press Ctrl-C to stop.\n`,
  );

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  stopping = true;
  logger.info('shutting down');
  await api.close();
  await readiness.stop();
  worker?.kill('SIGTERM');
  await supervision;
  await engine.close();
  return 0;
}
