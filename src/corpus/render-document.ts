/**
 * Turns a document spec into file bytes: identity documents are photographed or scanned; address and
 * company documents become text-layer PDFs, scanned PDFs, TIFFs or photos; unreadable ones are damaged.
 */
import type { Canvas } from '@napi-rs/canvas';
import { addDays } from './dates.js';
import { companyRegistrationPages } from './company-templates.js';
import { drivingLicencePage, idCardPage, passportPage } from './identity-templates.js';
import type { PageSpec } from './layout.js';
import { bankStatementPages } from './statement-templates.js';
import { utilityBillPages } from './bill-templates.js';
import { payslipPages } from './payslip-templates.js';
import { blankScan, encodeCanvas, encodeTiff, photograph, scan } from './photo.js';
import type { PhotoSize } from './photo.js';
import type { Rng } from './random.js';
import { FONT_SETS, renderPage } from './render-raster.js';
import type { PdfMeta } from './render-pdf.js';
import { renderImagePdf, renderTextPdf } from './render-pdf.js';
import type { DocumentSpec, IdentitySpec, UnreadableSpec } from './specs.js';

export interface RenderContext {
  rng: Rng;
  asOf: string;
}

type PaperSpec = Exclude<DocumentSpec, IdentitySpec | UnreadableSpec>;

const SCAN_DPI = 200;
const PAGE_DPI = 150;
const MM_PER_INCH = 25.4;

/** Pixel density for photos of each card type, and the photo frame it is placed in. */
const IDENTITY_PHOTO: Record<IdentitySpec['type'], { pxPerMm: number; size: PhotoSize }> = {
  passport: { pxPerMm: 8.6, size: { width: 1200, height: 850 } },
  id_card: { pxPerMm: 9, size: { width: 950, height: 1200 } },
  driving_licence: { pxPerMm: 11, size: { width: 1100, height: 760 } },
};

function identityPage(doc: IdentitySpec, rng: Rng): PageSpec {
  switch (doc.type) {
    case 'passport':
      return passportPage(doc, rng);
    case 'id_card':
      return idCardPage(doc, rng);
    case 'driving_licence':
      return drivingLicencePage(doc, rng);
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

function paperMeta(doc: PaperSpec): PdfMeta {
  switch (doc.type) {
    case 'utility_bill':
      return { title: `${doc.utility} bill ${doc.accountNumber}`, author: doc.supplier.name, creator: 'BillRun Invoicing 7.2', date: doc.documentDate };
    case 'bank_statement':
      return { title: 'Account statement', author: doc.bank.name, creator: 'CoreBank Statements 3.1', date: doc.documentDate };
    case 'payslip':
      return { title: 'Payslip', author: doc.employer.name, creator: 'PayDay Payroll 2024', date: doc.documentDate };
    case 'company_registration':
      return { title: 'Certificate', author: 'Companies Registry', creator: 'Registry Print Service', date: doc.incorporationDate };
  }
}

function scanMeta(ctx: RenderContext): PdfMeta {
  return { title: 'Scanned document', author: '', creator: 'Office Scanner 2.4', date: addDays(ctx.asOf, -ctx.rng.int(1, 20)) };
}

async function scannedPdf(canvas: Canvas, dpi: number, ctx: RenderContext): Promise<Uint8Array> {
  const kind = ctx.rng.chance(0.8) ? 'jpeg' : 'png';
  const bytes = await encodeCanvas(canvas, kind, 82);
  return renderImagePdf([{ bytes, kind, widthPx: canvas.width, heightPx: canvas.height, dpi }], scanMeta(ctx));
}

async function renderIdentity(doc: IdentitySpec, ctx: RenderContext): Promise<Uint8Array> {
  const { rng } = ctx;
  const page = identityPage(doc, rng.fork('decor'));
  const fonts = rng.pick(FONT_SETS);
  const photo = IDENTITY_PHOTO[doc.type];
  switch (doc.format) {
    case 'photo-jpeg':
    case 'photo-png':
    case 'photo-webp': {
      const canvas = photograph(renderPage(page, photo.pxPerMm, fonts), rng, photo.size);
      const encoding = doc.format === 'photo-jpeg' ? 'jpeg' : doc.format === 'photo-png' ? 'png' : 'webp';
      return encodeCanvas(canvas, encoding, rng.int(80, 92));
    }
    case 'scan-png':
    case 'scan-pdf':
    case 'scan-tiff':
    case 'text-pdf': {
      const card = renderPage(page, SCAN_DPI / MM_PER_INCH, fonts);
      const scanned = scan(card, rng, { margin: 0.08, grayscale: rng.chance(0.3) });
      if (doc.format === 'scan-png') return encodeCanvas(scanned, 'png');
      if (doc.format === 'scan-tiff') return encodeTiff(scanned, SCAN_DPI);
      return scannedPdf(scanned, SCAN_DPI, ctx);
    }
  }
}

async function renderPaper(doc: PaperSpec, ctx: RenderContext): Promise<Uint8Array> {
  const { rng } = ctx;
  const pages = paperPages(doc);
  if (doc.format === 'text-pdf') return renderTextPdf(pages, paperMeta(doc));
  const fonts = rng.pick(FONT_SETS);
  const first = pages[0];
  if (!first) throw new Error(`${doc.type} has no pages`);
  const canvas = renderPage(first, PAGE_DPI / 72, fonts);
  switch (doc.format) {
    case 'photo-jpeg':
    case 'photo-png':
    case 'photo-webp':
      return encodeCanvas(photograph(canvas, rng, { width: 1240, height: 1754 }), 'jpeg', 88);
    case 'scan-tiff':
      return encodeTiff(scan(canvas, rng, { margin: 0, grayscale: true }), PAGE_DPI);
    case 'scan-png':
      return encodeCanvas(scan(canvas, rng, { margin: 0, grayscale: true }), 'png');
    case 'scan-pdf':
      return scannedPdf(scan(canvas, rng, { margin: 0, grayscale: rng.chance(0.7) }), PAGE_DPI, ctx);
  }
}

/** Keeps the first `fraction` of the bytes: the magic number survives, the content does not. */
function truncate(bytes: Uint8Array, fraction: number): Uint8Array {
  return bytes.slice(0, Math.floor(bytes.length * fraction));
}

async function renderUnreadable(doc: UnreadableSpec, ctx: RenderContext): Promise<Uint8Array> {
  const { rng } = ctx;
  switch (doc.corruption) {
    case 'blank-page': {
      const width = Math.round(8.27 * PAGE_DPI);
      const height = Math.round(11.69 * PAGE_DPI);
      return scannedPdf(blankScan(rng, width, height), PAGE_DPI, ctx);
    }
    case 'truncated-pdf':
    case 'truncated-jpeg': {
      if (!doc.original) throw new Error('a truncated document needs an original');
      const whole = await renderDocument(doc.original, ctx);
      return truncate(whole, doc.corruption === 'truncated-pdf' ? rng.float(0.35, 0.6) : rng.float(0.2, 0.4));
    }
  }
}

export async function renderDocument(doc: DocumentSpec, ctx: RenderContext): Promise<Uint8Array> {
  switch (doc.type) {
    case 'passport':
    case 'id_card':
    case 'driving_licence':
      return renderIdentity(doc, ctx);
    case 'unknown':
      return renderUnreadable(doc, ctx);
    default:
      return renderPaper(doc, ctx);
  }
}
