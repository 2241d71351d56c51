/** `GET /healthz`: the process is up and serving; says nothing about Temporal. */
import type { FastifyPluginAsync } from 'fastify';

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', async (_request, reply) => reply.code(200).send({ status: 'ok' }));
};
