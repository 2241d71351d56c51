import { randomBytes } from 'node:crypto';
import type { Keyring } from '../../src/security/keyring.js';

/** A keyring of fresh random master keys for tests; the first id is active. */
export function testKeyring(ids: string[] = ['test-k1']): Keyring {
  return { activeKeyId: ids[0]!, keys: new Map(ids.map((id) => [id, randomBytes(32)])) };
}
