/**
 * The plain-language catalogue: every code the engine, the built-in policy and the review workflow
 * emit has words of its own in English; a bank's language is picked by tag and falls back to
 * English; the page's labels come from it.
 */
import { describe, expect, it } from 'vitest';

import { CHECK_IDS } from '../../src/domain/check-ids.js';
import { DEFAULT_POLICY, VALUE_BEARING_CHECKS } from '../../src/domain/decision.js';
import { DOCUMENT_TYPES, FIELD_NAMES, type FieldSource, type MrzFieldStatus } from '../../src/domain/documents.js';
import {
  actionText,
  checkName,
  checkOutcomeText,
  en,
  fieldName,
  fill,
  messagesFor,
  reasonText,
  spellOut,
  type MessageCatalogue,
} from '../../src/review/messages/index.js';
import { REVIEW_ACTIONS, REVIEW_DECISIONS } from '../../src/review/types.js';
import { actionLabel, checkLabel, correctFieldLabel, fieldText } from '../../web/src/reasons.js';

/** Words of its own: not the code, and not the code merely spelt out. */
function isOwnWords(words: string | undefined, code: string): boolean {
  return words !== undefined && words.length > 0 && words !== code && words.toLowerCase() !== spellOut(code).toLowerCase();
}

describe('the English catalogue covers every code', () => {
  it.each([...DEFAULT_POLICY.rejectReasons, ...DEFAULT_POLICY.reviewReasons, ...DEFAULT_POLICY.highRiskReasons, 'quality_control_sample'])(
    'when the built-in policy gives the reason %s, then it has words of its own',
    (code) => expect(isOwnWords(en.reasons[code], code)).toBe(true),
  );

  it.each([...CHECK_IDS])('when the engine emits the check %s, then it has a name and says what a failure means', (id) => {
    expect(isOwnWords(checkName(en, id), id)).toBe(true);
    expect(checkOutcomeText(en, id, 'fail')?.length).toBeGreaterThan(10);
    expect(checkOutcomeText(en, id, 'pass')).toBeUndefined();
  });

  it.each([...VALUE_BEARING_CHECKS])('when the value-bearing check %s is inconclusive, then the catalogue says what that means', (id) => {
    expect(checkOutcomeText(en, id, 'inconclusive')?.length).toBeGreaterThan(10);
  });

  it('when a field, document type, action or decision is shown, then it has words (the type system lists any missing)', () => {
    for (const field of FIELD_NAMES) expect(en.fields[field]).toMatch(/^\p{Lu}/u);
    for (const type of DOCUMENT_TYPES) expect(en.documentTypes[type]).toMatch(/^\p{Lu}/u);
    for (const action of REVIEW_ACTIONS) expect(isOwnWords(en.actions[action], action)).toBe(true);
    for (const decision of REVIEW_DECISIONS) expect(en.decisions[decision].length).toBeGreaterThan(0);
    const sources: FieldSource[] = ['mrz', 'text', 'model', 'reviewer'];
    for (const source of sources) expect(en.sources[source].length).toBeGreaterThan(0);
    const statuses: MrzFieldStatus[] = ['read', 'repaired', 'corroborated', 'unverified', 'failed'];
    for (const status of statuses) expect(isOwnWords(en.mrzStatuses[status], status)).toBe(true);
  });
});

describe('looking codes up', () => {
  it('when a reason is a check\'s fail-closed <id>_failed or <id>_inconclusive, then it is named by the check', () => {
    expect(reasonText(en, 'iban_valid_failed')).toBe('Check failed: IBAN');
    expect(reasonText(en, 'applicant_adult_inconclusive')).toBe('Check not settled: Applicant of age');
  });

  it('when a code is unknown (a bank\'s own), then it is spelt out, never shown blank', () => {
    expect(reasonText(en, 'pep_match')).toBe('Pep match');
    expect(fieldName(en, 'taxNumber')).toBe('Tax number');
    expect(actionText(en, 'archived')).toBe('archived');
  });

  it('when a code is the name of an object property, then it is not taken for a known code', () => {
    expect(reasonText(en, 'constructor')).toBe('Constructor');
    expect(checkName(en, 'toString')).toBe('To string');
  });

  it('when a template names a value it was not given, then the placeholder stays visible', () => {
    expect(fill('Correct the {field} of {document}', { field: 'expiry date' })).toBe('Correct the expiry date of {document}');
  });
});

describe('choosing a language', () => {
  const de: MessageCatalogue = { ...en, language: 'de', reasons: { ...en.reasons, name_mismatch: 'Name weicht ab' } };
  const catalogues = { en, de };

  it('when the page asks for a regional tag, then the language\'s catalogue is used', () => {
    expect(messagesFor('de-CH', catalogues).language).toBe('de');
    expect(reasonText(messagesFor('DE', catalogues), 'name_mismatch')).toBe('Name weicht ab');
  });

  it('when no catalogue matches or none is asked for, then English', () => {
    expect(messagesFor('fr', catalogues).language).toBe('en');
    expect(messagesFor(undefined, catalogues).language).toBe('en');
    expect(messagesFor('de').language).toBe('en');
  });
});

describe('the page\'s labels', () => {
  it('when the page shows a check id, a field or an event, then it shows words, not the code', () => {
    expect(checkLabel('mrz_checksum')).toBe('Machine-readable zone check digits');
    expect(checkLabel('address_matches_declared')).toBe('Address as declared');
    expect(fieldText('expiryDate')).toBe('Expiry date');
    expect(actionLabel('first_approval')).toBe('gave the first of two approvals');
  });

  it('when a screen reader reads a field\'s correct control, then it hears words, keeping acronyms', () => {
    expect(correctFieldLabel('fullName', 'passport.pdf')).toBe('Correct the full name of passport.pdf');
    expect(correctFieldLabel('iban', 'bill.pdf')).toBe('Correct the IBAN of bill.pdf');
  });
});
