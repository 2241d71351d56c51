/**
 * What Temporal stores holds no applicant data in clear. A case with a bank statement (IBAN), a
 * passport (document number, birth date), a bill and a broken file runs through the real pipeline and
 * a reviewer's note and decision; then the case's and the batch's histories are read raw from the
 * server, without the codec, and searched for every piece of applicant data in every form, in the
 * strings and in every byte field read as UTF-8. The same payloads, decrypted, do hold that data, so
 * the search looks where it matters. Last, the codec endpoint the Temporal UI calls decrypts one of
 * those payloads for an auditor, for nobody else, and answers CORS preflights for the UI's origin only.
 */
import type { Payload } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiServer } from '../../src/api/server.js';
import type { CaseReport } from '../../src/domain/report.js';
import { batchWorkflowId, caseWorkflowId } from '../../src/temporal/names.js';
import { buildTd3 } from '../support/mrz-builder.js';
import { textPdf } from '../support/draw.js';
import { recordHistory } from '../support/histories.js';
import { createKey, type TestKey } from '../support/keys.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';

const AS_OF = '2026-11-01';
const CASE_ID = 'case-enc-1';
const UI_ORIGIN = 'http://temporal-ui.bank.internal:8233';

const PERSON = {
  givenNames: 'Thaddeus',
  surname: 'Okonkwo-Brannigan',
  fullName: 'Thaddeus Okonkwo-Brannigan',
  dateOfBirth: '1961-07-23',
  street: '17 Quillfeather Lane',
  town: 'Bramblecombe',
  postcode: 'BX9 4QZ',
  iban: 'GB62HLBK40516247382915',
  passportNumber: 'Q7R4K2M91',
};

/** Every form in which the applicant's data could show up. */
const NEEDLES = [
  'Thaddeus', 'Okonkwo', 'Brannigan', 'OKONKWO<BRANNIGAN',
  // birth date: ISO, European, US, dotted, compact, MRZ (YYMMDD), written out
  '1961-07-23', '23/07/1961', '07/23/1961', '23.07.1961', '23-07-1961', '19610723', '610723', '23 Jul 1961', '23 July 1961', 'July 23, 1961',
  'Quillfeather', 'Bramblecombe', 'BX9 4QZ', 'BX94QZ',
  'GB62HLBK40516247382915', 'GB62 HLBK 4051 6247 3829 15', '47382915', '405162',
  'Q7R4K2M91',
];

let pipeline: Pipeline;
let api: FastifyInstance;
let reviewer: TestKey;
let auditor: TestKey;
let admin: TestKey;
let submitter: TestKey;
let batchId: string;

async function documents(): Promise<Array<{ fileName: string; bytes: Uint8Array }>> {
  const [mrz1, mrz2] = buildTd3({
    issuingState: 'GBR', surname: PERSON.surname, givenNames: PERSON.givenNames, documentNumber: PERSON.passportNumber,
    nationality: 'GBR', dateOfBirth: PERSON.dateOfBirth, sex: 'M', expiryDate: '2031-03-14',
  });
  const passport = await textPdf([[
    'PASSPORT', 'United Kingdom of Great Britain and Northern Ireland',
    `Passport No: ${PERSON.passportNumber}`, `Surname: ${PERSON.surname.toUpperCase()}`, `Given names: ${PERSON.givenNames.toUpperCase()}`,
    'Nationality: BRITISH CITIZEN', 'Date of birth: 23 JUL 1961', 'Date of expiry: 14 MAR 2031', mrz1, mrz2,
  ]]);
  const statement = await textPdf([[
    'Harbourline Bank plc', 'Statement of account', 'Statement date: 02/10/2026', PERSON.fullName, PERSON.street, `${PERSON.town} ${PERSON.postcode}`,
    `IBAN: ${PERSON.iban}`, 'Sort code: 40-51-62   Account number: 47382915',
    'Opening balance GBP 1,204.10', '05/09/2026  Card payment  23.40', 'Closing balance GBP 1,180.70',
  ]]);
  const bill = await textPdf([[
    'Northern Power Ltd', 'Electricity bill', 'Bill date: 03/10/2026', PERSON.fullName, PERSON.street, `${PERSON.town} ${PERSON.postcode}`, 'Amount due: GBP 54.20',
  ]]);
  return [
    { fileName: 'passport.pdf', bytes: passport },
    { fileName: 'statement.pdf', bytes: statement },
    { fileName: 'bill.pdf', bytes: bill },
    // A file named after the applicant that fails: its name and its error must not leak either.
    { fileName: 'okonkwo-brannigan-id-card.pdf', bytes: bill.slice(0, Math.floor(bill.length / 3)) },
  ];
}

beforeAll(async () => {
  pipeline = await startPipeline({ MODEL_MODE: 'off' });
  const store = pipeline.reviewStore;
  reviewer = await createKey(store, 'rita', ['reviewer', 'senior_reviewer']);
  auditor = await createKey(store, 'audit', ['auditor']);
  admin = await createKey(store, 'ops', ['admin']);
  submitter = await createKey(store, 'backoffice', ['submitter']);
  api = createApiServer({
    service: pipeline.service,
    review: pipeline.review,
    authenticate: (secret) => store.authenticate(secret),
    logger: false,
    codec: { codec: pipeline.dataConverter.payloadCodecs[0], corsOrigins: [UI_ORIGIN] },
  });
}, 300_000);
afterAll(async () => {
  await api?.close();
  await pipeline?.close();
});

// --- raw history ---------------------------------------------------------------------------

interface Found {
  payload: Payload;
  path: string;
}

/** The history exactly as the server returns it: every page of GetWorkflowExecutionHistory, no codec. */
async function rawHistory(workflowId: string): Promise<unknown[]> {
  const pages: unknown[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await pipeline.env.client.workflowService.getWorkflowExecutionHistory({
      namespace: pipeline.env.namespace ?? 'default',
      execution: { workflowId },
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    pages.push(page);
    nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return pages;
}

/**
 * A JSON-able copy where each byte field is shown as base64 and as UTF-8, and the list of every
 * Payload in it (an object with `metadata` bytes) with where it sits.
 */
function expose(value: unknown, path = '', payloads: Found[] = []): { view: unknown; payloads: Found[] } {
  const walk = (v: unknown, at: string): unknown => {
    if (v instanceof Uint8Array) return { base64: Buffer.from(v).toString('base64'), utf8: Buffer.from(v).toString('utf8') };
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${at}[${i}]`));
    if (typeof v !== 'object' || v === null) return v;
    const record = v as Record<string, unknown>;
    const metadata = record.metadata as Record<string, unknown> | undefined;
    if (metadata && typeof metadata === 'object' && Object.values(metadata).some((m) => m instanceof Uint8Array)) {
      payloads.push({ payload: v as Payload, path: at });
    }
    return Object.fromEntries(Object.keys(record).map((key) => [key, walk(record[key], at ? `${at}.${key}` : key)]));
  };
  return { view: walk(value, path), payloads };
}

/** Temporal Failure messages in an exposed history: objects with a message and failure info or encoded attributes. */
function findFailures(view: unknown): Array<{ message?: string; stackTrace?: string; encodedAttributes?: unknown }> {
  const found: Array<{ message?: string; stackTrace?: string; encodedAttributes?: unknown }> = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    const record = v as Record<string, unknown>;
    if ('message' in record && Object.keys(record).some((k) => k.endsWith('FailureInfo') || k === 'encodedAttributes')) found.push(record);
    Object.values(record).forEach(walk);
  };
  walk(view);
  return found;
}

const text = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? []).toString('utf8');
const leaks = (haystack: string): string[] => NEEDLES.filter((n) => haystack.toLowerCase().includes(n.toLowerCase()));

describe('a case run through the real pipeline, reviewed and decided', () => {
  let report: CaseReport;

  test('the case runs, its broken file is a document error, and a reviewer rejects it with a note', async () => {
    ({ batchId } = await pipeline.service.submitBatch({
      asOf: AS_OF,
      submittedBy: submitter.actor.keyId,
      cases: [{
        caseId: CASE_ID,
        applicant: { fullName: PERSON.fullName, dateOfBirth: PERSON.dateOfBirth, address: `${PERSON.street}, ${PERSON.town} ${PERSON.postcode}` },
        documents: await documents(),
      }],
    }));
    await pipeline.service.waitForBatch(batchId);
    report = (await pipeline.service.getCaseInBatch(batchId, CASE_ID)) as CaseReport;
    expect(report.status).toBe('awaiting_review');
    const byFile = Object.fromEntries(report.documents.map((d) => [d.file, d]));
    expect(byFile['okonkwo-brannigan-id-card.pdf']?.errorCode).toBe('UNREADABLE_DOCUMENT');
    expect(byFile['okonkwo-brannigan-id-card.pdf']?.error).toBeTruthy();
    // The data really went through the workflows (so the search below has something to miss).
    expect(byFile['statement.pdf']?.fields.iban).toBe(PERSON.iban);
    expect(byFile['passport.pdf']?.fields.documentNumber).toBe(PERSON.passportNumber);
    expect(byFile['passport.pdf']?.fields.dateOfBirth).toBe(PERSON.dateOfBirth);

    await waitFor(() => pipeline.reviewStore.latestTaskForCase(CASE_ID), 20_000, 'the review task');
    await pipeline.review.act(CASE_ID, reviewer.actor, { kind: 'claim' });
    await pipeline.review.act(CASE_ID, reviewer.actor, { kind: 'note', text: `called ${PERSON.fullName} (born 23/07/1961) about the ID card` });
    await pipeline.review.act(CASE_ID, reviewer.actor, {
      kind: 'decide',
      decision: { decision: 'reject', reason: `ID card of ${PERSON.fullName} unreadable; IBAN ${PERSON.iban} not verified` },
    });
    report = await waitFor(async () => {
      const r = (await pipeline.service.getCaseInBatch(batchId, CASE_ID)) as CaseReport;
      return r.status === 'completed' ? r : undefined;
    });
    expect(report.decision).toBe('rejected');
  });

  for (const which of ['case', 'batch'] as const) {
    test(`the ${which} workflow's raw history holds no name, birth date, document number, address or IBAN`, async () => {
      const workflowId = which === 'case' ? caseWorkflowId(batchId, CASE_ID) : batchWorkflowId(batchId);
      const { view, payloads } = expose(await rawHistory(workflowId));
      const raw = JSON.stringify(view);
      expect(raw.length).toBeGreaterThan(1000);
      expect(leaks(raw)).toEqual([]);

      // Every payload is encrypted, except search attributes (ids only, never encrypted by Temporal)
      // and the SDK's own patch markers, which it writes past the codec: `{"id":"<patch>","deprecated":…}` only.
      const isPatchId = (p: (typeof payloads)[number]): boolean =>
        p.path.includes('markerRecordedEventAttributes.details.patch-data') && /^\{"id":"[a-z-]+","deprecated":(true|false)\}$/.test(text(p.payload.data));
      const plain = payloads.filter((p) => text(p.payload.metadata?.encoding) !== 'binary/encrypted' && !p.path.includes('searchAttributes') && !isPatchId(p));
      expect(plain.map((p) => `${p.path}: ${text(p.payload.metadata?.encoding)}`)).toEqual([]);
      for (const p of payloads.filter((f) => f.path.includes('searchAttributes') || isPatchId(f))) expect(leaks(text(p.payload.data))).toEqual([]);

      // Decrypted, the same payloads do hold the applicant's data.
      const encrypted = payloads.filter((p) => text(p.payload.metadata?.encoding) === 'binary/encrypted').map((p) => p.payload);
      const decrypted = (await pipeline.dataConverter.payloadCodecs[0].decode(encrypted)).map((p) => text(p.data)).join('\n');
      const expected = which === 'case'
        ? [PERSON.fullName, PERSON.dateOfBirth, PERSON.street, PERSON.iban, PERSON.passportNumber, 'okonkwo-brannigan-id-card.pdf']
        : [PERSON.fullName, PERSON.dateOfBirth, PERSON.street];
      for (const needle of expected) expect(decrypted, needle).toContain(needle);

      if (which === 'case') {
        // The broken file's activity failure: message and stack trace only inside the encrypted attributes.
        const failures = findFailures(view);
        expect(failures.length).toBeGreaterThan(0);
        for (const f of failures) {
          expect(f.message).toBe('Encoded failure');
          expect(f.stackTrace ?? '').toBe('');
          expect(f.encodedAttributes).toBeDefined();
        }
        await recordHistory('kyc-case-encrypted', workflowId, pipeline.env.address);
      }
    });
  }
});

describe('the codec endpoint for the Temporal UI', () => {
  let encrypted: Payload;
  const asJson = (p: Payload) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  });

  beforeAll(async () => {
    // The case workflow's input, as stored: it carries the applicant.
    const { payloads } = expose(await rawHistory(caseWorkflowId(batchId, CASE_ID)));
    encrypted = payloads.find((p) => p.path.includes('workflowExecutionStartedEventAttributes.input'))!.payload;
    expect(text(encrypted.metadata?.encoding)).toBe('binary/encrypted');
  });

  test('an auditor gets the payload from the history decrypted; no key → 401, a submitter → 403', async () => {
    const body = { payloads: [asJson(encrypted)] };
    const headers = { ...auditor.headers, 'content-type': 'application/json', 'x-namespace': 'default' };
    const res = await api.inject({ method: 'POST', url: '/codec/decode', payload: body, headers });
    expect(res.statusCode).toBe(200);
    const [decoded] = (res.json() as { payloads: Array<{ metadata: Record<string, string>; data: string }> }).payloads;
    expect(Buffer.from(decoded!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(Buffer.from(decoded!.data, 'base64').toString()).toContain(PERSON.fullName);

    const none = await api.inject({ method: 'POST', url: '/codec/decode', payload: body });
    expect(none.statusCode).toBe(401);
    expect(none.body).not.toContain('Thaddeus');
    const wrongRole = await api.inject({ method: 'POST', url: '/codec/decode', payload: body, headers: submitter.headers });
    expect(wrongRole.statusCode).toBe(403);
    expect(wrongRole.body).not.toContain('Thaddeus');
  });

  test('encoding is for admins; what an admin encodes an auditor decodes; a tampered payload is a 422', async () => {
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"hello"').toString('base64') };
    expect((await api.inject({ method: 'POST', url: '/codec/encode', payload: { payloads: [plain] }, headers: auditor.headers })).statusCode).toBe(403);
    const encoded = await api.inject({ method: 'POST', url: '/codec/encode', payload: { payloads: [plain] }, headers: admin.headers });
    expect(encoded.statusCode).toBe(200);
    const [sealed] = (encoded.json() as { payloads: Array<{ metadata: Record<string, string>; data: string }> }).payloads;
    expect(Buffer.from(sealed!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    const back = await api.inject({ method: 'POST', url: '/codec/decode', payload: { payloads: [sealed] }, headers: auditor.headers });
    expect(back.json()).toEqual({ payloads: [plain] });

    const bytes = Buffer.from(sealed!.data, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    const tampered = await api.inject({ method: 'POST', url: '/codec/decode', payload: { payloads: [{ ...sealed, data: bytes.toString('base64') }] }, headers: auditor.headers });
    expect(tampered.statusCode).toBe(422);
    expect(tampered.json()).toMatchObject({ error: { code: 'PAYLOAD_TAMPERED' } });
  });

  test('CORS: the preflight answers the configured Temporal UI origin only, and so does the POST', async () => {
    const preflight = (origin: string) =>
      api.inject({
        method: 'OPTIONS',
        url: '/codec/decode',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization,x-namespace' },
      });
    const ok = await preflight(UI_ORIGIN);
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(ok.headers['access-control-allow-headers']).toBe('content-type,authorization,x-namespace');
    expect(ok.headers['access-control-allow-methods']).toContain('POST');

    const evil = await preflight('https://evil.example');
    expect(evil.statusCode).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();

    const body = { payloads: [asJson(encrypted)] };
    const fromUi = await api.inject({ method: 'POST', url: '/codec/decode', payload: body, headers: { ...auditor.headers, origin: UI_ORIGIN } });
    expect(fromUi.statusCode).toBe(200);
    expect(fromUi.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    const fromElsewhere = await api.inject({ method: 'POST', url: '/codec/decode', payload: body, headers: { ...auditor.headers, origin: 'https://evil.example' } });
    expect(fromElsewhere.statusCode).toBe(403);
    expect(fromElsewhere.headers['access-control-allow-origin']).toBeUndefined();
    expect(fromElsewhere.body).not.toContain('Thaddeus');
  });
});
