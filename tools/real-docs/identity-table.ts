/**
 * Per identity document of the real-document set: was the MRZ found, are the document number, birth date,
 * expiry and surname right, what did `mrz_checksum` say, and was a `pass` given to a wrong protected value
 * (document number, or a date's YYMMDD digits: the century is not protected by a check digit). Reads the
 * eval's reports.json of a split (written by `npm run eval -- --out DIR`) and the manifest's truth labels.
 *
 *   npx tsx tools/real-docs/identity-table.ts <split dir> [more split dirs…]
 *
 * Prints a Markdown table and a summary line per split, then a line on the proofs of address (addressee,
 * address and date right) and on the other documents taken for a proof of address. No PII beyond the public specimens' own labels.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fieldValuesMatch } from '../../src/eval/score.js';
import type { FieldName } from '../../src/domain/documents.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const IDENTITY_KINDS = ['passport', 'id_card', 'visa', 'residence permit', 'driving licence'];
const KEY_FIELDS: FieldName[] = ['documentNumber', 'dateOfBirth', 'expiryDate', 'surname'];

interface ManifestDoc {
  id: string;
  kind: string;
  fileName: string;
  truth: { type: string; fields: Record<string, string>; mrz?: { allCheckDigitsCorrect: boolean } };
}

interface ReportDoc {
  file: string;
  type: string;
  fields: Record<string, string | undefined>;
  evidence?: Record<string, { source?: string }>;
}

interface ReportCase {
  caseId: string;
  documents: ReportDoc[];
  checks: Array<{ id: string; status: string; file?: string }>;
}

/** YYMMDD of an ISO date: what the MRZ's check digit protects (the century is not protected). */
function yymmdd(date: string | undefined): string | undefined {
  return date?.match(/^\d{2}(\d{2})-(\d{2})-(\d{2})$/)?.slice(1).join('');
}

/** A value the MRZ's check digits protect is wrong: the document number, or a date's YYMMDD digits. */
function protectedValueWrong(truth: Record<string, string>, got: Record<string, string | undefined>): boolean {
  if (truth.documentNumber !== undefined && !fieldValuesMatch('documentNumber', truth.documentNumber, got.documentNumber)) return true;
  return (['dateOfBirth', 'expiryDate'] as const).some((f) => truth[f] !== undefined && yymmdd(truth[f]) !== yymmdd(got[f]));
}

function mark(ok: boolean): string {
  return ok ? 'yes' : 'no';
}

async function table(dir: string, docs: ManifestDoc[]): Promise<string> {
  const reports = JSON.parse(await readFile(join(dir, 'reports.json'), 'utf8')) as { cases: ReportCase[] };
  const byCase = new Map(reports.cases.map((c) => [c.caseId, c]));
  const rows: string[] = [
    '| document | MRZ found | number | birth | expiry | surname | all four | `mrz_checksum` | pass with a wrong value | printed digits all right |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  let found = 0;
  let allFour = 0;
  let wrongPass = 0;
  let badDigitsFailed = 0;
  let badDigits = 0;
  const present = docs.filter((d) => IDENTITY_KINDS.includes(d.kind) && byCase.has(d.id));
  for (const doc of present) {
    const report = byCase.get(doc.id)!;
    const reported = report.documents.find((d) => d.file === doc.fileName);
    const checks = report.checks.filter((c) => c.id === 'mrz_checksum' && (c.file === undefined || c.file === doc.fileName));
    const verdict = checks.map((c) => c.status).join(', ') || '—';
    const mrzFound = checks.length > 0 || Object.values(reported?.evidence ?? {}).some((e) => e.source === 'mrz');
    const right = KEY_FIELDS.map((f) => {
      const expected = doc.truth.fields[f];
      return expected === undefined ? true : fieldValuesMatch(f, expected, reported?.fields[f]);
    });
    const four = right.every(Boolean);
    const passWrong = verdict === 'pass' && protectedValueWrong(doc.truth.fields, reported?.fields ?? {});
    const digitsRight = doc.truth.mrz?.allCheckDigitsCorrect;
    if (mrzFound) found += 1;
    if (four) allFour += 1;
    if (passWrong) wrongPass += 1;
    if (digitsRight === false) {
      badDigits += 1;
      if (verdict === 'fail') badDigitsFailed += 1;
    }
    rows.push(
      `| ${doc.id} | ${mark(mrzFound)} | ${right.map(mark).join(' | ')} | ${mark(four)} | ${verdict} | ${passWrong ? '**yes**' : 'no'} | ${digitsRight === undefined ? '—' : mark(digitsRight)} |`,
    );
  }
  const summary =
    `${basename(dir)}: ${present.length} identity documents; MRZ found on ${found}; number, birth date, expiry and surname all right on ${allFour}; ` +
    `\`pass\` with a wrong value ${wrongPass}; wrong printed check digits failed ${badDigitsFailed} of ${badDigits}.`;
  return `${rows.join('\n')}\n\n${summary}\n`;
}

const PROOF_KINDS = ['utility bill', 'bank statement', 'payslip'];
const PROOF_TYPES = ['utility_bill', 'bank_statement', 'payslip'];

/** Proofs of address: addressee, address and date right; and documents that are not one, taken for one. */
async function proofSummary(dir: string, docs: ManifestDoc[]): Promise<string> {
  const reports = JSON.parse(await readFile(join(dir, 'reports.json'), 'utf8')) as { cases: ReportCase[] };
  const byCase = new Map(reports.cases.map((c) => [c.caseId, c]));
  const tally = { fullName: [0, 0], address: [0, 0], statementDate: [0, 0] } as Record<'fullName' | 'address' | 'statementDate', [number, number]>;
  let typed = 0;
  let proofs = 0;
  let others = 0;
  let takenForProof = 0;
  for (const doc of docs) {
    const report = byCase.get(doc.id);
    if (!report) continue;
    const reported = report.documents.find((d) => d.file === doc.fileName);
    if (PROOF_KINDS.includes(doc.kind)) {
      proofs += 1;
      if (reported?.type === doc.truth.type) typed += 1;
      for (const field of Object.keys(tally) as Array<keyof typeof tally>) {
        const expected = doc.truth.fields[field];
        if (expected === undefined) continue;
        tally[field][1] += 1;
        if (fieldValuesMatch(field, expected, reported?.fields[field])) tally[field][0] += 1;
      }
    } else if (!IDENTITY_KINDS.includes(doc.kind)) {
      others += 1;
      if (reported && PROOF_TYPES.includes(reported.type)) takenForProof += 1;
    }
  }
  const ratio = ([right, total]: [number, number]): string => `${right} of ${total}`;
  return (
    `${basename(dir)}: ${proofs} proofs of address, type right on ${typed}; addressee's name right on ${ratio(tally.fullName)}, ` +
    `address on ${ratio(tally.address)}, date on ${ratio(tally.statementDate)}; ` +
    `${takenForProof} of ${others} other documents (invoices, receipts, non-documents) taken for a proof of address.\n`
  );
}

async function main(): Promise<void> {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) throw new Error('usage: identity-table.ts <split dir>…');
  const manifest = JSON.parse(await readFile(join(HERE, 'manifest.json'), 'utf8')) as { documents: ManifestDoc[] };
  for (const dir of dirs) process.stdout.write(`${await table(dir, manifest.documents)}\n${await proofSummary(dir, manifest.documents)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`identity-table: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
