/**
 * Encryption of Temporal payloads: AES-256-GCM under the keyring's active key, one random 12-byte IV
 * per payload. The plaintext is the whole original Payload, protobuf-encoded, so its metadata
 * (encoding, message type) is hidden too. Wire format of `data`: IV (12) ‖ ciphertext ‖ tag (16);
 * the additional authenticated data is `kyc-payload-v1:<key id>`. Metadata says
 * `encoding: binary/encrypted` and `encryption-key-id: <id>`.
 *
 * Decoding picks the key by id, so payloads written before a rotation still decrypt; payloads that
 * are not `binary/encrypted` (histories recorded before encryption) pass through unchanged. An
 * unknown key id or a payload that fails authentication throws: never silently wrong data.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { Keyring } from './keyring.js';

const PayloadProto = proto.temporal.api.common.v1.Payload;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The failure converter module (see failure-converter.cjs): messages and stack traces become payloads. */
export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

export type PayloadCodecErrorCode = 'UNKNOWN_KEY' | 'TAMPERED' | 'MALFORMED';

/** A payload that cannot be decrypted. Its message names the key id at most, never content. */
export class PayloadCodecError extends Error {
  constructor(
    readonly code: PayloadCodecErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PayloadCodecError';
  }
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {
    if (!keyring.keys.has(keyring.activeKeyId)) throw new Error(`the active key ${keyring.activeKeyId} is not in the keyring`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.keyring.activeKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.keys.get(keyId)!, iv);
    cipher.setAAD(aad(keyId));
    const plaintext = PayloadProto.encode(payload).finish();
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(keyId) },
      data: new Uint8Array(Buffer.concat([iv, ciphertext, cipher.getAuthTag()])),
    };
  }

  private decrypt(payload: Payload): Payload {
    const rawKeyId = payload.metadata?.[KEY_ID_METADATA];
    if (!rawKeyId) throw new PayloadCodecError('MALFORMED', `an encrypted payload has no ${KEY_ID_METADATA}`);
    const keyId = Buffer.from(rawKeyId).toString('utf8');
    const key = this.keyring.keys.get(keyId);
    if (!key) {
      throw new PayloadCodecError('UNKNOWN_KEY', `a payload is encrypted under key "${keyId.slice(0, 64)}", which is not in the keyring (add it back: old keys must stay until their payloads are gone)`);
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadCodecError('MALFORMED', 'an encrypted payload is too short');
    let plaintext: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(aad(keyId));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      plaintext = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadCodecError('TAMPERED', `an encrypted payload (key ${keyId}) failed authentication: it was altered or is not ours`);
    }
    return PayloadProto.decode(plaintext);
  }
}

/**
 * The data converter of every client and worker: payloads encrypted by the codec, and failure
 * messages and stack traces moved into payloads so that they are encrypted as well.
 */
export function createDataConverter(keyring: Keyring): DataConverter & { payloadCodecs: [EncryptionCodec] } {
  return { payloadCodecs: [new EncryptionCodec(keyring)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && Buffer.from(encoding).toString('utf8') === ENCRYPTED_ENCODING;
}

function aad(keyId: string): Buffer {
  return Buffer.from(`kyc-payload-v1:${keyId}`, 'utf8');
}

function utf8(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, 'utf8'));
}
