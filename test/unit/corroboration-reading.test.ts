import { describe, expect, test } from 'vitest';
import { otsuThreshold, rotateGray, visualZoneValues } from '../../src/domain/corroboration-reading.js';
import { encodePgm, pgmPixels } from '../../src/domain/pgm.js';

function gray(width: number, height: number, pixel: (x: number, y: number) => number) {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = pixel(x, y);
  return { image: encodePgm(data, width, height), width, height };
}

describe('otsuThreshold', () => {
  test('when ink is grey on grey paper, then it becomes black on white', () => {
    const image = gray(20, 10, (x) => (x < 5 ? 90 : 180));
    const px = pgmPixels(otsuThreshold(image));
    expect(px[0]).toBe(0);
    expect(px[10]).toBe(255);
    expect(new Set(px)).toEqual(new Set([0, 255]));
  });
});

describe('rotateGray', () => {
  test('when turned by 0°, then the image is unchanged; when turned, a horizontal line tilts by the angle', () => {
    const line = gray(200, 60, (_x, y) => (y === 30 ? 0 : 255));
    expect(pgmPixels(rotateGray(line, 0))).toEqual(pgmPixels(line));
    const turned = pgmPixels(rotateGray(line, 5));
    // The darkest row at the left and right ends: clockwise, the right end goes down.
    const darkestRow = (x: number): number => {
      let best = { y: 0, v: 256 };
      for (let y = 0; y < 60; y++) if (turned[y * 200 + x]! < best.v) best = { y, v: turned[y * 200 + x]! };
      return best.y;
    };
    const drop = darkestRow(180) - darkestRow(20);
    expect(drop).toBeGreaterThanOrEqual(Math.floor(160 * Math.tan((5 * Math.PI) / 180)) - 1);
    expect(drop).toBeLessThanOrEqual(Math.ceil(160 * Math.tan((5 * Math.PI) / 180)) + 1);
  });
});

describe('visualZoneValues', () => {
  test('finds the printed document number and dates, with digit look-alikes beside digits read as digits, and skips MRZ lines', () => {
    const text = [
      'PASSPORT  Type P  Code UTO',
      'Passport No. L898902C3',
      'Date of birth 12 AUG 1974',
      'Date of expiry 15 APR 2O12',
      'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
      'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
    ].join('\n');
    const values = visualZoneValues(text);
    expect(values.documentNumbers).toEqual(['L898902C3']);
    expect(values.dates).toEqual(['1974-08-12', '2012-04-15']);
  });

  test('when the visual zone prints nothing of the kind, then it finds nothing', () => {
    expect(visualZoneValues('REPUBLIC OF UTOPIA\nSignature of bearer')).toEqual({ dates: [], documentNumbers: [] });
  });
});
