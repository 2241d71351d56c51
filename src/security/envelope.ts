/**
 * Envelope encryption for data at rest. Every stored object gets its own random 256-bit data key;
 * the content is sealed with AES-256-GCM under that key, and the data key is wrapped (AES-256-GCM)
 * under the active master key. The wrapped key records which master key wrapped it, so objects
 * written before a rotation still open. Destroying the wrapped data key makes the content unreadable
 * for good (crypto-shredding), wherever copies of the ciphertext survive.
 *
 * Both layers bind a context string (the object's name in the store) as additional authenticated
 * data: a wrapped key or a ciphertext moved onto another object's name does not open.
 * Pure apart from randomness: no I/O, no config.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** Master keys by id; `activeKeyId` wraps new data keys. `Keyring` (src/security/keyring.ts) is one. */
export interface MasterKeys {
  readonly activeKeyId: string;
  readonly keys: ReadonlyMap<string, Uint8Array>;
}

/** A data key wrapped under a master key: what the store keeps beside the content, as JSON. */
export interface WrappedDataKey {
  v: 1;
  alg: 'A256GCM';
  /** Id of the master key that wrapped it. */
  kid: string;
  /** base64 of the 12-byte IV. */
  iv: string;
  /** base64 of the encrypted data key followed by its 16-byte tag. */
  key: string;
}

export type EnvelopeFailure = 'unknown-master-key' | 'tampered' | 'malformed' | 'not-sealed';

/** Why an envelope could not be opened. Messages name ids and reasons, never key material. */
export class EnvelopeError extends Error {
  override name = 'EnvelopeError';
  constructor(
    readonly reason: EnvelopeFailure,
    message: string,
  ) {
    super(message);
  }
}

export const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_CHECK_BYTES = 8;
/** Sealed content starts with this; a file without it was not written by this code. */
const MAGIC = Buffer.from('KYC-ENC1', 'ascii');
const HEADER_BYTES = MAGIC.length + KEY_CHECK_BYTES + IV_BYTES;

/** A fresh random data key. */
export function createDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

/** Wraps `dataKey` under the active master key, bound to `context`. */
export function wrapDataKey(dataKey: Uint8Array, masterKeys: MasterKeys, context: string): WrappedDataKey {
  if (dataKey.byteLength !== DATA_KEY_BYTES) throw new EnvelopeError('malformed', `a data key has ${DATA_KEY_BYTES} bytes`);
  const kid = masterKeys.activeKeyId;
  const master = masterKey(masterKeys, kid);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', master, iv);
  cipher.setAAD(wrapAad(kid, context));
  const encrypted = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
  return { v: 1, alg: 'A256GCM', kid, iv: iv.toString('base64'), key: encrypted.toString('base64') };
}

/** The data key inside `wrapped`, opened with the master key it names (any key of the ring). */
export function unwrapDataKey(wrapped: WrappedDataKey, masterKeys: MasterKeys, context: string): Buffer {
  const master = masterKey(masterKeys, wrapped.kid);
  const iv = Buffer.from(wrapped.iv, 'base64');
  const body = Buffer.from(wrapped.key, 'base64');
  if (iv.length !== IV_BYTES || body.length !== DATA_KEY_BYTES + TAG_BYTES) {
    throw new EnvelopeError('malformed', 'the wrapped data key has the wrong size');
  }
  const decipher = createDecipheriv('aes-256-gcm', master, iv);
  decipher.setAAD(wrapAad(wrapped.kid, context));
  decipher.setAuthTag(body.subarray(DATA_KEY_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, DATA_KEY_BYTES)), decipher.final()]);
  } catch {
    throw new EnvelopeError('tampered', `the wrapped data key failed authentication under master key ${wrapped.kid}`);
  }
}

/** The wrapped key as stored: one line of JSON. */
export function serialiseWrappedKey(wrapped: WrappedDataKey): Buffer {
  return Buffer.from(`${JSON.stringify(wrapped)}\n`, 'utf8');
}

export function parseWrappedKey(bytes: Uint8Array): WrappedDataKey {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new EnvelopeError('malformed', 'the wrapped data key is not JSON');
  }
  const w = value as Partial<WrappedDataKey> | null;
  if (
    typeof w !== 'object' ||
    w === null ||
    w.v !== 1 ||
    w.alg !== 'A256GCM' ||
    typeof w.kid !== 'string' ||
    typeof w.iv !== 'string' ||
    typeof w.key !== 'string'
  ) {
    throw new EnvelopeError('malformed', 'the wrapped data key is not a v1 A256GCM key');
  }
  return { v: 1, alg: 'A256GCM', kid: w.kid, iv: w.iv, key: w.key };
}

/**
 * `MAGIC | key check (8) | IV (12) | ciphertext | tag (16)`. The key check is an HMAC of the data
 * key: it tells which data key sealed the content without trying to decrypt it.
 */
export function sealContent(plaintext: Uint8Array, dataKey: Uint8Array, context: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const header = Buffer.concat([MAGIC, dataKeyCheck(dataKey), iv]);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(contentAad(header, context));
  return Buffer.concat([header, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** The plaintext of sealed content; throws EnvelopeError when it is not sealed, altered, or under another key. */
export function openContent(sealed: Uint8Array, dataKey: Uint8Array, context: string): Buffer {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (!isSealed(bytes)) throw new EnvelopeError('not-sealed', 'the content is not sealed (no envelope header)');
  if (bytes.length < HEADER_BYTES + TAG_BYTES) throw new EnvelopeError('malformed', 'the sealed content is truncated');
  const header = bytes.subarray(0, HEADER_BYTES);
  if (!header.subarray(MAGIC.length, MAGIC.length + KEY_CHECK_BYTES).equals(dataKeyCheck(dataKey))) {
    throw new EnvelopeError('tampered', 'the content was sealed under another data key');
  }
  const decipher = createDecipheriv('aes-256-gcm', dataKey, header.subarray(MAGIC.length + KEY_CHECK_BYTES));
  decipher.setAAD(contentAad(header, context));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new EnvelopeError('tampered', 'the sealed content failed authentication');
  }
}

export function isSealed(bytes: Uint8Array): boolean {
  return bytes.byteLength >= MAGIC.length && Buffer.from(bytes.buffer, bytes.byteOffset, MAGIC.length).equals(MAGIC);
}

/** Size of the sealed form of `plainBytes` bytes. */
export function sealedLength(plainBytes: number): number {
  return HEADER_BYTES + plainBytes + TAG_BYTES;
}

/** Bytes of the header to read to call `isSealedUnder`. */
export const SEALED_HEADER_BYTES = HEADER_BYTES;

/** True when `header` (the first SEALED_HEADER_BYTES of sealed content) was sealed under `dataKey`. */
export function isSealedUnder(header: Uint8Array, dataKey: Uint8Array): boolean {
  const bytes = Buffer.from(header.buffer, header.byteOffset, header.byteLength);
  return isSealed(bytes) && bytes.length >= MAGIC.length + KEY_CHECK_BYTES && bytes.subarray(MAGIC.length, MAGIC.length + KEY_CHECK_BYTES).equals(dataKeyCheck(dataKey));
}

function dataKeyCheck(dataKey: Uint8Array): Buffer {
  return createHmac('sha256', dataKey).update('kyc-data-key-check/v1').digest().subarray(0, KEY_CHECK_BYTES);
}

function masterKey(masterKeys: MasterKeys, kid: string): Uint8Array {
  const key = masterKeys.keys.get(kid);
  if (!key) throw new EnvelopeError('unknown-master-key', `master key ${kid} is not in the keyring`);
  if (key.byteLength !== DATA_KEY_BYTES) throw new EnvelopeError('malformed', `master key ${kid} does not have ${DATA_KEY_BYTES} bytes`);
  return key;
}

function wrapAad(kid: string, context: string): Buffer {
  return Buffer.from(`kyc-wrapped-data-key/v1\n${kid}\n${context}`, 'utf8');
}

function contentAad(header: Buffer, context: string): Buffer {
  return Buffer.concat([header, Buffer.from(`\n${context}`, 'utf8')]);
}
