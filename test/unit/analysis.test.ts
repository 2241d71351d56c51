import { describe, expect, test } from 'vitest';
import { analyseByRules, analyseIfRulesSuffice, analyseWithModel, needsModelFields } from '../../src/domain/analysis.js';
import { PROMPT_VERSION, type JsonSchema, type LocalModel, type ModelPrompt } from '../../src/domain/model-prompts.js';

/** A scripted model behind the LocalModel port: answers from a queue and records the prompts. */
function scriptedModel(answers: unknown[]): LocalModel & { prompts: ModelPrompt[]; schemas: JsonSchema[] } {
  const prompts: ModelPrompt[] = [];
  const schemas: JsonSchema[] = [];
  return {
    modelId: { file: 'test.gguf', sha256: 'ab'.repeat(32) },
    prompts,
    schemas,
    async generateJson<T>(prompt: ModelPrompt, schema: JsonSchema) {
      prompts.push(prompt);
      schemas.push(schema);
      return { value: answers.shift() as T, tokens: 10, promptTokens: 100, ms: 1 };
    },
    async dispose() {},
  };
}

const AS_OF = '2026-11-01';
const BILL = [{ page: 1, text: 'Northern Power Ltd\nElectricity bill\nBill date: 03/10/2026\nAccount number: 99120044\nAlice Martin\n12 High Street\nLondon SW1A 1AA\nElectricity used: 212 kWh\nAmount due: GBP 54.20' }];
const VAGUE = [{ page: 1, text: 'Reference 4471\nMs Alice Martin\n12 High Street\nLondon SW1A 1AA\nPlease keep this letter for your records.' }];

describe('analysis with the local model', () => {
  test('when the rules are sure of the type, then the model is not asked for it', async () => {
    const model = scriptedModel([{}]);
    const analysis = await analyseWithModel(BILL, model, { asOf: AS_OF, fillFields: false });
    expect(analysis.type).toBe('utility_bill');
    expect(model.prompts).toHaveLength(0);
    expect(analysis.model).toBeUndefined();
  });

  test('when the rules cannot tell the type, then the model is asked and its answer is merged, with its id recorded', async () => {
    expect(analyseByRules(VAGUE, { asOf: AS_OF }).type).toBe('unknown');
    const model = scriptedModel([{ type: 'utility_bill' }]);
    const analysis = await analyseWithModel(VAGUE, model, { asOf: AS_OF, fillFields: false });
    expect(model.prompts).toHaveLength(1);
    expect(model.prompts[0]!.user).toContain('12 High Street');
    // A lone model answer is weak (certainty medium → 0.45): below the threshold the type stays unknown.
    expect(analysis.type).toBe('unknown');
    expect(analysis.model).toEqual({ file: 'test.gguf', sha256: 'ab'.repeat(32), promptVersion: PROMPT_VERSION });
  });

  test('when rules miss fields, then the model fills them only with values found in the document', async () => {
    const noName = [{ page: 1, text: BILL[0]!.text.replace('Alice Martin\n', '') }];
    const rules = analyseByRules(noName, { asOf: AS_OF });
    expect(rules.type).toBe('utility_bill');
    const model = scriptedModel([{ fullName: 'Invented Person', statementDate: '2026-10-03', address: '12 High Street, London SW1A 1AA' }]);
    const analysis = await analyseWithModel(noName, model, { asOf: AS_OF });
    const asked = Object.keys((model.schemas[0] as { properties: object }).properties);
    for (const present of Object.keys(rules.fields)) expect(asked).not.toContain(present);
    expect(analysis.fields.fullName).toBeUndefined(); // not in the text: dropped
    for (const [name, value] of Object.entries(rules.fields)) expect(analysis.fields[name as keyof typeof analysis.fields]).toBe(value);
    expect(rules.fields.address).toBeUndefined();
    expect(analysis.fields.address).toBe('12 High Street, London SW1A 1AA'); // every word is on the page: kept
    expect(analysis.evidence.address?.source).toBe('model');
    expect(analysis.model?.promptVersion).toBe(PROMPT_VERSION);
  });

  test('without a model, the analysis is the rules alone', async () => {
    expect(await analyseWithModel(BILL, undefined, { asOf: AS_OF })).toEqual(analyseByRules(BILL, { asOf: AS_OF }));
  });
});

describe('the model is advisory', () => {
  test('when the model fails or its answer is cut, then the rules result stands', async () => {
    const failing: LocalModel = {
      modelId: { file: 'test.gguf', sha256: 'cd'.repeat(32) },
      async generateJson() {
        throw new Error("the model's answer was cut at maxTokens=95");
      },
      async dispose() {},
    };
    expect(await analyseWithModel(VAGUE, failing, { asOf: AS_OF })).toEqual(analyseByRules(VAGUE, { asOf: AS_OF }));
  });

  test('when asked for fields, then never for the dates that can reject a case', async () => {
    const passportText = [{ page: 1, text: 'PASSPORT\nSurname: MARTIN\nNationality: BRITISH\nDate of birth: 02.01.1990' }];
    const model = scriptedModel([{ type: 'passport' }, {}, {}]);
    await analyseWithModel(passportText, model, { asOf: AS_OF });
    const fieldSchemas = model.schemas.filter((schema) => 'properties' in schema && !('type' in ((schema as { properties: object }).properties)));
    expect(fieldSchemas.length).toBeGreaterThan(0);
    for (const schema of model.schemas) {
      const keys = Object.keys((schema as { properties?: object }).properties ?? {});
      expect(keys).not.toContain('expiryDate');
      expect(keys).not.toContain('dateOfBirth');
    }
  });
});

describe('the model is asked for fields only where the checks need one', () => {
  test('when a bill has its name, address and date but no IBAN (bills rarely print one), then no model call is made', async () => {
    expect(analyseByRules(BILL, { asOf: AS_OF }).fields.iban).toBeUndefined();
    const model = scriptedModel([{ iban: '' }]);
    await analyseWithModel(BILL, model, { asOf: AS_OF });
    expect(model.prompts).toHaveLength(0);
  });

  test('when asked to fill every missing field, then the same bill costs a call for its IBAN', async () => {
    const model = scriptedModel([{ iban: '' }]);
    await analyseWithModel(BILL, model, { asOf: AS_OF, fillFields: true });
    expect(model.prompts).toHaveLength(1);
  });

  test('when a needed field is missing, then the other missing fields ride along in the same call', async () => {
    const noName = [{ page: 1, text: BILL[0]!.text.replace('Alice Martin\n', '') }];
    const model = scriptedModel([{}]);
    await analyseWithModel(noName, model, { asOf: AS_OF });
    expect(model.prompts).toHaveLength(1);
    expect(Object.keys((model.schemas[0] as { properties: object }).properties)).toEqual(expect.arrayContaining(['fullName', 'iban']));
  });

  test.each([
    ['passport', { surname: 'MARTIN', givenNames: 'ALICE' }, false],
    ['id_card', { surname: 'MARTIN', givenNames: 'ALICE' }, false], // no printed address: no call
    ['passport', { surname: 'MARTIN' }, true],
    ['bank_statement', { fullName: 'Alice Martin', address: '1 High St', statementDate: '2026-10-01' }, false],
    ['payslip', { fullName: 'Alice Martin', address: '1 High St', issueDate: '2026-10-01' }, false],
    ['utility_bill', { fullName: 'Alice Martin', address: '1 High St' }, true],
    ['company_registration', { companyName: 'X Ltd', registrationNumber: '1', incorporationDate: '2020-01-01' }, true],
    ['unknown', {}, false],
  ] as const)('when a %s has %j, then a model call is needed: %s', (type, fields, expected) => {
    expect(needsModelFields(type, fields)).toBe(expected);
  });
});

describe('analysis where the text was read (rules settle it, the model would be asked nothing)', () => {
  test('when rules are sure of the type and find every field the checks need, then it is the very analysis the model worker would return, and no model is asked', async () => {
    const model = scriptedModel([]);
    const here = analyseIfRulesSuffice(BILL, { asOf: AS_OF });
    expect(here?.type).toBe('utility_bill');
    expect(here).toEqual(await analyseWithModel(BILL, model, { asOf: AS_OF }));
    expect(model.prompts).toHaveLength(0);
  });

  test('when rules cannot tell the type, then nothing is settled here', () => {
    expect(analyseIfRulesSuffice(VAGUE, { asOf: AS_OF })).toBeUndefined();
  });

  test('when a field the checks rest on is missing, then nothing is settled here; when the bank asks for no fields, it is', () => {
    const noName = [{ page: 1, text: BILL[0]!.text.replace('Alice Martin\n', '') }];
    expect(analyseIfRulesSuffice(noName, { asOf: AS_OF })).toBeUndefined();
    expect(analyseIfRulesSuffice(noName, { asOf: AS_OF, fillFields: false })).toEqual(analyseByRules(noName, { asOf: AS_OF }));
  });
});

describe('the model proposes, the content decides', () => {
  const BLANK_FORM = [{ page: 1, text: 'SOLICITUD\nNombre:\nApellidos:\nNúmero de pasaporte:\nFecha de nacimiento:\nDomicilio:\nFirma:' }];
  const INVOICE = [{ page: 1, text: 'Bright Office Supplies Ltd\nINVOICE\nInvoice date 14/10/2026\nBill to: Alice Martin\n12 High Street\nLondon SW1A 1AA\nDescription Qty Unit price Amount\nToner 1 £59.00 £59.00\nSubtotal £59.00\nVAT 20% £11.80\nTotal £70.80' }];

  test('when the model calls a half-filled application form a passport, then the analysis is unknown and no identity fields are read from its labels', async () => {
    const form = [{ page: 1, text: 'PASSPORT APPLICATION\nSurname:\nGiven names: EMILY\nPassport number:\nSignature of applicant' }];
    const model = scriptedModel([{ type: 'passport', certainty: 'high' }, {}]);
    const analysis = await analyseWithModel(form, model, { asOf: AS_OF });
    expect(model.prompts.length).toBeGreaterThan(0);
    expect(analysis.type).toBe('unknown');
    expect(analysis.confidence).toBeLessThan(0.5);
    expect(analysis.fields.surname).toBeUndefined();
  });

  test('when the model calls a commercial invoice a utility bill, then it is no proof of address', async () => {
    const model = scriptedModel([{ type: 'utility_bill', certainty: 'high' }, {}]);
    const analysis = await analyseWithModel(INVOICE, model, { asOf: AS_OF });
    expect(analysis.type).toBe('unknown');
  });

  test('when the rules alone read a blank form, then it is unknown too, and settled without asking the model', async () => {
    expect(analyseByRules(BLANK_FORM, { asOf: AS_OF }).type).toBe('unknown');
    const model = scriptedModel([{ type: 'passport', certainty: 'high' }]);
    await analyseWithModel(BLANK_FORM, model, { asOf: AS_OF, fillFields: false });
    expect(model.prompts).toHaveLength(0);
  });
});

describe('the IBAN of a proof of address', () => {
  const bill = (ibanLine: string): string =>
    [
      'Free Telecom SAS',
      'Facture n° 123 du 05/06/2015',
      'FO10479674 10577874',
      'de Lattre Alexis',
      '12 rue de la Paix',
      '75002 Paris',
      'Abonnement Freebox forfait 29,99 €',
      'Total à payer 29,99 €',
      'Nom de la banque : BIC : IBAN :',
      ibanLine,
    ].join('\n');

  test('when the bill prints the IBAN masked, then an invoice number shaped like an IBAN is not taken for it', () => {
    const analysis = analyseByRules([{ page: 1, text: bill('FR76 ***************************'), method: 'pdf-text' }], { asOf: '2015-07-01' });
    expect(analysis.type).toBe('utility_bill');
    expect(analysis.fields.iban).toBeUndefined();
  });

  test('when the bill prints its IBAN under the label, then that IBAN is read', () => {
    const analysis = analyseByRules([{ page: 1, text: bill('FR76 3000 6000 0112 3456 7890 189'), method: 'pdf-text' }], { asOf: '2015-07-01' });
    expect(analysis.fields.iban).toBe('FR7630006000011234567890189');
  });
});
