/**
 * Builds the real-document corpus (tools/real-docs/manifest.json) outside the repository:
 * downloads each package with its registry's ordinary client (pip, npm) into a cache, checks the
 * archive's and every document's sha256, and lays out one corpus per split that `npm run eval -- --out DIR`
 * scores: one case folder per document (the document + applicant.json) and labels.json.
 *
 *   npx tsx tools/real-docs/build.ts [--cache DIR] [--split dev|test] [--check]
 *
 * Cache: $KYC_REAL_DOCS_CACHE, else ~/.cache/kyc-engine/real-docs. Corpora: <cache>/dev and <cache>/test.
 * Idempotent: a package already in the cache with the right sha256 is not downloaded again, and an unchanged
 * document is not rewritten; reports.json and score.json written by the eval stay. `--check` validates the
 * manifest (splits, labels) without downloading anything.
 *
 * The test split is for measuring only: never tune the engine on its documents or its mistakes.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DECISION_REASONS } from '../../src/corpus/specs.js';
import { DOCUMENT_TYPES, FIELD_NAMES } from '../../src/domain/documents.js';
import type { Manifest, PackageEntry, Split } from './manifest.js';
import { SPLITS, checkManifest, splitLabels } from './manifest.js';

const HERE = dirname(fileURLToPath(import.meta.url));

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function sha256File(file: string): Promise<string | undefined> {
  if (!existsSync(file)) return undefined;
  return sha256(await readFile(file));
}

function run(command: string, args: readonly string[], cwd?: string): void {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], timeout: 15 * 60_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

async function fetchPackage(pkg: PackageEntry, cache: string): Promise<string> {
  const dir = join(cache, 'packages', pkg.registry, `${pkg.name}-${pkg.version}`);
  const archive = join(dir, pkg.file);
  if ((await sha256File(archive)) === pkg.sha256) return archive;
  await mkdir(dir, { recursive: true });
  process.stderr.write(`Downloading ${pkg.id} …\n`);
  if (pkg.registry === 'pypi') {
    const only = pkg.kind === 'sdist' ? ['--no-binary', ':all:'] : ['--only-binary', ':all:'];
    run('python3', ['-m', 'pip', 'download', '--no-deps', ...only, '--dest', dir, `${pkg.name}==${pkg.version}`]);
  } else {
    run('npm', ['pack', `${pkg.name}@${pkg.version}`, '--pack-destination', dir]);
  }
  const got = await sha256File(archive);
  if (got !== pkg.sha256) throw new Error(`${pkg.id}: ${pkg.file} has sha256 ${got ?? '(missing)'}, the manifest says ${pkg.sha256}`);
  return archive;
}

/** The archive's members, extracted once into <cache>/extracted/<archive name>/. */
async function extracted(archive: string, cache: string): Promise<string> {
  const dir = join(cache, 'extracted', basename(archive));
  const done = join(dir, '.complete');
  if (existsSync(done)) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  if (/\.(tar\.gz|tgz)$/.test(archive)) run('tar', ['-xzf', archive, '-C', dir]);
  else run('python3', ['-m', 'zipfile', '-e', archive, dir]);
  await writeFile(done, '');
  return dir;
}

async function writeIfChanged(file: string, bytes: Buffer | string): Promise<void> {
  const next = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  if (existsSync(file) && (await readFile(file)).equals(next)) return;
  await writeFile(file, next);
}

async function layoutSplit(manifest: Manifest, split: Split, cache: string, sources: Map<string, string>): Promise<string> {
  const out = join(cache, split);
  await mkdir(out, { recursive: true });
  const docs = manifest.documents.filter((d) => d.split === split);
  for (const doc of docs) {
    const bytes = await readFile(join(sources.get(doc.package)!, doc.path));
    if (sha256(bytes) !== doc.sha256) throw new Error(`${doc.id}: ${doc.path} has sha256 ${sha256(bytes)}, the manifest says ${doc.sha256}`);
    const caseDir = join(out, doc.id);
    await mkdir(caseDir, { recursive: true });
    for (const stale of await readdir(caseDir)) {
      if (stale !== doc.fileName && stale !== 'applicant.json') await rm(join(caseDir, stale), { recursive: true, force: true });
    }
    await writeIfChanged(join(caseDir, doc.fileName), bytes);
    await writeIfChanged(join(caseDir, 'applicant.json'), `${JSON.stringify(doc.applicant, null, 2)}\n`);
  }
  // Case folders of documents no longer in this split go; the eval's own files stay.
  const keep = new Set([...docs.map((d) => d.id), 'labels.json', 'reports.json', 'score.json']);
  for (const entry of await readdir(out, { withFileTypes: true })) {
    if (entry.isDirectory() && !keep.has(entry.name)) await rm(join(out, entry.name), { recursive: true, force: true });
  }
  await writeIfChanged(join(out, 'labels.json'), `${JSON.stringify(splitLabels(manifest, split), null, 2)}\n`);
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { cache: { type: 'string' }, split: { type: 'string' }, check: { type: 'boolean', default: false } },
    strict: true,
  });
  const manifest = JSON.parse(await readFile(join(HERE, 'manifest.json'), 'utf8')) as Manifest;
  const problems = checkManifest(manifest, { documentTypes: DOCUMENT_TYPES, fieldNames: FIELD_NAMES, reasons: DECISION_REASONS });
  if (problems.length > 0) throw new Error(`manifest.json:\n  ${problems.join('\n  ')}`);
  const counts = SPLITS.map((s) => `${s} ${manifest.documents.filter((d) => d.split === s).length}`).join(', ');
  if (values.check) {
    process.stdout.write(`manifest.json is consistent: ${manifest.documents.length} documents (${counts})\n`);
    return;
  }
  const splits: readonly Split[] = values.split ? [values.split as Split] : SPLITS;
  if (!splits.every((s) => SPLITS.includes(s))) throw new Error(`--split must be dev or test`);
  const cache = resolve(values.cache ?? process.env.KYC_REAL_DOCS_CACHE ?? join(homedir(), '.cache', 'kyc-engine', 'real-docs'));
  await mkdir(cache, { recursive: true });
  const needed = new Set(manifest.documents.filter((d) => splits.includes(d.split)).map((d) => d.package));
  const sources = new Map<string, string>();
  for (const pkg of manifest.packages.filter((p) => needed.has(p.id))) {
    sources.set(pkg.id, await extracted(await fetchPackage(pkg, cache), cache));
  }
  for (const split of splits) {
    const dir = await layoutSplit(manifest, split, cache, sources);
    process.stdout.write(`${split}: ${manifest.documents.filter((d) => d.split === split).length} cases in ${dir}\n`);
  }
  process.stdout.write(`Score with: npm run eval -- --out ${join(cache, 'dev')}   (test: never tune on it)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`real-docs: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
