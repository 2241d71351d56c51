import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DECISION_REASONS } from '../../src/corpus/specs.js';
import { DOCUMENT_TYPES, FIELD_NAMES } from '../../src/domain/documents.js';
import type { Manifest } from '../../tools/real-docs/manifest.js';
import { checkDigit, checkManifest, splitLabels, splitOf, td3CheckDigits } from '../../tools/real-docs/manifest.js';

const manifest = JSON.parse(readFileSync(new URL('../../tools/real-docs/manifest.json', import.meta.url), 'utf8')) as Manifest;
const vocabulary = { documentTypes: DOCUMENT_TYPES, fieldNames: FIELD_NAMES, reasons: DECISION_REASONS };

describe('real-document manifest', () => {
  it('follows its split rule, records a licence and sha256 per document, and labels in the eval vocabulary', () => {
    expect(checkManifest(manifest, vocabulary)).toEqual([]);
  });

  it('has both halves', () => {
    const splits = manifest.documents.map((d) => d.split);
    expect(splits).toContain('dev');
    expect(splits).toContain('test');
  });

  it('refuses a document moved to the other half, and reasons that do not give the labelled decision', () => {
    const [first] = manifest.documents;
    const moved = { ...first!, split: first!.split === 'dev' ? 'test' : 'dev' } as Manifest['documents'][number];
    const approved = { ...first!, id: 'x-approved', expected: { decision: 'approved', reasons: ['expired_document'] } } as Manifest['documents'][number];
    const problems = checkManifest({ ...manifest, documents: [moved, approved] }, vocabulary);
    expect(problems.some((p) => p.includes('the rule says'))).toBe(true);
    expect(problems.some((p) => p.includes('reasons imply rejected, labelled approved'))).toBe(true);
  });

  it('keeps the pages of one group in one split', () => {
    const byGroup = new Map<string, Set<string>>();
    for (const doc of manifest.documents) byGroup.set(doc.group, (byGroup.get(doc.group) ?? new Set()).add(doc.split));
    for (const [group, splits] of byGroup) expect([group, splits.size]).toEqual([group, 1]);
    expect(splitOf('eolie-specimen-passport')).toBe(splitOf('eolie-specimen-passport'));
  });

  it('computes ICAO check digits (the ICAO 9303 example) and catches a wrongly recorded digit', () => {
    const line2 = 'L898902C36UTO7408122F1204159ZE184226B<<<<<10';
    expect(checkDigit('L898902C3')).toBe('6');
    expect(Object.values(td3CheckDigits(line2)).every((d) => d.printed === d.computed)).toBe(true);
    const withMrz = manifest.documents.find((d) => d.truth.mrz?.allCheckDigitsCorrect === false)!;
    const lied = { ...withMrz, truth: { ...withMrz.truth, mrz: { ...withMrz.truth.mrz!, allCheckDigitsCorrect: true } } };
    expect(checkManifest({ ...manifest, documents: [lied] }, vocabulary)).toContain(`${withMrz.id}: allCheckDigitsCorrect disagrees with the lines`);
  });

  it('turns each document into a one-document case of its split', () => {
    for (const split of ['dev', 'test'] as const) {
      const labels = splitLabels(manifest, split);
      const docs = manifest.documents.filter((d) => d.split === split);
      expect(Object.keys(labels.cases).sort()).toEqual(docs.map((d) => d.id).sort());
      for (const doc of docs) expect(Object.keys(labels.cases[doc.id]!.documents)).toEqual([doc.fileName]);
    }
  });

  it('flags on the document the reasons it causes itself, so a wrong printed check digit is counted by the eval', () => {
    const wrongDigits = manifest.documents.filter((d) => d.truth.mrz?.allCheckDigitsCorrect === false);
    expect(wrongDigits.length).toBeGreaterThan(0);
    for (const doc of wrongDigits) {
      const label = splitLabels(manifest, doc.split).cases[doc.id]!.documents[doc.fileName]!;
      expect(label.flags).toContain('mrz_checksum');
      expect(label.flags).not.toContain('missing_proof_of_address');
    }
    const clean = manifest.documents.find((d) => d.expected.reasons.every((r) => r.startsWith('missing_')))!;
    expect(splitLabels(manifest, clean.split).cases[clean.id]!.documents[clean.fileName]!.flags).toBeUndefined();
  });
});
