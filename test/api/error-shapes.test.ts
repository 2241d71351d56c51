/**
 * Every error body has the documented shape `{ error: { code, message, details? } }`, including the
 * ones fastify and Node's HTTP parser produce before any route runs. Sent over a real socket, byte
 * for byte, since `inject` skips the parser (short and long Content-Length, broken request lines).
 */
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiServer } from '../../src/api/server.js';
import { ErrorResponseSchema } from '../../src/api/schemas.js';
import type { KycService } from '../../src/app/service.js';
import { createDataConverter } from '../../src/security/payload-codec.js';
import { createKey, tempReviewStore, type TestKey } from '../support/keys.js';
import { TEST_KEYRING } from '../support/temporal.js';

const unused = (): never => {
  throw new Error('not used here');
};
const service: KycService = { submitBatch: unused, getBatch: unused, getCase: unused, getCaseInBatch: unused };

let app: FastifyInstance;
let port: number;
let reviewDb: Awaited<ReturnType<typeof tempReviewStore>>;
let admin: TestKey;

beforeAll(async () => {
  reviewDb = await tempReviewStore();
  admin = await createKey(reviewDb.store, 'shape-admin', ['admin']);
  app = createApiServer({
    service,
    logger: false,
    authenticate: (secret) => reviewDb.store.authenticate(secret),
    codec: { codec: createDataConverter(TEST_KEYRING).payloadCodecs[0]!, corsOrigins: [] },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});
afterAll(async () => {
  await app?.close();
  await reviewDb?.close();
});

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes `request` as it is, optionally half-closes, and parses every HTTP/1.1 response that comes
 * back until the server closes the connection (or `waitMs` passes).
 */
function raw(request: string | Buffer, options: { halfClose?: boolean; waitMs?: number } = {}): Promise<RawResponse[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      try {
        resolve(parseResponses(Buffer.concat(chunks)));
      } catch (err) {
        reject(err);
      }
    };
    const timer = setTimeout(finish, options.waitMs ?? 3_000);
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', finish);
    socket.on('error', () => undefined); // the server may reset after answering
    socket.on('connect', () => {
      socket.write(request);
      if (options.halfClose) socket.end();
    });
  });
}

function parseResponses(data: Buffer): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = data;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`incomplete response head: ${rest.toString('latin1').slice(0, 200)}`);
    const [statusLine, ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine ?? '')?.[1]);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    out.push({ status, headers, body: rest.subarray(end + 4, end + 4 + length).toString('utf8') });
    rest = rest.subarray(end + 4 + length);
  }
  return out;
}

function expectDocumented(res: RawResponse | undefined, status: number, code?: string): void {
  expect(res, 'a response').toBeDefined();
  expect(res!.status, res!.body).toBe(status);
  expect(res!.headers['content-type']).toMatch(/^application\/json/);
  const body = ErrorResponseSchema.strict().parse(JSON.parse(res!.body));
  expect(Object.keys(body.error).sort()).toEqual(expect.arrayContaining(['code', 'message']));
  if (code) expect(body.error.code).toBe(code);
  // Nothing of fastify's own shape.
  expect(res!.body).not.toMatch(/"statusCode"|FST_/);
}

function post(path: string, body: string, headers: Record<string, string>): string {
  const head = Object.entries({ host: 'localhost', authorization: admin.headers.authorization, ...headers })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
  return `POST ${path} HTTP/1.1\r\n${head}\r\n\r\n${body}`;
}

describe('errors raised by fastify and the HTTP parser have the documented shape', () => {
  test('when the body is not valid JSON, then 400', async () => {
    const body = '{"payloads": [';
    const [res] = await raw(post('/codec/decode', body, { 'content-type': 'application/json', 'content-length': String(body.length), connection: 'close' }));
    expectDocumented(res, 400, 'BAD_REQUEST');
  });

  test('when the Content-Length is shorter than the body, then both the cut body and the rest are refused in shape', async () => {
    const body = '{"payloads":[]}';
    const responses = await raw(post('/codec/decode', body, { 'content-type': 'application/json', 'content-length': '5' }));
    // The bytes past the declared length are parsed as a next request, which is malformed: the
    // connection is answered 400 and closed (the cut body `{"pay`, invalid JSON, may be answered first).
    expect(responses.length).toBeGreaterThanOrEqual(1);
    for (const res of responses) expectDocumented(res, 400, 'BAD_REQUEST');
    expect(responses.at(-1)!.headers.connection).toBe('close');
    expect(responses.at(-1)!.body).toContain('malformed HTTP request');
  });

  test('when the Content-Length is longer than the body and the client stops sending, then 400', async () => {
    const body = '{"payloads":[]}';
    const [res] = await raw(post('/codec/decode', body, { 'content-type': 'application/json', 'content-length': '500' }), { halfClose: true });
    expectDocumented(res, 400, 'BAD_REQUEST');
  });

  test('when the Content-Length is not a number, then 400 from the parser', async () => {
    const [res] = await raw(post('/codec/decode', '{}', { 'content-type': 'application/json', 'content-length': 'two' }));
    expectDocumented(res, 400, 'BAD_REQUEST');
  });

  test('when a chunked body is malformed, then 400 from the parser', async () => {
    const [res] = await raw(post('/codec/decode', 'zz\r\n{}\r\n0\r\n\r\n', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }));
    expectDocumented(res, 400, 'BAD_REQUEST');
  });

  test('when the content type is not one the route reads, then 415', async () => {
    const body = '<payloads/>';
    const [res] = await raw(post('/codec/decode', body, { 'content-type': 'application/xml', 'content-length': String(body.length), connection: 'close' }));
    expectDocumented(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('when the declared body is over the limit, then 413 before it is read', async () => {
    const [res] = await raw(post('/codec/decode', '{"payloads":[', { 'content-type': 'application/json', 'content-length': String(64 * 1024 * 1024) }), { waitMs: 2_000 });
    expectDocumented(res, 413, 'REQUEST_TOO_LARGE');
  });

  test('when the URL has a broken %-escape, then 400', async () => {
    const [res] = await raw('GET /v1/cases/%E0%A4%A HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n');
    expectDocumented(res, 400, 'BAD_REQUEST');
  });

  test('when the request line is not HTTP, then 400 and the connection closes', async () => {
    const [res] = await raw('HELLO THERE\r\n\r\n');
    expectDocumented(res, 400, 'BAD_REQUEST');
  });

  test('when a header has a forbidden character, then 400', async () => {
    const [res] = await raw('GET /livez HTTP/1.1\r\nhost: localhost\r\nx-bad: a\u0000b\r\n\r\n');
    expectDocumented(res, 400, 'BAD_REQUEST');
  });

  test('when the headers are too large, then 431', async () => {
    const [res] = await raw(`GET /livez HTTP/1.1\r\nhost: localhost\r\nx-big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
    expectDocumented(res, 431, 'HEADERS_TOO_LARGE');
  });

  test('when no route has the path, then 404', async () => {
    const [res] = await raw('GET /v2/nothing HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n');
    expectDocumented(res, 404, 'NOT_FOUND');
  });

  test('when the path exists with other methods, then 405 with Allow', async () => {
    const [res] = await raw('DELETE /v1/openapi.json HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n');
    expectDocumented(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res!.headers.allow).toBe('GET, HEAD');
    const [param] = await raw('PUT /v1/cases/alice-001 HTTP/1.1\r\nhost: localhost\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    expectDocumented(param, 405, 'METHOD_NOT_ALLOWED');
    expect(param!.headers.allow).toContain('GET');
  });

  test('when the method is one HTTP does not know, then 400 from the parser', async () => {
    const [res] = await raw('FROB /livez HTTP/1.1\r\nhost: localhost\r\n\r\n');
    expectDocumented(res, 400, 'BAD_REQUEST');
  });
});

describe('liveness and readiness without dependencies to check', () => {
  test('/livez, /healthz and /readyz answer 200', async () => {
    for (const path of ['/livez', '/healthz', '/readyz']) {
      const res = await app.inject({ method: 'GET', url: path });
      expect(res.statusCode, path).toBe(200);
      expect(res.json().status).toBe('ok');
    }
  });
});
