/** The torture corpus is deterministic for a seed, and covers what it promises. */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { generateTortureCorpus, type TortureFile } from '../../src/corpus/torture.js';

const digest = (files: TortureFile[]): string[] =>
  files.map((f) => `${f.name} ${createHash('sha256').update(f.bytes).digest('hex')}`);

describe('generateTortureCorpus', { timeout: 60_000 }, () => {
  test('when generated twice with one seed, then the bytes are identical; another seed damages other bytes', async () => {
    const [a, b, c] = await Promise.all([generateTortureCorpus({ seed: 7 }), generateTortureCorpus({ seed: 7 }), generateTortureCorpus({ seed: 8 })]);
    expect(digest(a)).toEqual(digest(b));
    const damagedA = digest(a).filter((d) => /^(truncated|flipped)-/.test(d));
    const damagedC = digest(c).filter((d) => /^(truncated|flipped)-/.test(d));
    expect(damagedA).not.toEqual(damagedC);
    expect(digest(a).filter((d) => !/^(truncated|flipped)-/.test(d))).toEqual(digest(c).filter((d) => !/^(truncated|flipped)-/.test(d)));
  });

  test('when generated, then it holds every kind of trouble it promises, each with an expectation', async () => {
    const files = await generateTortureCorpus();
    const names = files.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(files.length).toBeGreaterThanOrEqual(60);
    for (const name of [
      'empty.pdf', 'page.jpg', 'scan.pdf', 'huge-dimensions.png', 'huge-dimensions.tif', 'many-pages.pdf', 'flate-bomb.pdf',
      'lzw-bomb.pdf', 'deep-arrays.pdf', 'circular-pages.pdf', 'missing-objects.pdf', 'broken-xref.pdf', 'encrypted.pdf',
      'dense-page.jpg', 'truncated-1.pdf', 'flipped-1.jpg',
      // Bombs behind other bombs, XML, SVG, deep and cyclic graphs.
      'zip-bomb-attachment.pdf', 'flate-bomb-attachment.pdf', 'objstm-bomb.pdf', 'triple-flate-hex-bomb.pdf', 'lzw-in-flate-bomb.pdf',
      'predictor-bomb.pdf', 'xmp-billion-laughs.pdf', 'xmp-external-entity.pdf', 'xmp-flate-bomb.pdf', 'xfa-billion-laughs.pdf',
      'billion-laughs.svg', 'statement.svg', 'drawing.svgz', 'polyglot.svg', 'deep-reference-chain.pdf', 'deep-page-tree.pdf',
      'deep-forms.pdf', 'cyclic-resources.pdf', 'cyclic-outlines.pdf', 'xref-prev-loop.pdf',
    ]) {
      expect(names).toContain(name);
    }
    expect(files.find((f) => f.name === 'empty.pdf')!.bytes).toHaveLength(0);
    // Small on disk, huge when decoded: the point of a bomb.
    expect(files.find((f) => f.name === 'flate-bomb.pdf')!.bytes.length).toBeLessThan(8 * 1024 * 1024);
    expect(files.reduce((n, f) => n + f.bytes.length, 0)).toBeLessThan(40 * 1024 * 1024);
    // Every SVG, whatever its name, is refused unread (but the one carrying a PDF header, taken for a
    // PDF that fails to parse); the ZIP in the attachment is a real one.
    const svgs = files.filter((f) => /^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*(\[[^\]]*\])?>)?\s*<svg/.test(Buffer.from(f.bytes).toString('latin1')));
    expect(svgs.length).toBeGreaterThanOrEqual(4);
    for (const f of svgs.filter((f) => !Buffer.from(f.bytes).includes('%PDF-'))) {
      expect(f.expect, f.name).toEqual({ kind: 'error', codes: ['UNSUPPORTED_FILE_TYPE'] });
    }
    const zip = Buffer.from(files.find((f) => f.name === 'zip-bomb-attachment.pdf')!.bytes);
    expect(zip.indexOf('PK\x03\x04', 0, 'latin1')).toBeGreaterThan(0);
    expect(zip.length).toBeLessThan(1024 * 1024);
  });
});
