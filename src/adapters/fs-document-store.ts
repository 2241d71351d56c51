import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DocumentRef } from '../domain/documents.js';
import { DocumentNotFoundError, InvalidInputError, UnreadableDocumentError } from '../domain/errors.js';
import type { DocumentStore } from '../domain/ports.js';

const DOC_ID = /^[0-9a-f]{64}$/;
const JSON_KEY = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/** Keeps only characters that are safe to show; the name is never used as a path. */
export function sanitiseFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.normalize('NFC').replace(/[^\p{L}\p{N}._ -]/gu, '_').replace(/^\.+/, '').slice(0, 128).trim();
  return clean || 'document';
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Content-addressed documents under `<root>/documents/ab/<sha256>` and JSON blobs under
 * `<root>/blobs/<key>`. Writes go to a temporary file and are renamed into place, so a crash
 * never leaves a half-written file behind a valid name.
 */
export class FsDocumentStore implements DocumentStore {
  constructor(private readonly root: string) {}

  async putDocument(bytes: Uint8Array, fileName: string): Promise<DocumentRef> {
    const id = sha256Hex(bytes);
    const path = this.documentPath(id);
    const exists = await stat(path).then((s) => s.size === bytes.byteLength, () => false);
    if (!exists) await atomicWrite(path, bytes);
    return { id, fileName: sanitiseFileName(fileName), size: bytes.byteLength };
  }

  async getDocument(id: string): Promise<Uint8Array> {
    if (!DOC_ID.test(id)) throw new InvalidInputError('malformed document id');
    let bytes: Buffer;
    try {
      bytes = await readFile(this.documentPath(id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new DocumentNotFoundError(`document ${id} not in store`);
      throw err;
    }
    if (sha256Hex(bytes) !== id) throw new UnreadableDocumentError(`document ${id} failed its integrity check`);
    return bytes;
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await atomicWrite(this.blobPath(key), Buffer.from(JSON.stringify(value)));
  }

  async getJson<T>(key: string): Promise<T> {
    try {
      return JSON.parse(await readFile(this.blobPath(key), 'utf8')) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new DocumentNotFoundError(`blob ${key} not in store`);
      throw err;
    }
  }

  private documentPath(id: string): string {
    return join(this.root, 'documents', id.slice(0, 2), id);
  }

  private blobPath(key: string): string {
    if (!JSON_KEY.test(key) || key.includes('..')) throw new InvalidInputError(`malformed blob key`);
    return join(this.root, 'blobs', key);
  }
}

async function atomicWrite(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}
