/**
 * The benchmark's inputs, generated from a seed with the corpus generator itself (the same planner,
 * templates, renderers and capture effects as `npm run eval` and the demo), written to files so
 * the native tools and the engine read the very same bytes. Each page keeps the text its template
 * drew, the reference for the character error rate.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DocumentType } from '../domain/documents.js';
import { utilityBillPages } from '../corpus/bill-templates.js';
import { companyRegistrationPages } from '../corpus/company-templates.js';
import { DEFAULT_AS_OF, planCorpus } from '../corpus/generate.js';
import { drivingLicencePage, idCardPage, passportPage } from '../corpus/identity-templates.js';
import type { PageSpec } from '../corpus/layout.js';
import { payslipPages } from '../corpus/payslip-templates.js';
import { rngFor, type Rng } from '../corpus/random.js';
import { renderDocument } from '../corpus/render-document.js';
import type { DocumentSpec, FileFormat, IdentitySpec, UnreadableSpec } from '../corpus/specs.js';
import { FILE_EXTENSIONS } from '../corpus/specs.js';
import { bankStatementPages } from '../corpus/statement-templates.js';
import { pageGroundTruth } from './ground-truth.js';

type PaperSpec = Exclude<DocumentSpec, IdentitySpec | UnreadableSpec>;

/** A4 documents (the corpus scans and photographs only their first page) or identity documents. */
export type PageKind = 'a4' | 'identity';

export interface BenchFile {
  path: string;
  type: DocumentType;
  kind: PageKind;
  format: FileFormat;
  /** Pages in the file. */
  pages: number;
  /** The text each page's template drew, in reading order. */
  groundTruth: string[];
}

export interface BenchInputs {
  /** Images to OCR: A4 scans and photos, identity-document scans and photos. */
  ocr: BenchFile[];
  /** Text-layer PDFs (bills, statements, payslips, certificates). */
  textPdfs: BenchFile[];
  /** Image-only PDFs (scans), which the engine renders for OCR. */
  scanPdfs: BenchFile[];
}

export interface InputSizes {
  seed: number;
  /** Images for OCR, half A4 and half identity documents; as many scanned PDFs. */
  pages: number;
  /** At least this many text-layer PDF pages. */
  pdfPages: number;
}

interface Planned {
  doc: DocumentSpec;
  kind: PageKind;
  format: FileFormat;
}

/** Formats cycled through per kind: the ways the corpus delivers documents that need OCR. */
const OCR_FORMATS: Record<PageKind, FileFormat[]> = {
  a4: ['scan-png', 'photo-jpeg', 'scan-tiff'],
  identity: ['photo-jpeg', 'scan-png'],
};

export async function generateBenchInputs(dir: string, sizes: InputSizes): Promise<BenchInputs> {
  const { paper, identity } = plannedDocuments(sizes);
  const a4Count = Math.ceil(sizes.pages / 2);
  const ocrSpecs = interleave<Planned>(
    paper.slice(0, a4Count).map((doc, i) => ({ doc, kind: 'a4', format: OCR_FORMATS.a4[i % OCR_FORMATS.a4.length]! })),
    identity.slice(0, sizes.pages - a4Count).map((doc, i) => ({ doc, kind: 'identity', format: OCR_FORMATS.identity[i % OCR_FORMATS.identity.length]! })),
  );
  const scanSpecs = interleave<Planned>(
    paper.slice(a4Count, 2 * a4Count).map((doc) => ({ doc, kind: 'a4', format: 'scan-pdf' })),
    identity.slice(sizes.pages - a4Count, 2 * (sizes.pages - a4Count)).map((doc) => ({ doc, kind: 'identity', format: 'scan-pdf' })),
  );
  const textSpecs: Planned[] = [];
  let textPages = 0;
  for (const doc of paper.slice(2 * a4Count)) {
    if (textPages >= sizes.pdfPages) break;
    textSpecs.push({ doc, kind: 'a4', format: 'text-pdf' });
    textPages += paperPages(doc as PaperSpec).length;
  }
  if (textPages < sizes.pdfPages) throw new Error(`planned too few documents for ${sizes.pdfPages} text PDF pages`);

  const write = async (sub: string, specs: readonly Planned[]): Promise<BenchFile[]> => {
    await mkdir(join(dir, sub), { recursive: true });
    const files: BenchFile[] = [];
    for (const [i, { doc, kind, format }] of specs.entries()) {
      const spec = { ...doc, format } as DocumentSpec;
      const label = `bench/${sub}/${i}`;
      const bytes = await renderDocument(spec, { rng: rngFor(sizes.seed, label), asOf: DEFAULT_AS_OF });
      const path = join(dir, sub, `${String(i + 1).padStart(3, '0')}-${doc.type}.${FILE_EXTENSIONS[format]}`);
      await writeFile(path, bytes);
      // The renderer forks its decoration stream from the untouched label stream: the same fork here
      // rebuilds the very page it drew. A4 scans and photos show only the first page.
      const drawn = drawnPages(spec, rngFor(sizes.seed, label));
      const pages = format === 'text-pdf' ? drawn : drawn.slice(0, 1);
      files.push({ path, type: doc.type, kind, format, pages: pages.length, groundTruth: pages.map(pageGroundTruth) });
    }
    return files;
  };
  return { ocr: await write('ocr', ocrSpecs), scanPdfs: await write('scan-pdf', scanSpecs), textPdfs: await write('text-pdf', textSpecs) };
}

/** Paper and identity documents from the corpus planner, enough for every set. */
function plannedDocuments(sizes: InputSizes): { paper: DocumentSpec[]; identity: DocumentSpec[] } {
  const plan = planCorpus({ applicants: Math.min(10_000, sizes.pages * 2 + sizes.pdfPages + 10), seed: sizes.seed });
  const docs = plan.cases.flatMap((c) => c.documents);
  const isIdentity = (d: DocumentSpec): boolean => d.type === 'passport' || d.type === 'id_card' || d.type === 'driving_licence';
  return {
    paper: docs.filter((d) => d.type !== 'unknown' && !isIdentity(d)),
    identity: docs.filter(isIdentity),
  };
}

function drawnPages(doc: DocumentSpec, rng: Rng): PageSpec[] {
  switch (doc.type) {
    case 'passport':
      return [passportPage(doc, rng.fork('decor'))];
    case 'id_card':
      return [idCardPage(doc, rng.fork('decor'))];
    case 'driving_licence':
      return [drivingLicencePage(doc, rng.fork('decor'))];
    case 'unknown':
      return [];
    default:
      return paperPages(doc);
  }
}

function paperPages(doc: PaperSpec): PageSpec[] {
  switch (doc.type) {
    case 'utility_bill':
      return utilityBillPages(doc);
    case 'bank_statement':
      return bankStatementPages(doc);
    case 'payslip':
      return payslipPages(doc);
    case 'company_registration':
      return companyRegistrationPages(doc);
  }
}

/** a0 b0 a1 b1 …, then the rest of the longer list. */
function interleave<T>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]!);
    if (i < b.length) out.push(b[i]!);
  }
  return out;
}
