/**
 * Page geometry on raw pixels (src/domain/geometry.ts), on images built here pixel by pixel.
 */
import { describe, expect, test } from 'vitest';
import {
  estimateTextDirection,
  findDocumentQuad,
  homography,
  rotateQuarter,
  rotateSmallAngle,
  straightenPage,
  type GrayImage,
  type Point,
} from '../../src/domain/geometry.js';

function blank(width: number, height: number, level: number): GrayImage {
  return { pixels: new Uint8Array(width * height).fill(level), width, height };
}

/** Dark "text lines" (bars broken into words) on white, every 30 px, tilted `deg` clockwise about the centre. */
function linesPage(width: number, height: number, deg: number): GrayImage {
  const page = blank(width, height, 250);
  const rad = (deg * Math.PI) / 180;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Coordinates in the page's own (untilted) frame.
      const dx = x - width / 2;
      const dy = y - height / 2;
      const u = dx * Math.cos(rad) + dy * Math.sin(rad) + width / 2;
      const v = -dx * Math.sin(rad) + dy * Math.cos(rad) + height / 2;
      const inBlock = u > 80 && u < width - 80 && v > 80 && v < height - 80;
      if (inBlock && v % 30 < 10 && u % 60 < 48) page.pixels[y * width + x] = 20;
    }
  }
  return page;
}

/** A light quadrilateral (corners clockwise from top-left) on a dark background. */
function documentOnTable(width: number, height: number, quad: readonly Point[]): GrayImage {
  const image = blank(width, height, 60);
  const inside = (x: number, y: number): boolean =>
    quad.every((a, i) => {
      const b = quad[(i + 1) % 4]!;
      return (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x) >= 0;
    });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (inside(x + 0.5, y + 0.5)) image.pixels[y * width + x] = 230;
  return image;
}

describe('quarter turns', () => {
  test('when an image is turned 90° four times, then it is unchanged, and 90° moves the top-left pixel to the top-right', () => {
    const image = blank(3, 2, 0);
    image.pixels.set([1, 2, 3, 4, 5, 6]);
    const once = rotateQuarter(image, 90);
    expect([once.width, once.height]).toEqual([2, 3]);
    expect(Array.from(once.pixels)).toEqual([4, 1, 5, 2, 6, 3]);
    let turned = image;
    for (let i = 0; i < 4; i++) turned = rotateQuarter(turned, 90);
    expect(Array.from(turned.pixels)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(rotateQuarter(image, 180).pixels)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(Array.from(rotateQuarter(rotateQuarter(image, 270), 90).pixels)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('text direction and skew', () => {
  test.each([0, 3, -6, 11])('when lines are tilted %i°, then the tilt is found within 0.3°', (deg) => {
    const direction = estimateTextDirection(linesPage(800, 600, deg));
    expect(direction?.axis).toBe(0);
    expect(Math.abs(direction!.skewDeg - deg)).toBeLessThanOrEqual(0.3);
  });

  test('when the page lies on its side, then the lines run up and down, and straightening turns it a quarter', () => {
    const sideways = rotateQuarter(linesPage(800, 600, 4), 90);
    const direction = estimateTextDirection(sideways);
    expect(direction?.axis).toBe(90);
    expect(direction!.axisContrast).toBeGreaterThan(1.3);
    const straight = straightenPage(sideways);
    expect(straight.geometry.rotation).toBe(270);
    expect(straight.geometry.skewDeg).toBeCloseTo(4, 0);
    expect(Math.abs(estimateTextDirection(straight.image)!.skewDeg)).toBeLessThanOrEqual(0.3);
  });

  test('when an image has no ink, then there is no direction and nothing is applied', () => {
    expect(estimateTextDirection(blank(400, 300, 240))).toBeUndefined();
    expect(straightenPage(blank(400, 300, 240))).toMatchObject({ hasText: false, geometry: { rotation: 0, skewDeg: 0, perspective: false } });
  });

  test('when a tilt is small (1.5°), then it is left alone', () => {
    expect(straightenPage(linesPage(800, 600, 1.5)).geometry.skewDeg).toBe(0);
  });

  test('when an image is rotated by a small angle, then it grows to hold its corners', () => {
    const rotated = rotateSmallAngle(blank(400, 300, 0), 10, 255);
    expect(rotated.width).toBe(Math.ceil(400 * Math.cos(Math.PI / 18) + 300 * Math.sin(Math.PI / 18)));
    expect(rotated.pixels[0]).toBe(255); // a new corner, filled
    expect(rotated.pixels[Math.floor(rotated.height / 2) * rotated.width + Math.floor(rotated.width / 2)]).toBe(0);
  });
});

describe('the document on a table', () => {
  const corners: Point[] = [
    { x: 130, y: 90 },
    { x: 640, y: 60 },
    { x: 680, y: 470 },
    { x: 100, y: 430 },
  ];

  test('when a light document lies on a dark table, then its corners are found within 4 px', () => {
    const quad = findDocumentQuad(documentOnTable(800, 560, corners));
    expect(quad).toBeDefined();
    quad!.forEach((p, i) => {
      expect(Math.abs(p.x - corners[i]!.x)).toBeLessThanOrEqual(4);
      expect(Math.abs(p.y - corners[i]!.y)).toBeLessThanOrEqual(4);
    });
  });

  test('when two documents lie side by side, then none is taken (flattening one would drop the other)', () => {
    const image = documentOnTable(800, 560, [
      { x: 40, y: 60 },
      { x: 380, y: 60 },
      { x: 380, y: 480 },
      { x: 40, y: 480 },
    ]);
    const other = documentOnTable(800, 560, [
      { x: 420, y: 60 },
      { x: 760, y: 60 },
      { x: 760, y: 480 },
      { x: 420, y: 480 },
    ]);
    for (let i = 0; i < image.pixels.length; i++) image.pixels[i] = Math.max(image.pixels[i]!, other.pixels[i]!);
    expect(findDocumentQuad(image)).toBeUndefined();
  });

  test('when the page fills the frame (a scan), then there is no document quadrilateral', () => {
    expect(findDocumentQuad(linesPage(800, 600, 2))).toBeUndefined();
  });

  test('when a homography is solved for four point pairs, then it maps each point onto its pair', () => {
    const from: Point[] = [
      { x: 0, y: 0 },
      { x: 500, y: 0 },
      { x: 500, y: 400 },
      { x: 0, y: 400 },
    ];
    const m = homography(from, corners);
    from.forEach((p, i) => {
      const d = m[6]! * p.x + m[7]! * p.y + 1;
      expect((m[0]! * p.x + m[1]! * p.y + m[2]!) / d).toBeCloseTo(corners[i]!.x, 6);
      expect((m[3]! * p.x + m[4]! * p.y + m[5]!) / d).toBeCloseTo(corners[i]!.y, 6);
    });
  });
});
