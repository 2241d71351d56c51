/** `GET /v1/openapi.json`: the OpenAPI 3.1 document, built once per server. */
import type { FastifyPluginAsync } from 'fastify';
import type { OpenApiDocument } from '../openapi.js';

export interface OpenApiRoutesOptions {
  document: OpenApiDocument;
}

export const openApiRoutes: FastifyPluginAsync<OpenApiRoutesOptions> = async (app, { document }) => {
  app.get('/v1/openapi.json', async (_request, reply) => reply.code(200).send(document));
};
