/**
 * The web page's static routes over a temp directory: content types, cache and security headers,
 * only the files listed at start-up, and the JSON 503 when the page was not built.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastify, type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { WEB_CONTENT_SECURITY_POLICY, webRoutes } from '../../src/api/routes/web.js';

const INDEX = '<!doctype html><title>KYC</title><script type="module" src="/assets/app-ABCDEFGH.js"></script>';

/** `root` holds `web/` (the served directory) and files beside it that must never be reachable. */
let root: string;
let dir: string;
let app: FastifyInstance | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'kyc-web-'));
  dir = join(root, 'web');
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  await rm(root, { recursive: true, force: true });
});

async function serve(): Promise<FastifyInstance> {
  app = fastify({ logger: false });
  await app.register(webRoutes, { dir });
  await app.ready();
  return app;
}

async function writeBuiltPage(): Promise<void> {
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, 'assets', 'app-ABCDEFGH.js'), 'console.log(1);');
  await writeFile(join(dir, 'assets', 'app-ABCDEFGH.js.map'), '{"version":3}');
  await writeFile(join(dir, 'assets', 'app-IJKLMNOP.css'), 'body{margin:0}');
}

describe('when the page is built', () => {
  beforeEach(writeBuiltPage);

  test('when GET /, then index.html comes back with the security headers and no long cache', async () => {
    const res = await (await serve()).inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(WEB_CONTENT_SECURITY_POLICY);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  test('when GET a hashed asset, then it has its content type and an immutable cache', async () => {
    const server = await serve();
    const js = await server.inject({ method: 'GET', url: '/assets/app-ABCDEFGH.js' });
    const css = await server.inject({ method: 'GET', url: '/assets/app-IJKLMNOP.css' });
    const map = await server.inject({ method: 'GET', url: '/assets/app-ABCDEFGH.js.map' });
    expect([js.statusCode, css.statusCode, map.statusCode]).toEqual([200, 200, 200]);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(map.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect(css.body).toBe('body{margin:0}');
  });

  test('when the ETag is sent back, then the answer is 304 without a body', async () => {
    const server = await serve();
    const first = await server.inject({ method: 'GET', url: '/' });
    const etag = String(first.headers.etag);
    const again = await server.inject({ method: 'GET', url: '/', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  test('when a path leaves the directory or names an unknown file, then it is 404', async () => {
    await writeFile(join(root, 'outside.txt'), 'secret');
    const server = await serve();
    const urls = [
      '/assets/../../outside.txt',
      '/assets/%2e%2e/%2e%2e/outside.txt',
      '/..%2foutside.txt',
      '/%2e%2e/outside.txt',
      '/assets/missing.js',
      '/index.html',
    ];
    for (const url of urls) {
      const res = await server.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('secret');
    }
  });

  test('when a file appears after start-up, then it is not served', async () => {
    const server = await serve();
    await writeFile(join(dir, 'assets', 'late.js'), 'late');
    const res = await server.inject({ method: 'GET', url: '/assets/late.js' });
    expect(res.statusCode).toBe(404);
  });
});

describe('when the page is not built', () => {
  test('when the directory has no index.html, then GET / is a JSON 503 saying how to build it', async () => {
    await mkdir(join(dir, 'assets'), { recursive: true });
    await writeFile(join(dir, 'assets', 'app.js'), 'stale');
    const res = await (await serve()).inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: { code: 'WEB_NOT_BUILT', message: 'run npm run build:web' } });
    expect((await app!.inject({ method: 'GET', url: '/assets/app.js' })).statusCode).toBe(404);
  });

  test('when the directory does not exist, then GET / is the same 503', async () => {
    const res = await (await serve()).inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('WEB_NOT_BUILT');
  });
});
