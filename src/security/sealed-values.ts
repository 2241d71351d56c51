/**
 * Envelope encryption of single values kept in a database column: the same scheme as the document
 * store (src/security/envelope.ts), one fresh data key per value, wrapped under the active master
 * key; both layers bound to a context that names the table, the column and the row, so a value
 * copied onto another row or column does not open.
 *
 * Stored form, one line of ASCII: `kyc-enc1:<kid>:<wrap IV>:<wrapped key>:<sealed content>` (base64
 * parts; the master key id in clear so that values under a retired key can be found). A value
 * without the prefix is not read: once the migration has sealed what was written before, a value in
 * clear can only have been planted by someone writing to the database directly.
 * Pure apart from randomness: no I/O, no config.
 */
import {
  EnvelopeError,
  createDataKey,
  openContent,
  sealContent,
  unwrapDataKey,
  wrapDataKey,
  type MasterKeys,
} from './envelope.js';

const PREFIX = 'kyc-enc1:';

export function isSealedValue(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

export function sealValue(plain: string, keys: MasterKeys, context: string): string {
  const dataKey = createDataKey();
  try {
    const wrapped = wrapDataKey(dataKey, keys, context);
    const sealed = sealContent(Buffer.from(plain, 'utf8'), dataKey, context);
    return `${PREFIX}${wrapped.kid}:${wrapped.iv}:${wrapped.key}:${sealed.toString('base64')}`;
  } finally {
    dataKey.fill(0);
  }
}

/** The plaintext of a sealed value; throws EnvelopeError when it is not sealed, altered, or moved. */
export function openValue(stored: string, keys: MasterKeys, context: string): string {
  if (!isSealedValue(stored)) throw new EnvelopeError('not-sealed', `the value of ${context} is not sealed`);
  const parts = stored.slice(PREFIX.length).split(':');
  if (parts.length !== 4) throw new EnvelopeError('malformed', `the sealed value of ${context} is malformed`);
  const [kid, iv, key, content] = parts as [string, string, string, string];
  const dataKey = unwrapDataKey({ v: 1, alg: 'A256GCM', kid, iv, key }, keys, context);
  try {
    return openContent(Buffer.from(content, 'base64'), dataKey, context).toString('utf8');
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Seals and opens the listed columns of rows, by table. `rowKey` names the column whose value
 * (the row's id) goes into the context. Without master keys, sealing and opening sealed values
 * throw: personal data is never written in clear for want of a key.
 */
export class ColumnSealer<Tables extends Record<string, { rowKey: string; columns: readonly string[] }>> {
  constructor(
    readonly tables: Tables,
    private readonly keys: MasterKeys | undefined,
  ) {}

  get hasKeys(): boolean {
    return this.keys !== undefined;
  }

  /** A copy of `row` with its sealed columns sealed (null and undefined stay as they are). */
  seal<R extends object>(table: keyof Tables & string, row: R): R {
    return this.map(table, row, (value, context) => (isSealedValue(value) ? value : sealValue(value, this.requireKeys(), context)));
  }

  /** A copy of `row` with its sealed columns opened; a value in clear there is refused (EnvelopeError). */
  open<R extends object>(table: keyof Tables & string, row: R): R {
    return this.map(table, row, (value, context) => openValue(value, this.requireKeys(), context));
  }

  /** True when a sealed column of `row` holds a value not sealed yet. */
  needsSealing(table: keyof Tables & string, row: object): boolean {
    const values = row as Record<string, unknown>;
    return this.tables[table]!.columns.some((c) => typeof values[c] === 'string' && !isSealedValue(values[c]));
  }

  private map<R extends object>(table: keyof Tables & string, row: R, f: (value: string, context: string) => string): R {
    const { rowKey, columns } = this.tables[table]!;
    const values = row as Record<string, unknown>;
    const id = values[rowKey];
    if (typeof id !== 'string') throw new Error(`${table}: a row without its ${rowKey}`);
    const out: Record<string, unknown> = { ...values };
    for (const column of columns) {
      const value = values[column];
      if (typeof value === 'string') out[column] = f(value, `${table}.${column}:${id}`);
    }
    return out as R;
  }

  private requireKeys(): MasterKeys {
    if (!this.keys) throw new Error('the review database was opened without the master keys: personal data can be neither written nor read');
    return this.keys;
  }
}
