/**
 * Corpus v2 (tools/corpus-v2): the same seed gives the same corpus, and its labels say what it prints —
 * checked against an independent MRZ parser (the `mrz` package) and ibantools, not against the generator.
 */
import { isValidIBAN } from 'ibantools';
import { parse as parseMrz } from 'mrz';
import { describe, expect, test } from 'vitest';

import { decisionFor } from '../../src/corpus/specs.js';
import { renderV2Document } from '../../tools/corpus-v2/generate.js';
import type { IdDoc } from '../../tools/corpus-v2/plan.js';
import { V2_DEFAULTS, labelsV2, planV2 } from '../../tools/corpus-v2/plan.js';

const plan = planV2({ seed: V2_DEFAULTS.seed, applicants: V2_DEFAULTS.applicants });
const labels = labelsV2(plan);
const idDocs = plan.cases.flatMap((c) => c.documents).filter((d): d is IdDoc => d.family === 'id');

function yymmdd(iso: string): string {
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

describe('corpus v2', () => {
  test('when planned twice with one seed, then the labels are identical; another seed gives others', () => {
    expect(labelsV2(planV2({ seed: V2_DEFAULTS.seed, applicants: 40 }))).toEqual(labels);
    expect(labelsV2(planV2({ seed: V2_DEFAULTS.seed + 1, applicants: 40 }))).not.toEqual(labels);
  });

  test('when a document is rendered twice, then the bytes are identical', async () => {
    const photoCase = plan.cases.findIndex((c) => c.documents[0]?.capture.medium === 'photo');
    const pdfCase = plan.cases.findIndex((c) => c.documents.some((d) => d.capture.medium === 'text-pdf'));
    const pdfDoc = plan.cases[pdfCase]!.documents.findIndex((d) => d.capture.medium === 'text-pdf');
    for (const [c, d] of [[photoCase, 0], [pdfCase, pdfDoc]] as const) {
      const first = await renderV2Document(plan, c, d);
      const second = await renderV2Document(plan, c, d);
      expect(first.length).toBeGreaterThan(1000);
      expect(Buffer.compare(Buffer.from(first), Buffer.from(second))).toBe(0);
    }
  });

  test('when an MRZ is printed, then an independent parser reads the labelled values and only a planned wrong digit fails', () => {
    const withMrz = idDocs.filter((d) => d.mrz);
    expect(withMrz.length).toBeGreaterThan(20);
    for (const doc of withMrz) {
      const result = parseMrz(doc.mrz!, { autocorrect: false } as never);
      const label = labels.cases[plan.cases.find((c) => c.documents.includes(doc))!.caseId]!.documents[doc.fileName]!;
      expect(result.fields.documentNumber).toBe(label.fields.documentNumber);
      expect(result.fields.birthDate).toBe(yymmdd(label.fields.dateOfBirth!));
      expect(result.fields.expirationDate).toBe(yymmdd(label.fields.expiryDate!));
      expect(result.fields.sex).toBe(label.fields.sex === 'M' ? 'male' : 'female');
      const failed = result.details.filter((d) => !d.valid && d.field?.endsWith('CheckDigit')).map((d) => d.field);
      // Visas (MRV-A/B) have no composite digit: the parser, reading them as TD3/TD2, expects one.
      const relevant = doc.kind === 'visa' ? failed.filter((f) => f !== 'compositeCheckDigit') : failed;
      expect(relevant).toEqual(doc.wrongCheckDigit ? ['documentNumberCheckDigit'] : []);
    }
  });

  test('when labels are written, then decisions follow the reasons and each flagged fault is in the documents', () => {
    for (const spec of plan.cases) {
      const label = labels.cases[spec.caseId]!;
      expect(label.decision).toBe(decisionFor(label.reasons));
      for (const doc of spec.documents) {
        const docLabel = label.documents[doc.fileName]!;
        for (const flag of docLabel.flags ?? []) expect(label.reasons).toContain(flag);
        if (doc.family === 'paper' && doc.iban) expect(isValidIBAN(doc.iban)).toBe(!label.reasons.includes('invalid_iban') || doc.kind !== 'bank_statement');
        if (docLabel.fields.dateOfBirth) expect(docLabel.fields.dateOfBirth).toBe(spec.applicant.dateOfBirth);
      }
    }
  });

  test('when forty applicants are planned, then every outcome, capture and document kind is there', () => {
    const reasons = new Set(Object.values(labels.cases).flatMap((c) => c.reasons));
    for (const r of ['expired_document', 'underage', 'name_mismatch', 'address_mismatch', 'stale_proof_of_address', 'mrz_checksum', 'invalid_iban', 'missing_proof_of_address']) {
      expect(reasons).toContain(r);
    }
    expect(Object.values(labels.cases).filter((c) => c.decision === 'approved').length).toBeGreaterThanOrEqual(12);
    const docs = plan.cases.flatMap((c) => c.documents);
    const captures = docs.map((d) => (d.capture.medium === 'text-pdf' ? 'text-pdf' : `${d.capture.medium}${d.capture.rotate ? '-rot' : ''}${d.capture.exif ? '-exif' : ''}`));
    for (const c of ['text-pdf', 'scan-pdf', 'scan-png', 'photo', 'lowres', 'photo-exif']) expect(captures).toContain(c);
    expect(captures.filter((c) => c.includes('-rot')).length).toBeGreaterThanOrEqual(3);
    const kinds = new Set(docs.map((d) => d.kind));
    for (const k of ['passport', 'id_card', 'driving_licence', 'visa', 'utility_bill', 'bank_statement', 'payslip', 'invoice', 'bank_details', 'blank_form']) expect(kinds).toContain(k);
    expect(new Set(docs.filter((d) => d.family === 'paper').map((d) => d.lang)).size).toBe(8);
    for (const kind of ['passport', 'id_card', 'driving_licence', 'utility_bill', 'bank_statement', 'payslip']) {
      expect(new Set(docs.filter((d) => d.kind === kind).map((d) => d.layout)).size, kind).toBe(3);
    }
  });
});
