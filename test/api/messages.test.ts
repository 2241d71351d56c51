/**
 * `GET /v1/messages`: the words for the API's codes, chosen by `?lang=` or `Accept-Language`,
 * English when no catalogue matches; served without a key (no PII, nothing per tenant).
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { createApiServer } from '../../src/api/server.js';
import type { KycService } from '../../src/app/service.js';
import { CHECK_IDS } from '../../src/domain/check-ids.js';
import { DEFAULT_POLICY } from '../../src/domain/decision.js';
import { en, messagesForAcceptLanguage, type MessageCatalogue } from '../../src/review/messages/index.js';

/** The case routes are not called here: any call is a test failure. */
const NO_SERVICE: KycService = {
  submitBatch: () => Promise.reject(new Error('not called')),
  getBatch: () => Promise.reject(new Error('not called')),
  getCase: () => Promise.reject(new Error('not called')),
  getCaseInBatch: () => Promise.reject(new Error('not called')),
};

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function server(): FastifyInstance {
  // No key is valid: the route must answer without one.
  app = createApiServer({ service: NO_SERVICE, logger: false, authenticate: async () => undefined });
  return app;
}

describe('GET /v1/messages', () => {
  test('when asked without a key or a language, then 200 with the English words for every check and reason', async () => {
    const res = await server().inject({ method: 'GET', url: '/v1/messages' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-language']).toBe('en');
    const body = res.json<MessageCatalogue>();
    expect(body).toEqual(JSON.parse(JSON.stringify(en)));
    for (const id of CHECK_IDS) expect(body.checks[id]?.name.length).toBeGreaterThan(0);
    for (const reason of DEFAULT_POLICY.reviewReasons) expect(body.reasons[reason]?.length).toBeGreaterThan(0);
  });

  test('when a language without a catalogue is asked for, then English, said in Content-Language', async () => {
    const byQuery = await server().inject({ method: 'GET', url: '/v1/messages?lang=fr-CA' });
    expect(byQuery.statusCode).toBe(200);
    expect(byQuery.headers['content-language']).toBe('en');
    await app?.close();
    const byHeader = await server().inject({ method: 'GET', url: '/v1/messages', headers: { 'accept-language': 'de-CH, de;q=0.9, en;q=0.1' } });
    expect(byHeader.headers['content-language']).toBe('en');
    expect(byHeader.headers.vary).toContain('Accept-Language');
  });

  test('when the OpenAPI document is read, then it lists the route as answered without a key', async () => {
    const res = await server().inject({ method: 'GET', url: '/v1/openapi.json' });
    const doc = res.json<{ paths: Record<string, { get?: { security?: unknown[] } }> }>();
    expect(doc.paths['/v1/messages']?.get?.security).toEqual([]);
  });
});

describe('Accept-Language', () => {
  const de: MessageCatalogue = { ...en, language: 'de' };
  const fr: MessageCatalogue = { ...en, language: 'fr' };
  const catalogues = { en, de, fr };

  test('when several languages are accepted, then the heaviest one with a catalogue wins', () => {
    expect(messagesForAcceptLanguage('it, fr;q=0.5, de;q=0.8', catalogues).language).toBe('de');
    expect(messagesForAcceptLanguage('de-AT;q=0.3, fr-CH;q=0.4', catalogues).language).toBe('fr');
  });

  test('when a language is refused (q=0) or only * is given, then it is not chosen', () => {
    expect(messagesForAcceptLanguage('de;q=0, fr;q=0.1', catalogues).language).toBe('fr');
    expect(messagesForAcceptLanguage('*', catalogues).language).toBe('en');
    expect(messagesForAcceptLanguage(undefined, catalogues).language).toBe('en');
  });
});
