/**
 * Master keys (AES-256) for Temporal payloads, and for anything else the engine encrypts under a
 * master key. `activeKeyId` encrypts; every key in `keys` still decrypts, so rotation is "add a new
 * key as active, keep the old ones until nothing encrypted under them is left".
 *
 * Sources, in order: `KYC_MASTER_KEYS` (`k2:base64,k1:base64`, first = active), `KYC_KEY_FILE`
 * (JSON `{ "active": "k2", "keys": { "k1": "<base64>", "k2": "<base64>" } }`, mode 0600 or
 * stricter), else the embedded default: `$KYC_DATA_DIR/keys/master-keys.json`, made on first use.
 * A cluster (TEMPORAL_ADDRESS) never gets the default: its processes must share keys given to them.
 * Errors name the source and the problem, never key material.
 */
import { randomBytes } from 'node:crypto';
import { link, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { ConfigError } from '../domain/errors.js';
import { writePrivateTemp } from './file-modes.js';

export interface Keyring {
  activeKeyId: string;
  /** Key id → 32-byte key. */
  keys: Map<string, Buffer>;
}

export type KeyringConfig = Pick<Config, 'dataDir' | 'masterKeys'> & { temporal: Pick<Config['temporal'], 'address'> };

export const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Where the embedded default keeps its keys. */
export function defaultKeyFile(dataDir: string): string {
  return join(dataDir, 'keys', 'master-keys.json');
}

export async function loadKeyring(config: KeyringConfig): Promise<Keyring> {
  const { inline, file } = config.masterKeys;
  if (inline && file) throw new ConfigError(['KYC_MASTER_KEYS, KYC_KEY_FILE: set one of them, not both']);
  if (inline) return parseKeyList(inline);
  if (file) return readKeyFile(file, 'KYC_KEY_FILE');
  if (config.temporal.address) {
    throw new ConfigError(['KYC_KEY_FILE or KYC_MASTER_KEYS: required with TEMPORAL_ADDRESS (a cluster is given its payload keys explicitly)']);
  }
  return loadOrCreateDefault(defaultKeyFile(config.dataDir));
}

/** `KYC_MASTER_KEYS`: `id:base64` pairs separated by commas, the active key first. */
export function parseKeyList(value: string): Keyring {
  const entries = value.split(',').map((pair, i) => {
    const colon = pair.indexOf(':');
    if (colon < 0) throw new ConfigError([`KYC_MASTER_KEYS: entry ${i + 1} is not id:base64`]);
    return [pair.slice(0, colon).trim(), pair.slice(colon + 1).trim()] as const;
  });
  return buildKeyring('KYC_MASTER_KEYS', entries[0]![0], entries);
}

/** Reads a key file, refusing one that other users can read or write. */
export async function readKeyFile(path: string, source: string): Promise<Keyring> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new ConfigError([`${source}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  if (!info.isFile()) throw new ConfigError([`${source}: ${path} is not a regular file`]);
  if ((info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    throw new ConfigError([`${source}: ${path} has mode ${mode}; master keys must be readable by their owner only (chmod 600 ${path})`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new ConfigError([`${source}: ${path} is not valid JSON`]);
  }
  if (!isKeyFileJson(parsed)) {
    throw new ConfigError([`${source}: ${path} must hold { "active": "<id>", "keys": { "<id>": "<base64 of 32 bytes>" } }`]);
  }
  return buildKeyring(`${source} ${path}`, parsed.active, Object.entries(parsed.keys));
}

interface KeyFileJson {
  active: string;
  keys: Record<string, string>;
}

function isKeyFileJson(value: unknown): value is KeyFileJson {
  if (typeof value !== 'object' || value === null) return false;
  const { active, keys } = value as Record<string, unknown>;
  return (
    typeof active === 'string' &&
    typeof keys === 'object' &&
    keys !== null &&
    !Array.isArray(keys) &&
    Object.values(keys).every((k) => typeof k === 'string')
  );
}

function buildKeyring(source: string, activeKeyId: string, entries: ReadonlyArray<readonly [string, string]>): Keyring {
  const keys = new Map<string, Buffer>();
  const problems: string[] = [];
  for (const [id, b64] of entries) {
    if (!KEY_ID.test(id)) problems.push(`${source}: key id "${id.slice(0, 64)}" must match ${KEY_ID.source}`);
    else if (keys.has(id)) problems.push(`${source}: key id ${id} appears twice`);
    else if (!BASE64.test(b64) || Buffer.from(b64, 'base64').length !== KEY_BYTES) {
      problems.push(`${source}: key ${id} must be ${KEY_BYTES} random bytes in base64 (e.g. openssl rand -base64 32)`);
    } else keys.set(id, Buffer.from(b64, 'base64'));
  }
  if (entries.length === 0) problems.push(`${source}: no keys`);
  else if (!entries.some(([id]) => id === activeKeyId)) problems.push(`${source}: the active key ${activeKeyId} is not among the keys`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { activeKeyId, keys };
}

/** A fresh key id: the creation date and random hex, e.g. `k-20261122-9f3a61c2`. */
export function newKeyId(now = new Date()): string {
  return `k-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`;
}

/**
 * The embedded default: reuse the key file, or make one with a random key. The file is written
 * aside and hard-linked into place, so a concurrent process sees a whole file or none.
 */
async function loadOrCreateDefault(path: string): Promise<Keyring> {
  const source = 'default key file';
  try {
    return await readKeyFile(path, source);
  } catch (err) {
    if (!(err instanceof ConfigError) || !(await isMissing(path))) throw err;
  }
  const id = newKeyId();
  const body = JSON.stringify({ active: id, keys: { [id]: randomBytes(KEY_BYTES).toString('base64') } }, null, 2) + '\n';
  const temp = await writePrivateTemp(path, body);
  try {
    await link(temp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process made it first: use theirs
  } finally {
    await unlink(temp).catch(() => {});
  }
  return readKeyFile(path, source);
}

async function isMissing(path: string): Promise<boolean> {
  return stat(path).then(
    () => false,
    (err: NodeJS.ErrnoException) => err.code === 'ENOENT',
  );
}
