/**
 * Page geometry before OCR, with real sharp and tesseract.js: pages turned a quarter or half turn
 * (in their pixels or by a wrong EXIF tag), tilted, photographed in perspective on a table, and
 * shrunk to a small web image must each still yield their MRZ and key fields. Fixtures are drawn
 * by test/support/draw.ts; the MRZ by test/support/mrz-builder.ts.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deskewImage, orientImage, rotateImage, upscaleIfSmall } from '../../src/adapters/geometry.js';
import { createPdfEngine } from '../../src/adapters/pdfjs.js';
import { createSharpPreprocessor } from '../../src/adapters/sharp-image.js';
import { createTesseractPool, type TesseractPool } from '../../src/adapters/tesseract-ocr.js';
import type { PageText } from '../../src/domain/documents.js';
import { extractDocumentText, type ExtractionPorts } from '../../src/domain/extraction.js';
import {
  drawIdentityPage,
  imagePdf,
  jpegWithOrientation,
  photographOnTable,
  shrunkJpeg,
  turnedPng,
} from '../support/draw.js';
import { buildTd1, buildTd3, ICAO_SPECIMEN } from '../support/mrz-builder.js';
import { offlineTesseractWorkerScript } from '../support/no-network.js';

const offlineWorker = offlineTesseractWorkerScript();
let ocr: TesseractPool;
let ports: ExtractionPorts;

beforeAll(async () => {
  ocr = await createTesseractPool({ size: 2, workerPath: offlineWorker });
  ports = { ocr, pdf: createPdfEngine(), image: createSharpPreprocessor() };
}, 60_000);

afterAll(async () => {
  await ocr?.terminate();
  rmSync(dirname(offlineWorker), { recursive: true, force: true });
});

const VISUAL = [
  'PASSPORT / PASSEPORT',
  'Surname: ERIKSSON',
  'Given names: ANNA MARIA',
  'Nationality: UTOPIAN',
  'Date of birth: 12 AUG 1974',
  'Passport No: L898902C3',
];
const passportPage = (): Uint8Array => drawIdentityPage({ lines: VISUAL, mrz: buildTd3(ICAO_SPECIMEN) }).encodeSync('png');

/** The MRZ was found and its key fields read right: document number + check, birth, sex, expiry, names. */
function expectSpecimenMrz(page: PageText): void {
  const mrz = (page.mrzText ?? '').replace(/[ \t]/g, '');
  expect(mrz).toContain('L898902C36');
  expect(mrz).toContain('7408122F1204159');
  expect(mrz).toContain('UTOERIKSSON<<ANNA');
}

/** Quarter turns add up to upright: what was applied undoes what was done to the page. */
function expectUndone(page: PageText, turnedBy: 0 | 90 | 180 | 270): void {
  expect(((page.geometry?.rotation ?? -1) + turnedBy) % 360).toBe(0);
}

describe('orientation', { timeout: 30_000 }, () => {
  test('when a page is upright, then it is read once and not turned', async () => {
    let pageReads = 0; // whole-page readings (--psm 3), not the MRZ band's re-reads
    const counting: ExtractionPorts = { ...ports, ocr: { recognize: (image, o) => ((pageReads += Number(o?.psm === 3)), ocr.recognize(image, o)) } };
    const { pages } = await extractDocumentText(passportPage(), counting);
    expectSpecimenMrz(pages[0]!);
    expect(pages[0]!.geometry).toMatchObject({ rotation: 0, perspective: false });
    // Read well the first time: no second, turned pass.
    expect(pageReads).toBe(1);
  });

  test.each([90, 180, 270] as const)('when a page is turned %i° in its pixels, then it is turned back and its MRZ read', async (deg) => {
    const { pages } = await extractDocumentText(await turnedPng(passportPage(), deg), ports);
    expectSpecimenMrz(pages[0]!);
    expectUndone(pages[0]!, deg);
  });

  test('when a JPEG carries an EXIF orientation, then it is applied before anything else', async () => {
    // Stored a quarter turn anticlockwise, tagged 6 ("turn 90° clockwise to view"): upright once applied.
    const jpeg = await jpegWithOrientation(await turnedPng(passportPage(), 270), 6);
    const { pages } = await extractDocumentText(jpeg, ports);
    expectSpecimenMrz(pages[0]!);
    expectUndone(pages[0]!, 0);
  });

  test('when a JPEG still lies on its side after its EXIF orientation is applied, then it is turned too', async () => {
    // Stored upside down and tagged 6: applying the tag leaves the page a quarter turn off (270°).
    const jpeg = await jpegWithOrientation(await turnedPng(passportPage(), 180), 6);
    const { pages } = await extractDocumentText(jpeg, ports);
    expectSpecimenMrz(pages[0]!);
    expectUndone(pages[0]!, 270);
  });

  test('when a scanned PDF page is turned 90°, then it is turned back and its MRZ read', async () => {
    const pdf = await imagePdf([await turnedPng(passportPage(), 90)], 842);
    const { pages } = await extractDocumentText(pdf, ports, { renderDpi: 110 });
    expectSpecimenMrz(pages[0]!);
    expectUndone(pages[0]!, 90);
  });
});

describe('tilt, perspective and size', { timeout: 30_000 }, () => {
  test('when a scan is tilted 7°, then it is deskewed and its MRZ read', async () => {
    const tilted = await sharp(passportPage()).rotate(7, { background: '#ffffff' }).jpeg({ quality: 88 }).toBuffer();
    const { pages } = await extractDocumentText(tilted, ports);
    expectSpecimenMrz(pages[0]!);
    expect(pages[0]!.geometry!.skewDeg).toBeGreaterThan(6);
    expect(pages[0]!.geometry!.skewDeg).toBeLessThan(8);
  });

  test('when a page is photographed on a table in perspective, then it is flattened and its MRZ read', async () => {
    const photo = photographOnTable(drawIdentityPage({ lines: VISUAL, mrz: buildTd3(ICAO_SPECIMEN) }), {
      rotateDeg: 4,
      corners: [[70, 40], [-40, -10], [-10, 20], [50, -60]],
    });
    const jpeg = await sharp(photo.encodeSync('png')).jpeg({ quality: 85 }).toBuffer();
    const { pages } = await extractDocumentText(jpeg, ports);
    expectSpecimenMrz(pages[0]!);
    expect(pages[0]!.geometry!.perspective).toBe(true);
  });

  // Passes without this change too: extraction already enlarged small images 3× (kept as a guard).
  test('when an ID card is a 280 px web image, then it is upscaled and its MRZ read', async () => {
    const card = drawIdentityPage({
      lines: ['IDENTITY CARD', 'ERIKSSON', 'ANNA MARIA', '12 08 1974'],
      mrz: buildTd1(ICAO_SPECIMEN),
      width: 856,
      height: 540,
      fontSize: 36,
      mrzFontSize: 46,
    }).encodeSync('png');
    const small = await shrunkJpeg(card, 280);
    expect((await sharp(small).metadata()).width).toBe(280);
    const { pages } = await extractDocumentText(small, ports);
    const mrz = (pages[0]!.mrzText ?? '').replace(/[ \t]/g, '');
    expect(mrz).toContain('L898902C3');
    expect(mrz).toContain('7408122F1204159');
    expect(mrz).toContain('ERIKSSON<<ANNA');
    expect(pages[0]!.geometry!.scale).toBe(3);
  });
});

describe('geometry on encoded images (for re-reading at another rotation or scale)', { timeout: 30_000 }, () => {
  test('when an image is turned 90°, then width and height swap and the text lies on its side', async () => {
    const turned = await rotateImage(passportPage(), 90);
    const meta = await sharp(turned).metadata();
    expect([meta.width, meta.height]).toEqual([880, 1250]);
    // orientImage sees lines running up and down and turns them back a quarter (270° clockwise).
    expect((await orientImage(turned)).geometry.rotation).toBe(270);
  });

  test('when an image is 280 px wide, then upscaleIfSmall enlarges it 3× with lanczos', async () => {
    const small = await shrunkJpeg(passportPage(), 280);
    const { image, scale } = await upscaleIfSmall(small);
    expect(scale).toBe(3);
    expect((await sharp(image).metadata()).width).toBe(840);
    const big = await upscaleIfSmall(passportPage());
    expect(big.scale).toBe(1);
  });

  test('when a page is tilted 7°, then deskewImage finds 7° and the result has level lines', async () => {
    const tilted = await sharp(passportPage()).rotate(7, { background: '#ffffff' }).png().toBuffer();
    const { image, skewDeg } = await deskewImage(tilted);
    expect(skewDeg).toBeGreaterThan(6.5);
    expect(skewDeg).toBeLessThan(7.5);
    expect(Math.abs((await deskewImage(image)).skewDeg)).toBeLessThan(0.5);
  });
});
