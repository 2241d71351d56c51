/**
 * The real local model (the default Gemma 3 270M, or MODEL_PATH) through node-llama-cpp's prebuilt
 * CPU binary. Every way out of the process (fetch, http(s), net, tls, dns) is replaced by a recorder
 * before the binding loads, so the suite also proves that nothing is downloaded.
 *
 * The texts are written for this test; the passport's MRZ is the ICAO 9303 specimen (valid check digits).
 */
import { existsSync, readFileSync } from 'node:fs';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLlamaModel, ModelOutputError } from '../../src/adapters/llama-model.js';
import { cacheDir } from '../../src/config.js';
import { DOCUMENT_TYPES, type DocumentType } from '../../src/domain/documents.js';
import {
  buildClassificationPrompt,
  buildFieldPrompt,
  CLASSIFICATION_MAX_TOKENS,
  CLASSIFICATION_SCHEMA,
  fieldMaxTokens,
  fieldSchemaFor,
  MODEL_FIELDS,
  parseClassification,
  parseFields,
  type LocalModel,
  type ModelClassificationAnswer,
} from '../../src/domain/model-prompts.js';

const MANIFEST = JSON.parse(readFileSync(new URL('../../models/default-model.json', import.meta.url), 'utf8')) as {
  file: string;
  sha256: string;
};
const MODEL_PATH = process.env.MODEL_PATH ?? join(cacheDir(), 'model', MANIFEST.file);
/** Generous: two cores shared with OCR and other test files; one call takes ~1–3 s when the machine is quiet. */
const SLOW = 300_000;

const TEXTS: ReadonlyArray<{ label: DocumentType; text: string }> = [
  {
    label: 'passport',
    text: `PASSPORT PASSEPORT
UTOPIA
Type/Type P  Code/Code UTO  Passport No./No. du passeport L898902C3
Surname/Nom ERIKSSON
Given names/Prénoms ANNA MARIA
Nationality/Nationalité UTOPIAN
Date of birth/Date de naissance 12 AUG 1974
Sex/Sexe F  Place of birth/Lieu de naissance ZENITH
Date of issue/Date de délivrance 16 APR 2007
Authority/Autorité PASSPORT OFFICE
Date of expiry/Date d'expiration 15 APR 2012
P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<
L898902C36UTO7408122F1204159ZE184226B<<<<<10`,
  },
  {
    label: 'utility_bill',
    text: `BRIGHTWATT ENERGY
Your electricity bill
Account number 8812 4471 09   Bill date 14 October 2026
Mr Daniel Okafor
27 Station Road
Leeds LS6 2PQ
Billing period 12 Sep 2026 - 11 Oct 2026
Meter reading (actual) 45211
Electricity used 312 kWh at 24.50p/kWh £76.44
Standing charge 30 days at 53.35p £16.01
VAT at 5% £4.62
Total amount due £97.07
We will collect this by Direct Debit on or after 28 October 2026.`,
  },
  {
    label: 'bank_statement',
    text: `Northbridge Bank plc
Current Account Statement
Ms Priya Raman
Flat 4, 18 Marlowe Court
Bristol BS1 5TR
Sort code 20-45-77  Account number 53881204
IBAN GB82 WEST 1234 5698 7654 32  BIC NRTHGB2L
Statement period 01/09/2026 to 30/09/2026
Date Description Paid out Paid in Balance
01 Sep Opening balance 1,204.55
03 Sep TESCO STORES 2231 42.18 1,162.37
05 Sep SALARY ACME LTD 2,310.00 3,472.37
12 Sep COUNCIL TAX DD 148.00 3,324.37
30 Sep Closing balance 3,324.37`,
  },
];
const [PASSPORT, UTILITY_BILL] = TEXTS as [(typeof TEXTS)[number], (typeof TEXTS)[number], (typeof TEXTS)[number]];

// --- no network --------------------------------------------------------------------------------

const networkAttempts: string[] = [];
const restores: Array<() => void> = [];

function deny(target: object, key: string, what: string): void {
  const record = target as Record<string, unknown>;
  const original = record[key];
  record[key] = (..._args: unknown[]) => {
    networkAttempts.push(what);
    throw new Error(`network access attempted by the model adapter: ${what}`);
  };
  restores.push(() => {
    record[key] = original;
  });
}

function forbidNetwork(): void {
  deny(globalThis, 'fetch', 'fetch');
  deny(net, 'connect', 'net.connect');
  deny(net, 'createConnection', 'net.createConnection');
  deny(net.Socket.prototype, 'connect', 'net.Socket.connect');
  deny(tls, 'connect', 'tls.connect');
  for (const [name, mod] of [['http', http], ['https', https]] as const) {
    deny(mod, 'request', `${name}.request`);
    deny(mod, 'get', `${name}.get`);
  }
  deny(dns, 'lookup', 'dns.lookup');
  deny(dns.promises, 'lookup', 'dns.promises.lookup');
}

// --- the model ---------------------------------------------------------------------------------

let model: LocalModel;
let loadMs = 0;

async function classify(text: string, signal?: AbortSignal): Promise<ModelClassificationAnswer | undefined> {
  const { value } = await model.generateJson<unknown>(buildClassificationPrompt([{ page: 1, text }]), CLASSIFICATION_SCHEMA, {
    maxTokens: CLASSIFICATION_MAX_TOKENS,
    signal,
  });
  return parseClassification(value);
}

beforeAll(async () => {
  if (!existsSync(MODEL_PATH)) {
    throw new Error(
      `model file not found: ${MODEL_PATH}. Run \`bash scripts/fetch-model.sh\` (it installs the default model into the cache), ` +
        'or set MODEL_PATH to a local GGUF file.',
    );
  }
  forbidNetwork();
  const started = performance.now();
  model = await createLlamaModel({ modelPath: MODEL_PATH, contexts: 2 });
  loadMs = performance.now() - started;
}, SLOW);

afterAll(async () => {
  await model?.dispose();
  for (const restore of restores.splice(0).reverse()) restore();
});

describe('llama model adapter', () => {
  test('when loaded, then the model id names the file and its sha256', () => {
    console.info(`[llama-model.test] loaded ${MODEL_PATH} in ${Math.round(loadMs)} ms`);
    expect(model.modelId.sha256).toMatch(/^[0-9a-f]{64}$/);
    if (process.env.MODEL_PATH === undefined) expect(model.modelId).toEqual({ file: MANIFEST.file, sha256: MANIFEST.sha256 });
  });

  test('when three realistic texts are classified, then every answer is a label from the set and the passport is a passport', async () => {
    const answers: Array<{ label: DocumentType; answer: ModelClassificationAnswer | undefined }> = [];
    for (const { label, text } of TEXTS) answers.push({ label, answer: await classify(text) });
    const right = answers.filter((a) => a.answer?.type === a.label).length;
    console.info(`[llama-model.test] ${model.modelId.file}: ${right}/${answers.length} right: ${answers.map((a) => `${a.label}→${a.answer?.type}`).join(', ')}`);
    for (const { answer } of answers) {
      expect(answer).toBeDefined();
      expect(DOCUMENT_TYPES).toContain(answer?.type);
    }
    expect(answers[0]?.answer?.type).toBe('passport');
  }, SLOW);

  test('when calls outnumber the slots, then they queue and all complete', async () => {
    const results = await Promise.all([PASSPORT, UTILITY_BILL, PASSPORT].map(({ text }) => classify(text)));
    expect(results.map((r) => r?.type)).toHaveLength(3);
    for (const result of results) expect(DOCUMENT_TYPES).toContain(result?.type);
    expect(results[0]).toEqual(results[2]);
  }, SLOW);

  test('when another document came before, then the answer is the same as from a fresh start (no history leaks)', async () => {
    const first = await classify(PASSPORT.text);
    await classify(UTILITY_BILL.text);
    expect(await classify(PASSPORT.text)).toEqual(first);
  }, SLOW);

  test('when fields are asked for, then the answer fits the schema and parsing keeps only grounded values', async () => {
    const pages = [{ page: 1, text: TEXTS[2]?.text ?? '' }];
    const fields = MODEL_FIELDS.bank_statement;
    const schema = fieldSchemaFor('bank_statement', fields);
    const { value, tokens } = await model.generateJson<unknown>(buildFieldPrompt('bank_statement', pages, fields), schema, {
      maxTokens: fieldMaxTokens('bank_statement', fields),
    });
    expect(Object.keys(value as object)).toEqual(Object.keys(schema.properties));
    const kept = parseFields('bank_statement', value, { pages });
    console.info(`[llama-model.test] fields: ${tokens} tokens, kept ${Object.keys(kept).join(', ') || 'none'}`);
    for (const found of Object.values(kept)) expect(typeof found).toBe('string');
  }, SLOW);

  test('when maxTokens cuts the answer, then it fails with ModelOutputError', async () => {
    const prompt = buildClassificationPrompt([{ page: 1, text: PASSPORT.text }]);
    await expect(model.generateJson(prompt, CLASSIFICATION_SCHEMA, { maxTokens: 2 })).rejects.toBeInstanceOf(ModelOutputError);
  }, SLOW);

  test('when the signal is already aborted, then the call rejects without running', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(classify(PASSPORT.text, controller.signal)).rejects.toThrow('cancelled');
  });

  test('when a second model is opened on the same file and disposed, then the first keeps working', async () => {
    const second = await createLlamaModel({ modelPath: MODEL_PATH });
    expect(second.modelId).toEqual(model.modelId);
    await second.dispose();
    expect((await classify(PASSPORT.text))?.type).toBe('passport');
  }, SLOW);

  test('when the file does not exist, then loading fails and names the fix', async () => {
    await expect(createLlamaModel({ modelPath: '/nonexistent/model.gguf' })).rejects.toThrow(/fetch-model\.sh/);
  });

  test('nothing tried to reach the network (and the guard is in force)', () => {
    const attempts = [...networkAttempts];
    expect(() => fetch('http://127.0.0.1:9/')).toThrow(/network access attempted/);
    expect(() => net.connect(9, '127.0.0.1')).toThrow(/network access attempted/);
    expect(attempts).toEqual([]);
  });
});
