import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isValidIBAN } from 'ibantools';
import { parse as parseMrz } from 'mrz';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CaseRecipe, CorpusLabels, CorpusPlan, DocumentSpec } from '../../src/corpus/index.js';
import {
  corpusLabels, DECISION_REASONS, generateCorpus, idCardMrz, passportMrz, planCases, planCorpus, planSampleBatch, writeCorpus,
} from '../../src/corpus/index.js';

// Independent ICAO 9303 check digit: weights 7,3,1; 0-9 digits, A-Z = 10-35, '<' = 0.
function checkDigit(field: string): number {
  const values = [...field].map((c) => (c === '<' ? 0 : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55));
  return values.reduce((sum, v, i) => sum + v * [7, 3, 1][i % 3]!, 0) % 10;
}

/** Names of the TD3 check digits that do not verify. */
function failedTd3Checks(line2: string): string[] {
  const digitAt = (i: number): number => (line2[i] === '<' ? 0 : Number(line2[i]));
  const checks: [string, string, number][] = [
    ['documentNumber', line2.slice(0, 9), 9],
    ['dateOfBirth', line2.slice(13, 19), 19],
    ['expiryDate', line2.slice(21, 27), 27],
    ['personalNumber', line2.slice(28, 42), 42],
    ['composite', line2.slice(0, 10) + line2.slice(13, 20) + line2.slice(21, 43), 43],
  ];
  return checks.filter(([, field, at]) => checkDigit(field) !== digitAt(at)).map(([name]) => name);
}

const MAGIC: Record<string, (b: Buffer) => boolean> = {
  pdf: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  png: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  jpg: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  tif: (b) => ['II*\0', 'MM\0*'].includes(b.subarray(0, 4).toString('latin1')),
  webp: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  json: (b) => b.length > 0 && b[0] === 0x7b,
  csv: (b) => b.subarray(0, 3).toString('latin1') === 'id,',
};

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

async function hashTree(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await listFiles(dir)) hash.update(relative(dir, file)).update('\0').update(await readFile(file));
  return hash.digest('hex');
}

const AS_OF = '2026-06-30';
const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'corpus-test-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('planning (no rendering)', () => {
  const plan = planCorpus({ applicants: 30, seed: 7, asOf: AS_OF });
  const labels = corpusLabels(plan);
  const cases = Object.values(labels.cases);

  test('when 30 applicants are planned, then every decision path is labelled and about half are approved', () => {
    const reasons = new Set(cases.flatMap((c) => c.reasons));
    expect([...reasons].sort()).toEqual([...DECISION_REASONS].sort());
    const decisions = cases.map((c) => c.decision);
    expect(decisions.filter((d) => d === 'approved')).toHaveLength(15);
    expect(decisions).toContain('rejected');
    expect(decisions).toContain('review');
    for (const c of cases) {
      const rejected = c.reasons.some((r) => r === 'expired_document' || r === 'underage');
      expect(c.decision).toBe(rejected ? 'rejected' : c.reasons.length > 0 ? 'review' : 'approved');
    }
  });

  test('when a case is labelled, then its documents agree with the policy facts behind its reasons', () => {
    const daysBefore = (iso: string): number => (Date.parse(AS_OF) - Date.parse(iso)) / 86_400_000;
    for (const spec of plan.cases) {
      const docs = Object.values(labels.cases[spec.caseId]!.documents);
      const identity = docs.filter((d) => ['passport', 'id_card', 'driving_licence'].includes(d.type));
      const proofs = docs.filter((d) => ['utility_bill', 'bank_statement', 'payslip'].includes(d.type));
      const has = (reason: string): boolean => spec.reasons.includes(reason as never);
      expect(identity.length === 0, spec.caseId).toBe(has('missing_identity'));
      expect(proofs.length === 0, spec.caseId).toBe(has('missing_proof_of_address'));
      expect(identity.some((d) => d.fields.expiryDate! <= AS_OF), spec.caseId).toBe(has('expired_document'));
      const age = (Date.parse(AS_OF) - Date.parse(spec.applicant.dateOfBirth)) / (365.25 * 86_400_000);
      expect(age < 18, spec.caseId).toBe(has('underage'));
      expect(proofs.some((d) => daysBefore(d.fields.statementDate!) > 90), spec.caseId).toBe(has('stale_proof_of_address'));
      const ibans = proofs.map((d) => d.fields.iban).filter((iban): iban is string => iban !== undefined);
      expect(ibans.some((iban) => !isValidIBAN(iban)), spec.caseId).toBe(has('invalid_iban'));
      expect(docs.some((d) => d.type === 'unknown'), spec.caseId).toBe(has('unreadable_document'));
    }
  });

  test('when names and addresses differ only within the tolerances, then no mismatch is labelled', () => {
    const tokens = (name: string): Set<string> =>
      new Set(name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss').toLowerCase().replace(/'/g, '').split(/[\s,-]+/).filter(Boolean));
    const subset = (a: Set<string>, b: Set<string>): boolean => [...a].every((t) => b.has(t));
    const address = (text: string): string =>
      text.toLowerCase().replace(/\bst\b/g, 'street').replace(/\brd\b/g, 'road').replace(/,/g, '');
    for (const spec of plan.cases) {
      const docs = Object.values(labels.cases[spec.caseId]!.documents);
      const declared = tokens(spec.applicant.fullName);
      const nameOk = docs.filter((d) => d.fields.fullName).every((d) => {
        const onDoc = tokens(d.fields.fullName!);
        return subset(onDoc, declared) || subset(declared, onDoc);
      });
      expect(nameOk, spec.caseId).toBe(!spec.reasons.includes('name_mismatch'));
      const addressOk = docs.filter((d) => d.fields.address).every((d) => address(d.fields.address!) === address(spec.applicant.address));
      expect(addressOk, spec.caseId).toBe(!spec.reasons.includes('address_mismatch'));
    }
  });

  test('when the sample batch is planned, then it has two approvals, one rejection and one review', () => {
    const sample = corpusLabels(planSampleBatch());
    expect(Object.values(sample.cases).map((c) => [c.decision, ...c.reasons])).toEqual([
      ['approved'], ['approved'], ['rejected', 'expired_document'], ['review', 'name_mismatch'],
    ]);
  });

  test('when a case is on the sanctions path, then the list holds that applicant with the same birth date', () => {
    const listed = plan.cases.filter((c) => c.reasons.includes('sanctions_match'));
    expect(listed.length).toBeGreaterThan(0);
    for (const spec of listed) {
      expect(plan.sanctions.some((e) => e.birthDate === spec.applicant.dateOfBirth && e.schema === 'Person')).toBe(true);
    }
    const others = plan.cases.filter((c) => !c.reasons.includes('sanctions_match')).map((c) => c.applicant.dateOfBirth);
    expect(plan.sanctions.filter((e) => others.includes(e.birthDate))).toEqual([]);
  });

  test('when passports and ID cards are planned, then their MRZ check digits verify unless deliberately broken', () => {
    const mrzDocs = plan.cases.flatMap((c) => c.documents.map((doc) => ({ doc, broken: c.reasons.includes('mrz_checksum') })));
    let checked = 0;
    for (const { doc, broken } of mrzDocs) {
      if (doc.type === 'passport') {
        const [line1, line2] = passportMrz(doc);
        expect(line1).toHaveLength(44);
        expect(line2).toMatch(/^[A-Z0-9<]{44}$/);
        expect(failedTd3Checks(line2)).toHaveLength(broken ? 1 : 0);
        expect(parseMrz([line1, line2]).valid).toBe(!broken);
        expect(line2.slice(0, 9).replace(/<+$/, '')).toBe(doc.documentNumber);
        expect(line2.slice(13, 19)).toBe(doc.dateOfBirth.slice(2).replace(/-/g, ''));
        checked++;
      } else if (doc.type === 'id_card') {
        const lines = idCardMrz(doc);
        lines.forEach((line) => expect(line).toMatch(/^[A-Z0-9<]{30}$/));
        expect(parseMrz(lines).valid).toBe(!broken);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});

/** One case per file format and document type, plus every kind of damaged file. */
const FORMAT_RECIPES: CaseRecipe[] = [
  { identity: [{ type: 'passport', format: 'photo-png' }], proofOfAddress: [{ type: 'utility_bill', format: 'scan-tiff' }], extras: [{ type: 'company_registration', format: 'text-pdf' }] },
  { identity: [{ type: 'id_card', format: 'photo-webp' }], proofOfAddress: [{ type: 'bank_statement', format: 'scan-pdf' }], extras: [], nationality: 'FRA' },
  { identity: [{ type: 'driving_licence', format: 'scan-png' }], proofOfAddress: [{ type: 'payslip', format: 'photo-jpeg' }], extras: [], reason: 'unreadable_document', unreadable: 'truncated-jpeg' },
  { identity: [{ type: 'passport', format: 'scan-pdf' }], proofOfAddress: [{ type: 'utility_bill', format: 'text-pdf' }], extras: [], reason: 'unreadable_document', unreadable: 'truncated-pdf' },
];

describe('rendering', () => {
  let plan: CorpusPlan;
  let dir: string;
  beforeAll(async () => {
    plan = planCases({ seed: 11, asOf: AS_OF, recipes: FORMAT_RECIPES });
    dir = await tempDir();
    await writeCorpus(plan, dir);
  });

  test('when files are written, then each is a valid file of its extension by magic bytes, and labels name them', async () => {
    const files = await listFiles(dir);
    const extensions = new Set(files.map((f) => f.split('.').pop()));
    expect([...extensions].sort()).toEqual(['csv', 'jpg', 'json', 'pdf', 'png', 'tif', 'webp']);
    for (const file of files) {
      const ext = file.split('.').pop()!;
      expect(MAGIC[ext]!(await readFile(file)), file).toBe(true);
    }
    const labels = JSON.parse(await readFile(join(dir, 'labels.json'), 'utf8')) as CorpusLabels;
    for (const [caseId, label] of Object.entries(labels.cases)) {
      const onDisk = (await readdir(join(dir, caseId))).filter((f) => f !== 'applicant.json').sort();
      expect(onDisk).toEqual(Object.keys(label.documents).sort());
    }
  });

  test('when a document is damaged, then it is truncated, not replaced', async () => {
    const damaged = plan.cases.flatMap((c) => c.documents.filter((d): d is Extract<DocumentSpec, { type: 'unknown' }> => d.type === 'unknown').map((d) => ({ c, d })));
    expect(damaged.map(({ d }) => d.corruption).sort()).toEqual(['truncated-jpeg', 'truncated-pdf']);
    for (const { c, d } of damaged) {
      const bytes = await readFile(join(dir, c.caseId, d.fileName));
      if (d.corruption === 'truncated-pdf') expect(bytes.includes('%%EOF')).toBe(false);
      else expect(bytes.subarray(-2).equals(Buffer.from([0xff, 0xd9]))).toBe(false);
    }
  });
});

describe('determinism', () => {
  test('when the same seed is generated twice, then the trees are byte-identical; another seed differs', async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    await generateCorpus({ outDir: a, applicants: 3, seed: 5, asOf: AS_OF });
    await generateCorpus({ outDir: b, applicants: 3, seed: 5, asOf: AS_OF });
    await generateCorpus({ outDir: c, applicants: 3, seed: 6, asOf: AS_OF });
    expect(await hashTree(a)).toBe(await hashTree(b));
    expect(await hashTree(a)).not.toBe(await hashTree(c));
  });
});

describe('big corpora', () => {
  test('when one nationality has more applicants than first-name/surname pairs, then names stay unique, the later ones double-barrelled', () => {
    const recipe: CaseRecipe = {
      identity: [{ type: 'passport', format: 'photo-jpeg' }], proofOfAddress: [{ type: 'utility_bill', format: 'text-pdf' }],
      extras: [], exactDeclaration: true, country: 'GB', nationality: 'GBR',
    };
    const plan = planCases({ seed: 7, recipes: Array.from({ length: 250 }, () => recipe) });
    const keys = plan.cases.map((c) => `${c.applicant.fullName.split(' ')[0]} ${c.applicant.fullName.split(' ').at(-1)}`.toUpperCase());
    expect(new Set(keys).size).toBe(250);
    expect(plan.cases.some((c) => /\S-\S+$/.test(c.applicant.fullName))).toBe(true);
  }, 60_000);
});
