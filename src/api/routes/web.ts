/**
 * The reviewers' and back-office web page: the static files `npm run build:web` writes to dist/web,
 * served at `/` (index.html) and at their relative paths (`/assets/app-<hash>.js`, …).
 *
 * The directory is listed and read into memory once, when the plugin registers: only those files get
 * routes, so no request path ever reaches the file system (no traversal, no file added later is served).
 * The page is public; the data it shows comes from the `/v1` API with the user's key.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

export interface WebRoutesOptions {
  /** The built page, normally `dist/web`. */
  dir: string;
}

export const WEB_CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

/** Names with a content hash never change content: cache them for a year. Everything else revalidates. */
const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
const REVALIDATE_CACHE = 'no-cache';
const HASHED_NAME = /-[A-Z0-9]{8,}\.[a-z0-9.]+$/;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

interface StaticFile {
  body: Buffer;
  contentType: string;
  cacheControl: string;
  etag: string;
}

export const webRoutes: FastifyPluginAsync<WebRoutesOptions> = async (app, { dir }) => {
  const files = await loadFiles(resolve(dir));

  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', WEB_CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });

  const index = files.get('index.html');
  if (!index) {
    app.get('/', async (_request, reply) =>
      reply
        .code(503)
        .header('cache-control', 'no-store')
        .send({ error: { code: 'WEB_NOT_BUILT', message: 'run npm run build:web' } }),
    );
    return;
  }

  app.get('/', async (request, reply) => sendFile(request, reply, index));
  for (const [path, file] of files) {
    if (path === 'index.html') continue;
    app.get(`/${path}`, async (request, reply) => sendFile(request, reply, file));
  }
};

function sendFile(request: FastifyRequest, reply: FastifyReply, file: StaticFile): FastifyReply {
  reply.header('cache-control', file.cacheControl).header('etag', file.etag);
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  return reply.code(200).header('content-type', file.contentType).send(file.body);
}

/** Every regular file under `root`, keyed by its `/`-separated relative path; empty when `root` is absent. */
async function loadFiles(root: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch (err) {
    if (isNotFound(err)) return files;
    throw err;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue; // symlinks are not followed
    const full = join(entry.parentPath, entry.name);
    const path = relative(root, full).split(sep).join('/');
    if (!isServablePath(path)) continue;
    const body = await readFile(full);
    files.set(path, {
      body,
      contentType: CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      cacheControl: path !== 'index.html' && HASHED_NAME.test(path) ? IMMUTABLE_CACHE : REVALIDATE_CACHE,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    });
  }
  return files;
}

/** Plain URL-safe segments only, no dot files: the path becomes a route as it is. */
function isServablePath(path: string): boolean {
  return path.split('/').every((segment) => /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(segment));
}

function isNotFound(err: unknown): boolean {
  return err instanceof Error && 'code' in err && (err.code === 'ENOENT' || err.code === 'ENOTDIR');
}
