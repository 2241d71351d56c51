/**
 * Personal data at rest: a whole case through the real engine (the embedded Temporal dev server with
 * its SQLite file under the data directory, in-process workers, the review database, the HTTP API),
 * sent to review, noted, corrected and approved by a reviewer. Afterwards every file under the data
 * directory (documents, both databases with their -wal/-shm, the Temporal server's log, the engine's
 * log, key files) is read as bytes: none may hold the applicant's name, address, IBAN, document
 * number, the reviewer's note or reason, or the original file name, in UTF-8 or UTF-16LE, in any
 * letter case, nor in a file's name. Every directory must be 0700 and every file 0600.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApiServer } from '../../src/api/server.js';
import { openEngine, type Engine } from '../../src/app/engine.js';
import { loadConfig } from '../../src/config.js';
import { groupIban, ibanFromBban } from '../../src/corpus/iban.js';
import { createLogger } from '../../src/logger.js';
import { textPdf } from '../support/draw.js';
import { createKey, type TestKey } from '../support/keys.js';
import { waitFor } from '../support/wait.js';
import { freePort } from '../support/ports.js';

const CASE_ID = 'pii-case-1';
const NAME = 'Zebulon Quixwarth';
const OTHER_NAME = 'Ottoline Brackwater'; // the statement's holder: not the applicant, so the case goes to review
const STREET = '17 Vellichor Crescent';
const TOWN = 'Brindlemoor BX9 4QZ';
const IBAN = ibanFromBban('GB', 'QXWB60161371926819');
const DOC_NUMBER = 'QZ8172635';
const NOTE = 'Called Mrs Marchpane-Ulverston to confirm the tenancy';
const REASON = 'Deed poll from Whistlecombe registry seen';
const FILE_NAME = 'Zebulon-Quixwarth statement.pdf';

/**
 * Distinctive parts of each secret, searched case-insensitively: a copy of any of them (a name in
 * upper case from an MRZ-like rendering, a surname alone, an IBAN grouped or not) is a leak.
 */
const SECRETS: Record<string, string[]> = {
  name: ['Zebulon', 'Quixwarth', NAME],
  'statement holder': ['Ottoline', 'Brackwater'],
  address: ['Vellichor', 'Brindlemoor', 'BX9 4QZ'],
  iban: [IBAN, groupIban(IBAN), IBAN.slice(4)],
  'document number': [DOC_NUMBER],
  note: ['Marchpane', 'Ulverston', NOTE],
  reason: ['Whistlecombe', 'Deed poll from'],
  'file name': [FILE_NAME],
};

let dataDir: string;
let engine: Engine | undefined;
let api: FastifyInstance | undefined;
let submitter: TestKey;
let reviewer: TestKey;
let logStream: ReturnType<typeof createWriteStream>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kyc-pii-at-rest-'));
  const config = loadConfig({
    ...process.env,
    KYC_DATA_DIR: dataDir,
    KYC_MASTER_KEYS: '', // the embedded default: a key file made under the data directory
    KYC_KEY_FILE: '',
    TEMPORAL_ADDRESS: '',
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    MODEL_MODE: 'off',
    OCR_WORKERS: '1',
    LOG_LEVEL: 'debug',
  });
  // The engine's log as an operator keeps it, under the data directory, at the most talkative level.
  await mkdir(join(dataDir, 'logs'), { recursive: true, mode: 0o700 });
  logStream = createWriteStream(join(dataDir, 'logs', 'engine.log'), { flags: 'a', mode: 0o600 });
  const logger = createLogger('debug', logStream);
  engine = await openEngine({ config, logger, workers: 'always' });
  api = createApiServer({
    service: engine.service,
    review: engine.review,
    erasure: engine.erasure,
    authenticate: (secret) => engine!.reviewStore.authenticate(secret),
    logger,
  });
  await api.ready();
  submitter = await createKey(engine.reviewStore, 'backoffice', ['submitter']);
  reviewer = await createKey(engine.reviewStore, 'alice', ['reviewer']);
}, 180_000);

afterAll(async () => {
  await api?.close();
  await engine?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

async function call(key: TestKey, options: InjectOptions): Promise<{ status: number; body: any }> {
  const response = await api!.inject({ ...options, headers: { ...key.headers, ...(options.headers ?? {}) } });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
}

/** Every regular file under `dir` with its mode, and every directory's mode. */
async function walk(dir: string, out: { files: string[]; dirs: string[] } = { files: [], dirs: [dir] }): Promise<{ files: string[]; dirs: string[] }> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      out.dirs.push(path);
      await walk(path, out);
    } else out.files.push(path); // sockets or links would show up in the mode check
  }
  return out;
}

/** ASCII letters folded to lower case, byte by byte (so UTF-16LE text folds too). */
function foldAscii(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0; i < out.length; i++) if (out[i]! >= 0x41 && out[i]! <= 0x5a) out[i] = out[i]! + 0x20;
  return out;
}

/** Which secrets `bytes` holds, in UTF-8 or UTF-16LE, in any letter case. */
function secretsIn(raw: Buffer): string[] {
  const bytes = foldAscii(raw);
  const found: string[] = [];
  for (const [what, needles] of Object.entries(SECRETS)) {
    for (const needle of needles) {
      for (const encoding of ['utf8', 'utf16le'] as const) {
        if (bytes.includes(Buffer.from(needle.toLowerCase(), encoding))) found.push(`${what} (${JSON.stringify(needle)}, ${encoding})`);
      }
    }
  }
  return found;
}

test('the search finds each secret in clear, in either encoding and any case', () => {
  const clear = [NAME.toUpperCase(), OTHER_NAME, STREET, TOWN, groupIban(IBAN), DOC_NUMBER, NOTE, REASON, FILE_NAME].join('\n');
  for (const encoding of ['utf8', 'utf16le'] as const) {
    const found = secretsIn(Buffer.from(clear, encoding));
    expect(Object.keys(SECRETS).every((what) => found.some((f) => f.startsWith(`${what} (`) && f.endsWith(`${encoding})`)))).toBe(true);
  }
  expect(secretsIn(Buffer.from('nothing personal here'))).toEqual([]);
});

test('when a case has been through review, then no file under the data directory holds its personal data, and all are owner-only', async () => {
  const statement = await textPdf([
    [
      'Northgate Bank plc',
      'Statement of account',
      'Statement date: 02/11/2026',
      `Account holder: ${OTHER_NAME}`,
      STREET,
      TOWN,
      `IBAN: ${groupIban(IBAN)}`,
      `Passport number: ${DOC_NUMBER}`,
      ['Opening balance', '1,204.10'],
      ['Closing balance', '1,388.55'],
    ],
  ]);
  const form = new FormData();
  form.append(`cases[${CASE_ID}][documents]`, new Blob([Buffer.from(statement)], { type: 'application/pdf' }), FILE_NAME);
  form.append(`cases[${CASE_ID}][applicant]`, JSON.stringify({ fullName: NAME, address: `${STREET}, ${TOWN}`, dateOfBirth: '1984-03-09' }));
  form.append('asOf', '2026-11-20');
  const encoded = new Response(form);
  const submitted = await call(submitter, {
    method: 'POST',
    url: '/v1/batches',
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { 'content-type': encoded.headers.get('content-type')! },
  });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);

  await waitFor(() => engine!.reviewStore.latestTaskForCase(CASE_ID), 180_000, `the review task of ${CASE_ID}`);
  const report = await waitFor(async () => {
    const r = (await engine!.service.getCase(CASE_ID)) as { status: string; documents?: Array<{ documentId: string }> } | undefined;
    return r?.status === 'awaiting_review' && r.documents?.length ? r : undefined;
  }, 60_000, 'the case report awaiting review');
  const documentId = report.documents![0]!.documentId;

  expect((await call(reviewer, { method: 'POST', url: `/v1/review/tasks/${CASE_ID}/claim`, payload: {} })).status).toBe(200);
  const noted = await call(reviewer, { method: 'POST', url: `/v1/review/tasks/${CASE_ID}/notes`, payload: { text: NOTE } });
  expect(noted.status, JSON.stringify(noted.body)).toBe(200);
  const decided = await call(reviewer, {
    method: 'POST',
    url: `/v1/review/tasks/${CASE_ID}/decision`,
    payload: {
      decision: 'approve',
      reason: REASON,
      corrections: [
        { documentId, field: 'fullName', value: NAME },
        { documentId, field: 'documentNumber', value: DOC_NUMBER },
        // Corrections also keep the value read (the statement's address and IBAN) beside the new one.
        { documentId, field: 'address', value: `${STREET}, ${TOWN}` },
        { documentId, field: 'iban', value: IBAN },
      ],
    },
  });
  expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  await waitFor(async () => {
    const r = (await engine!.service.getCase(CASE_ID)) as { status: string } | undefined;
    return r?.status === 'completed' || undefined;
  }, 60_000, 'the case to complete');

  // What the reviewer typed is kept, and reads back in clear through the store.
  const task = await engine!.reviewStore.latestTaskForCase(CASE_ID);
  expect(task?.final?.reason).toBe(REASON);
  const events = await engine!.reviewStore.listEvents(task!.taskId);
  expect(events.some((e) => e.action === 'note' && e.detail?.text === NOTE)).toBe(true);
  const corrections = [];
  for await (const c of engine!.reviewStore.listCorrections()) if (c.caseId === CASE_ID) corrections.push(c);
  expect(corrections.map((c) => [c.field, c.extracted, c.corrected, c.file]).sort()).toEqual(
    [
      ['address', `${STREET}, ${TOWN}`, `${STREET}, ${TOWN}`, FILE_NAME],
      ['documentNumber', undefined, DOC_NUMBER, FILE_NAME],
      ['fullName', OTHER_NAME, NAME, FILE_NAME],
      ['iban', IBAN, IBAN, FILE_NAME],
    ].sort(),
  );

  // Everything stopped and flushed: the databases, their logs, the Temporal server.
  await api!.close();
  api = undefined;
  await engine!.close();
  engine = undefined;
  logStream.end();
  await once(logStream, 'close');

  const { files, dirs } = await walk(dataDir);
  const names = files.map((f) => relative(dataDir, f));
  // The run really wrote what the check is about.
  for (const expected of ['review.db', join('temporal', 'temporal.db'), join('temporal', 'server.log'), join('logs', 'engine.log')]) {
    expect(names).toContain(expected);
  }
  expect(names.some((n) => n.startsWith(join('store', 'documents')))).toBe(true);
  // The engine's log saw the run (requests, workers), so its check is not vacuous.
  expect((await readFile(join(dataDir, 'logs', 'engine.log'), 'utf8')).split('\n').length).toBeGreaterThan(10);

  const leaks: string[] = [];
  for (const file of files) leaks.push(...secretsIn(await readFile(file)).map((found) => `${relative(dataDir, file)}: ${found}`));
  // Nor in a file's or folder's name.
  for (const path of [...files, ...dirs]) leaks.push(...secretsIn(Buffer.from(relative(dataDir, path))).map((found) => `name of ${relative(dataDir, path)}: ${found}`));
  const loose: string[] = [];
  for (const dir of dirs) {
    const mode = (await lstat(dir)).mode & 0o777;
    if (mode !== 0o700) loose.push(`${relative(dataDir, dir) || '.'}/ ${mode.toString(8)}`);
  }
  for (const file of files) {
    const info = await lstat(file);
    if (!info.isFile()) continue;
    const mode = info.mode & 0o777;
    if (mode !== 0o600) loose.push(`${relative(dataDir, file)} ${mode.toString(8)}`);
  }
  expect({ leaks, loose }).toEqual({ leaks: [], loose: [] });
}, 420_000);
