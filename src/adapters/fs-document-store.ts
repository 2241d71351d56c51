import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DocumentRef } from '../domain/documents.js';
import { DocumentNotFoundError, InvalidInputError, UnreadableDocumentError } from '../domain/errors.js';
import type { DocumentStore, StoredObjectRef } from '../domain/ports.js';
import {
  EnvelopeError,
  SEALED_HEADER_BYTES,
  createDataKey,
  isSealed,
  isSealedUnder,
  openContent,
  parseWrappedKey,
  sealContent,
  sealedLength,
  serialiseWrappedKey,
  unwrapDataKey,
  wrapDataKey,
  type MasterKeys,
} from '../security/envelope.js';

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

/** Where one object lives: its sealed content, its wrapped data key, and the context both are bound to. */
interface ObjectPaths {
  content: string;
  key: string;
  context: string;
  /** For messages: `document <id>` or `blob <key>`. */
  label: string;
}

/**
 * Content-addressed documents under `<root>/documents/ab/<sha256>` and JSON blobs under
 * `<root>/blobs/<key>`, each sealed (AES-256-GCM) under its own data key; the data key, wrapped
 * under the active master key, lives apart under `<root>/keys/` (`documents/ab/<sha256>.key`,
 * `blobs/<key>.key`). Destroying that small file is crypto-shredding: the content, and any copy of
 * it in a backup of the content tree, can no longer be decrypted.
 *
 * Writes go to a temporary file and are renamed into place, so a crash never leaves a half-written
 * file behind a valid name. A data key is created once per object with an exclusive link, so two
 * writers of the same object (a retry racing its predecessor, two cases sharing a document) agree
 * on one key; content is written after its key, so a crash leaves at worst an unused key.
 *
 * Files without the envelope header (plaintext from before encryption at rest) are not read: they
 * fail as unreadable, and storing the same document again replaces them with the sealed form.
 */
export class FsDocumentStore implements DocumentStore {
  constructor(
    private readonly root: string,
    private readonly masterKeys: MasterKeys,
  ) {}

  async putDocument(bytes: Uint8Array, fileName: string): Promise<DocumentRef> {
    const id = sha256Hex(bytes);
    const paths = this.documentPaths(id);
    const dataKey = await this.ensureDataKey(paths);
    if (!(await isSealedFile(paths.content, dataKey, sealedLength(bytes.byteLength)))) {
      await atomicWrite(paths.content, sealContent(bytes, dataKey, paths.context));
    }
    return { id, fileName: sanitiseFileName(fileName), size: bytes.byteLength };
  }

  async getDocument(id: string): Promise<Uint8Array> {
    if (!DOC_ID.test(id)) throw new InvalidInputError('malformed document id');
    const bytes = await this.open(this.documentPaths(id));
    if (sha256Hex(bytes) !== id) throw new UnreadableDocumentError(`document ${id} failed its integrity check`);
    return bytes;
  }

  async putJson(key: string, value: unknown): Promise<void> {
    const paths = this.blobPaths(key);
    const dataKey = await this.ensureDataKey(paths);
    await atomicWrite(paths.content, sealContent(Buffer.from(JSON.stringify(value)), dataKey, paths.context));
  }

  async getJson<T>(key: string): Promise<T> {
    const bytes = await this.open(this.blobPaths(key));
    try {
      return JSON.parse(bytes.toString('utf8')) as T;
    } catch {
      throw new UnreadableDocumentError(`blob ${key} is not valid JSON`);
    }
  }

  async destroyKey(object: StoredObjectRef): Promise<boolean> {
    return removeFile(this.pathsOf(object).key);
  }

  async deleteDocument(id: string): Promise<boolean> {
    return this.delete({ kind: 'document', id });
  }

  async deleteJson(key: string): Promise<boolean> {
    return this.delete({ kind: 'json', key });
  }

  /** Key first: once it is gone the content is unreadable, even if removing the content fails. */
  private async delete(object: StoredObjectRef): Promise<boolean> {
    const paths = this.pathsOf(object);
    const destroyed = await removeFile(paths.key);
    const removed = await removeFile(paths.content);
    return destroyed || removed;
  }

  /** Reads, unwraps and decrypts; the errors keep the store's meanings (not found, unreadable). */
  private async open(paths: ObjectPaths): Promise<Buffer> {
    const sealed = await readFile(paths.content).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new DocumentNotFoundError(`${paths.label} not in store`);
      throw err;
    });
    if (!isSealed(sealed)) {
      throw new UnreadableDocumentError(`${paths.label} is stored without encryption (written before encryption at rest); store it again`);
    }
    const dataKey = await this.loadDataKey(paths);
    if (!dataKey) throw new DocumentNotFoundError(`${paths.label} not in store (its key was destroyed)`);
    try {
      return openContent(sealed, dataKey, paths.context);
    } catch (err) {
      if (err instanceof EnvelopeError) throw new UnreadableDocumentError(`${paths.label} failed its integrity check`);
      throw err;
    }
  }

  /**
   * The object's data key, or undefined when it has none. A master key missing from the ring is a
   * configuration problem (EnvelopeError, retryable); a key file that does not open is an integrity one.
   */
  private async loadDataKey(paths: ObjectPaths): Promise<Buffer | undefined> {
    let stored: Buffer;
    try {
      stored = await readFile(paths.key);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return unwrapDataKey(parseWrappedKey(stored), this.masterKeys, paths.context);
    } catch (err) {
      if (err instanceof EnvelopeError && err.reason !== 'unknown-master-key') {
        throw new UnreadableDocumentError(`the data key of ${paths.label} failed its integrity check`);
      }
      throw err;
    }
  }

  /** The existing data key, or a new one created exclusively (a concurrent writer's key wins). */
  private async ensureDataKey(paths: ObjectPaths): Promise<Buffer> {
    try {
      const existing = await this.loadDataKey(paths);
      if (existing) return existing;
    } catch (err) {
      // A key file that does not open protects nothing readable: replace it. A missing master key does not get that treatment.
      if (!(err instanceof UnreadableDocumentError)) throw err;
      await removeFile(paths.key);
    }
    const dataKey = createDataKey();
    const wrapped = serialiseWrappedKey(wrapDataKey(dataKey, this.masterKeys, paths.context));
    if (await createExclusive(paths.key, wrapped)) return dataKey;
    const winner = await this.loadDataKey(paths);
    if (!winner) throw new Error(`the data key of ${paths.label} vanished while it was being created`);
    return winner;
  }

  private pathsOf(object: StoredObjectRef): ObjectPaths {
    if (object.kind === 'document') {
      if (!DOC_ID.test(object.id)) throw new InvalidInputError('malformed document id');
      return this.documentPaths(object.id);
    }
    return this.blobPaths(object.key);
  }

  private documentPaths(id: string): ObjectPaths {
    return {
      content: join(this.root, 'documents', id.slice(0, 2), id),
      key: join(this.root, 'keys', 'documents', id.slice(0, 2), `${id}.key`),
      context: `document:${id}`,
      label: `document ${id}`,
    };
  }

  private blobPaths(key: string): ObjectPaths {
    if (!JSON_KEY.test(key) || key.includes('..')) throw new InvalidInputError(`malformed blob key`);
    return {
      content: join(this.root, 'blobs', key),
      key: join(this.root, 'keys', 'blobs', `${key}.key`),
      context: `blob:${key}`,
      label: `blob ${key}`,
    };
  }
}

/** True when the file is sealed content of the expected size under `dataKey` (so it need not be written again). */
async function isSealedFile(path: string, dataKey: Uint8Array, size: number): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return false;
  }
  try {
    if ((await handle.stat()).size !== size) return false;
    const header = Buffer.alloc(SEALED_HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, header.length, 0);
    return bytesRead === header.length && isSealedUnder(header, dataKey);
  } finally {
    await handle.close();
  }
}

/** Owner-only, flushed to disk before it takes the name: a lost key would lose the document. */
async function writeTemp(path: string, bytes: Uint8Array): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomUUID()}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return tmp;
}

async function atomicWrite(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = await writeTemp(path, bytes);
  try {
    await rename(tmp, path);
  } catch (err) {
    await removeFile(tmp);
    throw err;
  }
}

/** Creates `path` only if it does not exist (hard link of a complete temporary file). */
async function createExclusive(path: string, bytes: Uint8Array): Promise<boolean> {
  const tmp = await writeTemp(path, bytes);
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await removeFile(tmp);
  }
}

async function removeFile(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
