/**
 * Writes the torture corpus (src/corpus/torture.ts) as case folders for `kyc process`, plus
 * `expectations.json` (file → what must become of it): mislabelled files, huge declared sizes,
 * decompression bombs (chained filters, attachments, object streams, predictors), XML bombs in XMP
 * and XFA, SVGs, malformed structure, deep and cyclic object graphs, random damage. Names that cannot be file names (a path, a
 * control character) are written with `_` in their place; the store sanitises names the same way.
 *
 *   npx tsx scripts/torture-corpus.ts --out DIR [--seed S] [--per-case N]
 *   npm run kyc -- process DIR/torture-*      (with PAGE_TIMEOUT=20s or less: one page takes a minute)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TORTURE_SEED, generateTortureCorpus } from '../src/corpus/torture.js';

const { values } = parseArgs({
  options: { out: { type: 'string' }, seed: { type: 'string' }, 'per-case': { type: 'string' } },
  strict: true,
});
if (!values.out) {
  process.stderr.write('usage: torture-corpus --out DIR [--seed S] [--per-case N]\n');
  process.exit(2);
}
const perCase = Number(values['per-case'] ?? 10);
const files = await generateTortureCorpus({ seed: Number(values.seed ?? DEFAULT_TORTURE_SEED) });
const expectations: Record<string, unknown> = {};
for (let i = 0; i < files.length; i += perCase) {
  const dir = join(values.out, `torture-${String(i / perCase + 1).padStart(2, '0')}`);
  await mkdir(dir, { recursive: true });
  for (const file of files.slice(i, i + perCase)) {
    // Hidden files are skipped by the CLI, so no leading dot either.
    const name = file.name.replace(/[/\\\p{Cc}\p{Cf}]/gu, '_').replace(/^\.+/, '_');
    await writeFile(join(dir, name), file.bytes);
    expectations[`${dir}/${name}`] = { expect: file.expect, about: file.about };
  }
}
await writeFile(join(values.out, 'expectations.json'), `${JSON.stringify(expectations, null, 2)}\n`);
process.stderr.write(`wrote ${files.length} files in ${Math.ceil(files.length / perCase)} case folders under ${values.out}\n`);
