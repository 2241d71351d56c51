/**
 * File names are labels, never paths: both sanitisers (the API form's, and the document store's,
 * which every document passes through, CLI folders included) on hostile names.
 */
import { describe, expect, test } from 'vitest';
import { sanitiseFileName as storeName } from '../../src/adapters/fs-document-store.js';
import { sanitiseFileName as formName } from '../../src/api/routes/batch-form.js';

const HOSTILE: Array<[string, string]> = [
  ['../../../etc/passwd', 'passwd'],
  ['..\\..\\windows\\system32\\cmd.exe', 'cmd.exe'],
  ['C:\\Users\\Jane\\passport.jpg', 'passport.jpg'],
  ['invoice\u202Efdp.exe', 'invoice_fdp.exe'], // right-to-left override: shows as "invoiceexe.pdf"
  ['bill\u0000.pdf', 'bill_.pdf'],
  ['line\nbreak\r.pdf', 'line_break_.pdf'],
  ['..', 'document'],
  ['.hidden.pdf', 'hidden.pdf'],
  ['', 'document'],
  ['<script>alert(1)</script>.pdf', 'script_.pdf'], // "/" splits it: only the part after the last one is kept
  ['Jürgen Müller – Reisepass.pdf', 'Jürgen Müller _ Reisepass.pdf'],
];

describe('the document store sanitises every file name', () => {
  test.each(HOSTILE)('when a document is named %j, then it is labelled %j', (name, expected) => {
    expect(storeName(name)).toBe(expected);
    expect(storeName(name)).toMatch(/^[\p{L}\p{N}._ -]+$/u);
    expect(storeName(name)).not.toMatch(/^\./);
  });

  test('when a name is very long, then it is cut to 128 characters', () => {
    expect(storeName(`${'a'.repeat(300)}.pdf`)).toHaveLength(128);
  });
});

describe('the API form keeps the base name, printable and bounded', () => {
  test.each([
    ['../../../etc/passwd', 'passwd'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['bill\u0000.pdf', 'bill.pdf'],
    ['..', 'document-3'],
    ['', 'document-3'],
  ])('when an upload is named %j, then the form reads %j', (name, expected) => {
    expect(formName(name, 3)).toBe(expected);
  });
});
