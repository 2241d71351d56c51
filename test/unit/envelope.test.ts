import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  EnvelopeError,
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
  SEALED_HEADER_BYTES,
  type MasterKeys,
} from '../../src/security/envelope.js';

function ring(active: string, keys: Record<string, Buffer>): MasterKeys {
  return { activeKeyId: active, keys: new Map(Object.entries(keys)) };
}

function failure(fn: () => unknown): EnvelopeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EnvelopeError);
    return err as EnvelopeError;
  }
  throw new Error('expected an EnvelopeError');
}

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const PLAIN = Buffer.from('PASSPORT P<GBRDOE<<JANE<<<<<<<<< 1990-04-12', 'utf8');

describe('envelope encryption', () => {
  test('when content is sealed under a wrapped data key, then it opens to the same bytes and the ciphertext hides it', () => {
    const keys = ring('k1', { k1 });
    const dataKey = createDataKey();
    const wrapped = parseWrappedKey(serialiseWrappedKey(wrapDataKey(dataKey, keys, 'document:abc')));
    expect(wrapped.kid).toBe('k1');
    const sealed = sealContent(PLAIN, dataKey, 'document:abc');
    expect(sealed.length).toBe(sealedLength(PLAIN.length));
    expect(isSealed(sealed)).toBe(true);
    expect(sealed.includes(Buffer.from('JANE'))).toBe(false);
    expect(isSealedUnder(sealed.subarray(0, SEALED_HEADER_BYTES), dataKey)).toBe(true);
    expect(isSealedUnder(sealed.subarray(0, SEALED_HEADER_BYTES), createDataKey())).toBe(false);
    expect(openContent(sealed, unwrapDataKey(wrapped, keys, 'document:abc'), 'document:abc')).toEqual(PLAIN);
  });

  test('when the same content is sealed twice, then the ciphertexts differ (fresh IV)', () => {
    const dataKey = createDataKey();
    expect(sealContent(PLAIN, dataKey, 'c').equals(sealContent(PLAIN, dataKey, 'c'))).toBe(false);
  });

  test('when the master key rotates, then keys wrapped before still unwrap and new ones use the new key', () => {
    const before = ring('k1', { k1 });
    const after = ring('k2', { k1, k2 });
    const dataKey = createDataKey();
    const old = wrapDataKey(dataKey, before, 'blob:text/x.json');
    expect(unwrapDataKey(old, after, 'blob:text/x.json')).toEqual(dataKey);
    const fresh = wrapDataKey(dataKey, after, 'blob:text/x.json');
    expect(fresh.kid).toBe('k2');
    expect(unwrapDataKey(fresh, after, 'blob:text/x.json')).toEqual(dataKey);
  });

  test('when the master key that wrapped a data key is gone from the ring, then unwrapping says which key is missing', () => {
    const wrapped = wrapDataKey(createDataKey(), ring('k1', { k1 }), 'c');
    const err = failure(() => unwrapDataKey(wrapped, ring('k2', { k2 }), 'c'));
    expect(err.reason).toBe('unknown-master-key');
    expect(err.message).toContain('k1');
  });

  test('when a master key of the same id has other bytes (wrong key), then unwrapping fails authentication', () => {
    const wrapped = wrapDataKey(createDataKey(), ring('k1', { k1 }), 'c');
    expect(failure(() => unwrapDataKey(wrapped, ring('k1', { k1: k2 }), 'c')).reason).toBe('tampered');
  });

  test('when a wrapped key is moved onto another object, then it does not unwrap there', () => {
    const keys = ring('k1', { k1 });
    const wrapped = wrapDataKey(createDataKey(), keys, 'document:aaa');
    expect(failure(() => unwrapDataKey(wrapped, keys, 'document:bbb')).reason).toBe('tampered');
  });

  test('when a bit of the wrapped key is flipped, then it does not unwrap', () => {
    const keys = ring('k1', { k1 });
    const wrapped = wrapDataKey(createDataKey(), keys, 'c');
    const body = Buffer.from(wrapped.key, 'base64');
    body[3]! ^= 0x01;
    expect(failure(() => unwrapDataKey({ ...wrapped, key: body.toString('base64') }, keys, 'c')).reason).toBe('tampered');
  });

  test('when any byte of sealed content is changed, then opening fails', () => {
    const dataKey = createDataKey();
    const sealed = sealContent(PLAIN, dataKey, 'c');
    for (const at of [10, SEALED_HEADER_BYTES - 1, SEALED_HEADER_BYTES + 5, sealed.length - 1]) {
      const altered = Buffer.from(sealed);
      altered[at]! ^= 0x80;
      expect(() => openContent(altered, dataKey, 'c'), `byte ${at}`).toThrow(EnvelopeError);
    }
    expect(failure(() => openContent(sealed.subarray(0, sealed.length - 1), dataKey, 'c')).reason).toBe('tampered');
  });

  test('when content is opened with another data key or under another name, then it fails', () => {
    const dataKey = createDataKey();
    const sealed = sealContent(PLAIN, dataKey, 'document:a');
    expect(failure(() => openContent(sealed, createDataKey(), 'document:a')).reason).toBe('tampered');
    expect(failure(() => openContent(sealed, dataKey, 'document:b')).reason).toBe('tampered');
  });

  test('when bytes carry no envelope header, then they are reported as not sealed', () => {
    expect(isSealed(PLAIN)).toBe(false);
    expect(failure(() => openContent(PLAIN, createDataKey(), 'c')).reason).toBe('not-sealed');
  });

  test('when a wrapped key file is not a v1 key, then parsing says so', () => {
    expect(failure(() => parseWrappedKey(Buffer.from('not json'))).reason).toBe('malformed');
    expect(failure(() => parseWrappedKey(Buffer.from('{"v":2}'))).reason).toBe('malformed');
  });

  test('when a wrapped key is serialised, then it carries no plaintext key material', () => {
    const dataKey = createDataKey();
    const text = serialiseWrappedKey(wrapDataKey(dataKey, ring('k1', { k1 }), 'c')).toString('utf8');
    expect(text).not.toContain(dataKey.toString('base64'));
    expect(text).not.toContain(k1.toString('base64'));
  });
});
