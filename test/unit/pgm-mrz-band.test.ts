import { describe, expect, test } from 'vitest';
import { mrzBand } from '../../src/domain/extraction.js';
import { cropPgm, encodePgm, pgmPixels } from '../../src/domain/pgm.js';

const line = (text: string, y0: number, y1: number) => ({ text, box: { x0: 40, y0, x1: 900, y1 } });

describe('the MRZ band', () => {
  test('when lines with filler runs are read, then the band spans them with half a line of margin', () => {
    const band = mrzBand(
      [
        line('PASSPORT', 100, 130),
        line('Surname: MARTIN', 150, 180),
        line('P<GBRMART IN<<ALICE<JANEX<<<<<<ccccccy§eyeéec', 600, 640),
        line('93340137206BR8804123F3106305<<<<<<<<ceecececcccd', 660, 700),
      ],
      { width: 1000, height: 800 },
    );
    expect(band).toEqual({ left: 0, top: 576, width: 1000, height: 148 });
  });

  test('when the second MRZ line has its fillers read as c and e, then the band still covers it', () => {
    const band = mrzBand(
      [
        line('Date of issue / Date de delivrance Authority', 500, 530),
        line('P<DEUHOF FMANN<<ANNA<LENACMARIE<<cccccececcce', 600, 640),
        line('NYB9R40594DEU6105125F3607156<<cccccecceccccé', 660, 700),
      ],
      { width: 1000, height: 800 },
    );
    expect(band).toEqual({ left: 0, top: 576, width: 1000, height: 148 });
  });

  test('when no line looks like an MRZ (an address, a sentence), then there is no band', () => {
    expect(mrzBand([line('12 High Street, London SW1A 1AA', 10, 40), line('Amount due: GBP 54.20', 50, 80)], { width: 100, height: 100 })).toBeUndefined();
  });
});

describe('PGM crop', () => {
  test('when a region is cropped and enlarged, then its pixels are those of the region, repeated', () => {
    const gray = Uint8Array.from({ length: 12 }, (_, i) => i); // 4×3
    const image = { image: encodePgm(gray, 4, 3), width: 4, height: 3 };
    const crop = cropPgm(image, { left: 1, top: 1, width: 2, height: 2 }, 2);
    expect([crop.width, crop.height]).toEqual([4, 4]);
    expect([...pgmPixels(crop)]).toEqual([5, 5, 6, 6, 5, 5, 6, 6, 9, 9, 10, 10, 9, 9, 10, 10]);
  });

  test('when the region overflows the image, then it is clipped to the image', () => {
    const image = { image: encodePgm(new Uint8Array(16), 4, 4), width: 4, height: 4 };
    const crop = cropPgm(image, { left: 2, top: 3, width: 10, height: 10 });
    expect([crop.width, crop.height]).toEqual([2, 1]);
  });
});
