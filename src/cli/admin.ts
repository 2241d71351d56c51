/**
 * Commands that work on the review database alone (no Temporal): API keys and the export of
 * reviewers' corrections as labelled examples.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { openReviewStore } from '../adapters/review-db.js';
import { loadConfig } from '../config.js';
import { ConfigError, InvalidInputError } from '../domain/errors.js';
import type { DocumentStore } from '../domain/ports.js';
import { FsDocumentStore } from '../adapters/fs-document-store.js';
import { loadKeyring } from '../security/keyring.js';
import { join } from 'node:path';
import { ROLES, type CorrectionRecord, type ReviewStore, type Role } from '../review/types.js';

async function withStore<T>(work: (store: ReviewStore) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // The master keys open the reviewers' sealed corrections (export); key commands work without them
  // (a cluster host may hold none), and the store then refuses to read or write sealed values.
  const keys = await loadKeyring(config).catch((err: unknown) => {
    if (err instanceof ConfigError) return undefined;
    throw err;
  });
  const store = await openReviewStore(config.review.dbUrl, keys);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export function parseRoles(values: string[]): Role[] {
  const roles = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (roles.length === 0) throw new InvalidInputError(`--role is required: one or more of ${ROLES.join(', ')}`);
  for (const r of roles) {
    if (!(ROLES as readonly string[]).includes(r)) throw new InvalidInputError(`unknown role ${r}: use ${ROLES.join(', ')}`);
  }
  return [...new Set(roles)] as Role[];
}

/**
 * Prints the key once on stdout (nothing else there, so it can be captured); the record on stderr.
 * A key names its person and organisation: what the person submits belongs to the organisation, and
 * the person never reviews it, whichever of their keys they use.
 */
export async function createKeyCommand(opts: { org: string; person?: string; name?: string; samePerson?: boolean; role: string[] }): Promise<number> {
  const roles = parseRoles(opts.role);
  const person = opts.person ?? opts.name;
  if (person === undefined) throw new InvalidInputError('--person is required: the person (or integration) the key is for');
  if (opts.person !== undefined && opts.name !== undefined && opts.person !== opts.name) {
    throw new InvalidInputError('--name and --person name the same thing: give one');
  }
  return withStore(async (store) => {
    const { record, secret } = await store.createApiKey({ person, org: opts.org, roles, ...(opts.samePerson ? { samePerson: true } : {}) });
    process.stderr.write(`created key ${record.keyId} for ${record.person} of ${record.org} (${record.roles.join(', ')}); it is shown once:\n`);
    process.stdout.write(`${secret}\n`);
    return 0;
  });
}

export async function listKeysCommand(): Promise<number> {
  return withStore(async (store) => {
    for (const k of await store.listApiKeys()) {
      process.stdout.write(`${k.keyId}\t${k.org}\t${k.person}\t${k.roles.join(',')}\t${k.createdAt}${k.revokedAt ? `\trevoked ${k.revokedAt}` : ''}\n`);
    }
    return 0;
  });
}

export async function revokeKeyCommand(keyId: string): Promise<number> {
  return withStore(async (store) => {
    if (!(await store.revokeApiKey(keyId))) {
      process.stderr.write(`kyc: no active key ${keyId}\n`);
      return 2;
    }
    process.stderr.write(`revoked ${keyId}\n`);
    return 0;
  });
}

/** One line of the export: the correction plus the document's text, ready for local fine-tuning. */
export interface CorrectionExample extends CorrectionRecord {
  /** The document's extracted text, page by page, when still stored. */
  text?: string[];
}

export async function* correctionExamples(store: ReviewStore, documents: DocumentStore): AsyncGenerator<CorrectionExample> {
  for await (const c of store.listCorrections()) {
    const text = c.textKey
      ? await documents
          .getJson<{ pages: Array<{ text: string; mrzText?: string }> }>(c.textKey)
          // The MRZ band's own reading is part of what the engine analysed: keep it with its page.
          .then((t) => t.pages.map((p) => (p.mrzText ? `${p.text}\n${p.mrzText}` : p.text)), () => undefined)
      : undefined;
    yield { ...c, ...(text ? { text } : {}) };
  }
}

/** `kyc export-corrections [--out FILE]`: JSONL, one correction per line, stdout by default. */
export async function exportCorrectionsCommand(opts: { out?: string }): Promise<number> {
  const config = loadConfig();
  const documents = new FsDocumentStore(join(config.dataDir, 'store'), await loadKeyring(config));
  return withStore(async (store) => {
    const out = opts.out ? createWriteStream(opts.out, { flags: 'w', mode: 0o600 }) : process.stdout;
    let count = 0;
    for await (const example of correctionExamples(store, documents)) {
      if (!out.write(`${JSON.stringify(example)}\n`)) await once(out, 'drain');
      count += 1;
    }
    if (opts.out) {
      (out as ReturnType<typeof createWriteStream>).end();
      await once(out, 'finish');
    }
    process.stderr.write(`exported ${count} correction(s)${opts.out ? ` to ${opts.out}` : ''}\n`);
    return 0;
  });
}
