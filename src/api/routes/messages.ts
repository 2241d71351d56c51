/**
 * `GET /v1/messages`: the words for every code the API returns (reason codes, check ids, field
 * names, document types, review actions and decisions), in the language asked for by `?lang=` or
 * `Accept-Language`, English when the bank has registered no catalogue for it (src/review/messages).
 * The JSON everywhere else keeps its codes; a client shows these words beside or instead of them.
 * No PII and nothing per tenant: answered without a key, like the OpenAPI document.
 */
import type { FastifyPluginAsync } from 'fastify';
import { messagesFor, messagesForAcceptLanguage } from '../../review/messages/index.js';

export const messagesRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { lang?: unknown } }>('/v1/messages', async (request, reply) => {
    const lang = request.query.lang;
    const catalogue = typeof lang === 'string' && lang.length > 0 ? messagesFor(lang.slice(0, 35)) : messagesForAcceptLanguage(request.headers['accept-language']);
    void reply.header('content-language', catalogue.language).header('vary', 'Accept-Language');
    return catalogue;
  });
};
