/**
 * The document store on a real file system: what lands on disk is sealed, reads verify the content,
 * keys rotate, and destroying a data key (crypto-shredding) leaves nothing readable behind.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FsDocumentStore } from '../../src/adapters/fs-document-store.js';
import { DocumentNotFoundError, UnreadableDocumentError } from '../../src/domain/errors.js';
import { EnvelopeError } from '../../src/security/envelope.js';
import type { Keyring } from '../../src/security/keyring.js';
import { testKeyring } from '../support/master-keys.js';

const MARKER = 'ZXQ-DISTINCTIVE-APPLICANT-Wilhelmina-Quartermaine-19770311';
const DOCUMENT = Buffer.from(`%PDF-1.4 fake statement for ${MARKER} account 12345678`, 'utf8');

let dir: string;
let keyring: Keyring;
let store: FsDocumentStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kyc-store-'));
  keyring = testKeyring(['k1']);
  store = new FsDocumentStore(dir, keyring);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('FsDocumentStore encryption at rest', () => {
  test('when a document and its extracted text are stored, then no file under the store holds the plaintext, and both read back', async () => {
    const ref = await store.putDocument(DOCUMENT, 'statement.pdf');
    await store.putJson(`text/${ref.id}.json`, { pages: [{ text: `Name: ${MARKER}` }] });
    const files = await filesUnder(dir);
    expect(files.length).toBe(4); // content + key, for the document and for the text
    for (const file of files) {
      const bytes = await readFile(file);
      expect(bytes.includes(Buffer.from(MARKER)), file).toBe(false);
      expect(bytes.includes(Buffer.from('Wilhelmina')), file).toBe(false);
      expect(((await stat(file)).mode & 0o077).toString(8), file).toBe('0');
    }
    expect(Buffer.from(await store.getDocument(ref.id))).toEqual(DOCUMENT);
    expect(await store.getJson(`text/${ref.id}.json`)).toEqual({ pages: [{ text: `Name: ${MARKER}` }] });
  });

  test('when the same document is stored twice, then it keeps one data key and one unchanged ciphertext', async () => {
    const first = await store.putDocument(DOCUMENT, 'a.pdf');
    const before = (await filesUnder(dir)).sort();
    const snapshot = await Promise.all(before.map((f) => readFile(f)));
    const second = await store.putDocument(DOCUMENT, 'b.pdf');
    expect(second.id).toBe(first.id);
    const after = (await filesUnder(dir)).sort();
    expect(after).toEqual(before);
    expect(await Promise.all(after.map((f) => readFile(f)))).toEqual(snapshot);
  });

  test('when two writers store the same document at once, then both agree on one key and it reads back', async () => {
    const refs = await Promise.all(Array.from({ length: 8 }, () => store.putDocument(DOCUMENT, 'x.pdf')));
    expect(new Set(refs.map((r) => r.id)).size).toBe(1);
    expect(Buffer.from(await store.getDocument(refs[0]!.id))).toEqual(DOCUMENT);
  });

  test('when the store is opened with another master key, then the document is unreadable', async () => {
    const { id } = await store.putDocument(DOCUMENT, 'a.pdf');
    const stranger = new FsDocumentStore(dir, testKeyring(['k1'])); // same id, other bytes
    expect(await rejection(stranger.getDocument(id))).toBeInstanceOf(UnreadableDocumentError);
    const unknown = new FsDocumentStore(dir, testKeyring(['k9']));
    const err = await rejection(unknown.getDocument(id));
    expect(err).toBeInstanceOf(EnvelopeError);
    expect((err as EnvelopeError).reason).toBe('unknown-master-key');
  });

  test('when the master key rotates, then documents written before still read and new ones use the new key', async () => {
    const old = await store.putDocument(DOCUMENT, 'old.pdf');
    const rotated: Keyring = { activeKeyId: 'k2', keys: new Map([...keyring.keys, ['k2', testKeyring(['k2']).keys.get('k2')!]]) };
    const after = new FsDocumentStore(dir, rotated);
    expect(Buffer.from(await after.getDocument(old.id))).toEqual(DOCUMENT);
    const fresh = await after.putDocument(Buffer.from('a new document'), 'new.pdf');
    const keyFile = JSON.parse(await readFile(join(dir, 'keys', 'documents', fresh.id.slice(0, 2), `${fresh.id}.key`), 'utf8'));
    expect(keyFile.kid).toBe('k2');
    expect(Buffer.from(await after.getDocument(fresh.id)).toString()).toBe('a new document');
  });

  test('when a stored document is altered on disk, then reading fails its integrity check', async () => {
    const { id } = await store.putDocument(DOCUMENT, 'a.pdf');
    const path = join(dir, 'documents', id.slice(0, 2), id);
    const bytes = await readFile(path);
    bytes[bytes.length - 20]! ^= 0x01;
    await writeFile(path, bytes);
    const err = await rejection(store.getDocument(id));
    expect(err).toBeInstanceOf(UnreadableDocumentError);
    expect((err as Error).message).toContain('integrity');
  });

  test('when another document\'s sealed file and key are put under this id, then the sha256 check (and the bound name) refuse it', async () => {
    const a = await store.putDocument(DOCUMENT, 'a.pdf');
    const b = await store.putDocument(Buffer.from('another document'), 'b.pdf');
    await cp(join(dir, 'documents', b.id.slice(0, 2), b.id), join(dir, 'documents', a.id.slice(0, 2), a.id));
    await cp(join(dir, 'keys', 'documents', b.id.slice(0, 2), `${b.id}.key`), join(dir, 'keys', 'documents', a.id.slice(0, 2), `${a.id}.key`));
    expect(await rejection(store.getDocument(a.id))).toBeInstanceOf(UnreadableDocumentError);
  });

  test('when a plaintext file from before encryption is found, then it is refused, and storing the document again seals it', async () => {
    const id = sha256(DOCUMENT);
    await mkdir(join(dir, 'documents', id.slice(0, 2)), { recursive: true });
    await writeFile(join(dir, 'documents', id.slice(0, 2), id), DOCUMENT);
    const err = await rejection(store.getDocument(id));
    expect(err).toBeInstanceOf(UnreadableDocumentError);
    expect((err as Error).message).toContain('without encryption');
    await store.putDocument(DOCUMENT, 'again.pdf');
    expect((await readFile(join(dir, 'documents', id.slice(0, 2), id))).includes(Buffer.from(MARKER))).toBe(false);
    expect(Buffer.from(await store.getDocument(id))).toEqual(DOCUMENT);
  });
});

describe('FsDocumentStore crypto-shredding', () => {
  test('when a document\'s key is destroyed, then a surviving copy of its ciphertext can no longer be read', async () => {
    const { id } = await store.putDocument(DOCUMENT, 'a.pdf');
    const backup = await mkdtemp(join(tmpdir(), 'kyc-store-backup-'));
    try {
      await cp(join(dir, 'documents'), join(backup, 'documents'), { recursive: true }); // a backup of the content tree
      expect(await store.destroyKey({ kind: 'document', id })).toBe(true);
      const err = await rejection(store.getDocument(id));
      expect(err).toBeInstanceOf(DocumentNotFoundError);
      expect((err as Error).message).toContain('key was destroyed');
      // The backup restored next to the live keys: still nothing to decrypt it with.
      await cp(join(backup, 'documents'), join(dir, 'documents'), { recursive: true, force: true });
      expect(await rejection(store.getDocument(id))).toBeInstanceOf(DocumentNotFoundError);
    } finally {
      await rm(backup, { recursive: true, force: true });
    }
  });

  test('when a document and a blob are deleted, then their key and content files are gone, and deleting again is a no-op', async () => {
    const { id } = await store.putDocument(DOCUMENT, 'a.pdf');
    await store.putJson(`text/${id}.json`, { pages: [] });
    await store.putJson('cases/other.json', { keep: true });
    expect(await store.deleteDocument(id)).toBe(true);
    expect(await store.deleteJson(`text/${id}.json`)).toBe(true);
    const left = await filesUnder(dir);
    expect(left.filter((f) => f.includes(id))).toEqual([]);
    expect(left).toHaveLength(2); // cases/other.json and its key
    expect(await rejection(store.getDocument(id))).toBeInstanceOf(DocumentNotFoundError);
    expect(await rejection(store.getJson(`text/${id}.json`))).toBeInstanceOf(DocumentNotFoundError);
    expect(await store.deleteDocument(id)).toBe(false);
    expect(await store.deleteJson(`text/${id}.json`)).toBe(false);
    expect(await store.getJson('cases/other.json')).toEqual({ keep: true });
  });

  test('when a shredded document is submitted again, then it is stored under a new key and reads', async () => {
    const { id } = await store.putDocument(DOCUMENT, 'a.pdf');
    await store.destroyKey({ kind: 'document', id });
    await store.putDocument(DOCUMENT, 'a.pdf');
    expect(Buffer.from(await store.getDocument(id))).toEqual(DOCUMENT);
  });
});
