/**
 * The audit trail's MAC keys, derived from the master keyring (src/security/keyring.ts) with
 * HKDF-SHA256 under labels of their own: the key that seals records, and a second one that signs
 * checkpoints. Each derived key keeps the id of its master key, so rotation works as for payloads:
 * a new active master key seals new records, every key still in the ring verifies old ones, and a
 * key removed from the ring leaves the records it sealed unverifiable (reported, never trusted).
 * The database never holds a key; whoever holds the key file (or KYC_MASTER_KEYS) can forge.
 */
import { hkdfSync } from 'node:crypto';
import type { Keyring } from '../security/keyring.js';

export interface AuditKeys {
  activeKeyId: string;
  /** Key id → 32-byte HMAC key. */
  keys: ReadonlyMap<string, Buffer>;
}

export const AUDIT_CHAIN_LABEL = 'kyc-engine/audit-chain/v1';
export const AUDIT_CHECKPOINT_LABEL = 'kyc-engine/audit-checkpoint/v1';

export function deriveAuditKeys(keyring: Keyring, label: string = AUDIT_CHAIN_LABEL): AuditKeys {
  const keys = new Map<string, Buffer>();
  for (const [id, master] of keyring.keys) keys.set(id, Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), label, 32)));
  return { activeKeyId: keyring.activeKeyId, keys };
}

/** Both derived keyrings of one master keyring. */
export interface AuditKeyrings {
  chain: AuditKeys;
  checkpoint: AuditKeys;
}

export function auditKeyrings(keyring: Keyring): AuditKeyrings {
  return { chain: deriveAuditKeys(keyring, AUDIT_CHAIN_LABEL), checkpoint: deriveAuditKeys(keyring, AUDIT_CHECKPOINT_LABEL) };
}
