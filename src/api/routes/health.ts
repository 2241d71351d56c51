/**
 * Probes for orchestrators. `GET /livez` (and `/healthz`, its older name): the process is up and
 * serving; restart it when this fails. `GET /readyz`: Temporal and the databases answer right now;
 * take the instance out of rotation while it answers 503 (it names the dependency that failed).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ReadinessMonitor } from '../../app/readiness.js';
import { RETRY_AFTER_SECONDS, unavailableBody } from '../http-errors.js';

export interface HealthRoutesOptions {
  /** Absent → nothing to check, `/readyz` answers like `/livez`. */
  readiness?: ReadinessMonitor;
}

export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { readiness }) => {
  const live = async (): Promise<{ status: 'ok' }> => ({ status: 'ok' });
  app.get('/livez', live);
  app.get('/healthz', live);

  app.get('/readyz', async (_request, reply) => {
    if (!readiness) return reply.code(200).send({ status: 'ok', dependencies: {} });
    const report = await readiness.check();
    if (report.ready) return reply.code(200).send({ status: 'ok', dependencies: report.dependencies });
    const failed = Object.entries(report.dependencies).filter(([, d]) => !d.ok).map(([name]) => name);
    return reply
      .code(503)
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .send(unavailableBody(`not ready: ${failed.join(', ')} unreachable`, failed));
  });
};
