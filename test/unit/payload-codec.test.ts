/**
 * The payload codec and the keyring, with no server: what reaches Temporal is ciphertext under the
 * active key, every key of the keyring still decrypts, and anything wrong fails loudly.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/domain/errors.js';
import { defaultKeyFile, loadKeyring, type Keyring } from '../../src/security/keyring.js';
import { createDataConverter, EncryptionCodec, FAILURE_CONVERTER_PATH, PayloadCodecError } from '../../src/security/payload-codec.js';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const keyring = (activeKeyId: string, keys: Record<string, Buffer>): Keyring => ({ activeKeyId, keys: new Map(Object.entries(keys)) });
const text = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? []).toString('utf8');
const SECRET = { fullName: 'Wilhelmina Quarrington-Fitch', iban: 'GB33BUKB20201555555555' };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kyc-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the payload codec', () => {
  test('when a payload is encoded, then it is ciphertext under the active key and decodes back to the same payload', async () => {
    const codec = new EncryptionCodec(keyring('k1', { k1 }));
    const original = defaultPayloadConverter.toPayload(SECRET);
    const [encoded] = await codec.encode([original]);
    expect(text(encoded!.metadata!.encoding)).toBe('binary/encrypted');
    expect(text(encoded!.metadata!['encryption-key-id'])).toBe('k1');
    expect(Object.keys(encoded!.metadata!)).toEqual(['encoding', 'encryption-key-id']); // json/plain is hidden too
    expect(text(encoded!.data)).not.toContain('Quarrington');
    expect(Buffer.from(encoded!.data!).toString('base64')).not.toContain(Buffer.from('Quarrington').toString('base64'));

    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(SECRET);
    expect(text(decoded!.metadata!.encoding)).toBe('json/plain');
  });

  test('when the same payload is encoded twice, then the IVs and ciphertexts differ', async () => {
    const codec = new EncryptionCodec(keyring('k1', { k1 }));
    const payload = defaultPayloadConverter.toPayload(SECRET);
    const [a, b] = await codec.encode([payload, payload]);
    expect(Buffer.from(a!.data!).subarray(0, 12).equals(Buffer.from(b!.data!).subarray(0, 12))).toBe(false);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  test('when k2 becomes active, then payloads encoded under k1 still decode and new ones use k2', async () => {
    const [underK1] = await new EncryptionCodec(keyring('k1', { k1 })).encode([defaultPayloadConverter.toPayload(SECRET)]);
    const rotated = new EncryptionCodec(keyring('k2', { k2, k1 }));
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([underK1!]))[0]!)).toEqual(SECRET);
    const [underK2] = await rotated.encode([defaultPayloadConverter.toPayload(SECRET)]);
    expect(text(underK2!.metadata!['encryption-key-id'])).toBe('k2');
  });

  test('when the key id is unknown, then decoding fails and names the key', async () => {
    const [underK1] = await new EncryptionCodec(keyring('k1', { k1 })).encode([defaultPayloadConverter.toPayload(SECRET)]);
    const err = await new EncryptionCodec(keyring('k2', { k2 })).decode([underK1!]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadCodecError);
    expect(err).toMatchObject({ code: 'UNKNOWN_KEY' });
    expect((err as Error).message).toContain('"k1"');
  });

  test('when a ciphertext byte, the tag, the IV or the key id is altered, then decoding fails', async () => {
    const codec = new EncryptionCodec(keyring('k1', { k1, k2 }));
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload(SECRET)]);
    const flip = (at: (length: number) => number): Payload => {
      const data = Buffer.from(encoded!.data!);
      data[at(data.length)]! ^= 0x01;
      return { metadata: encoded!.metadata!, data };
    };
    for (const tampered of [
      flip(() => 20), // ciphertext
      flip((n) => n - 1), // tag
      flip(() => 0), // IV
      { metadata: { ...encoded!.metadata!, 'encryption-key-id': Buffer.from('k2') }, data: encoded!.data! }, // swapped key id
      { metadata: encoded!.metadata!, data: Buffer.from(encoded!.data!).subarray(0, 20) }, // truncated
    ]) {
      const err = await codec.decode([tampered]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PayloadCodecError);
      expect((err as PayloadCodecError).code).toMatch(/TAMPERED|MALFORMED/);
    }
  });

  test('when a payload is not encrypted (a history from before encryption), then it passes through unchanged', async () => {
    const codec = new EncryptionCodec(keyring('k1', { k1 }));
    const plain = defaultPayloadConverter.toPayload({ caseId: 'c-1' });
    const empty: Payload = { metadata: { encoding: Buffer.from('binary/null') } };
    const decoded = await codec.decode([plain, empty]);
    expect(decoded[0]).toBe(plain);
    expect(decoded[1]).toBe(empty);
  });

  test('the data converter encrypts failures too: its failure converter encodes messages and stack traces', () => {
    const converter = createDataConverter(keyring('k1', { k1 }));
    expect(converter.payloadCodecs).toHaveLength(1);
    expect(converter.failureConverterPath).toBe(FAILURE_CONVERTER_PATH);
    const { failureConverter } = createRequire(import.meta.url)(FAILURE_CONVERTER_PATH) as {
      failureConverter: { errorToFailure(err: unknown, pc: typeof defaultPayloadConverter): { message?: string; stackTrace?: string; encodedAttributes?: Payload } };
    };
    const failure = failureConverter.errorToFailure(new Error(`no account for ${SECRET.fullName}`), defaultPayloadConverter);
    expect(failure.message).not.toContain('Quarrington');
    expect(failure.stackTrace ?? '').not.toContain('Quarrington');
    expect(text(failure.encodedAttributes?.data)).toContain('Quarrington'); // then encrypted by the codec
  });
});

describe('the keyring', () => {
  const base = (env: NodeJS.ProcessEnv) => loadConfig({ KYC_DATA_DIR: dir, ...env });

  test('when KYC_MASTER_KEYS lists k2 then k1, then k2 is active and both decrypt', async () => {
    const ring = await loadKeyring(base({ KYC_MASTER_KEYS: `k2:${k2.toString('base64')},k1:${k1.toString('base64')}` }));
    expect(ring.activeKeyId).toBe('k2');
    expect([...ring.keys.keys()]).toEqual(['k2', 'k1']);
    expect(ring.keys.get('k1')!.equals(k1)).toBe(true);
  });

  test('when a key is not 32 bytes, then loading fails without echoing the key', async () => {
    const short = randomBytes(16).toString('base64');
    const err = await loadKeyring(base({ KYC_MASTER_KEYS: `k1:${short}` })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('32 random bytes');
    expect((err as Error).message).not.toContain(short);
  });

  test('when the key file is readable by others, then it is refused with a clear message; at 0600 it loads', async () => {
    const file = join(dir, 'keys.json');
    await writeFile(file, JSON.stringify({ active: 'k2', keys: { k1: k1.toString('base64'), k2: k2.toString('base64') } }));
    for (const mode of [0o644, 0o640, 0o604, 0o660]) {
      await chmod(file, mode);
      const err = await loadKeyring(base({ KYC_KEY_FILE: file })).catch((e: unknown) => e);
      expect(err, mode.toString(8)).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain(`mode 0${mode.toString(8)}`);
      expect((err as Error).message).toContain('chmod 600');
    }
    await chmod(file, 0o600);
    const ring = await loadKeyring(base({ KYC_KEY_FILE: file }));
    expect(ring.activeKeyId).toBe('k2');
    expect(ring.keys.size).toBe(2);
    await chmod(file, 0o400);
    expect((await loadKeyring(base({ KYC_KEY_FILE: file }))).activeKeyId).toBe('k2');
  });

  test('when the key file names an active key it does not hold, then it is refused', async () => {
    const file = join(dir, 'bad-active.json');
    await writeFile(file, JSON.stringify({ active: 'k9', keys: { k1: k1.toString('base64') } }), { mode: 0o600 });
    await expect(loadKeyring(base({ KYC_KEY_FILE: file }))).rejects.toThrow(/active key k9/);
  });

  test('when no keys are configured, then the embedded default makes a 0600 key file once and reuses it', async () => {
    const dataDir = join(dir, 'data');
    const config = loadConfig({ KYC_DATA_DIR: dataDir });
    const [first, concurrent] = await Promise.all([loadKeyring(config), loadKeyring(config)]);
    expect(first.activeKeyId).toMatch(/^k-\d{8}-[0-9a-f]{8}$/);
    expect(concurrent.activeKeyId).toBe(first.activeKeyId);
    const file = defaultKeyFile(dataDir);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).active).toBe(first.activeKeyId);
    const again = await loadKeyring(config);
    expect(again.keys.get(again.activeKeyId)!.equals(first.keys.get(first.activeKeyId)!)).toBe(true);
  });

  test('when TEMPORAL_ADDRESS is set without keys, then the configuration is refused', () => {
    expect(() => loadConfig({ KYC_DATA_DIR: dir, TEMPORAL_ADDRESS: 'temporal:7233' })).toThrow(/KYC_KEY_FILE or KYC_MASTER_KEYS: required with TEMPORAL_ADDRESS/);
    expect(() => loadConfig({ KYC_DATA_DIR: dir, KYC_MASTER_KEYS: 'k1:abc', KYC_KEY_FILE: '/x' })).toThrow(/not both/);
    expect(() => loadConfig({ KYC_DATA_DIR: dir, KYC_MASTER_KEYS: 'no-colon-here' })).toThrow(/id:base64/);
  });
});
