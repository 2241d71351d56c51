/**
 * Builds the reviewers' web page into dist/web (served by `webRoutes` at `/`):
 *
 *   dist/web/index.html                 from web/index.html, pointing at the hashed files
 *   dist/web/assets/app-<hash>.js       web/src/main.tsx bundled with Preact, minified, + .map
 *   dist/web/assets/app-<hash>.css      the CSS it imports, minified, + .map
 *
 * Everything is local (no CDN, no web fonts): the bank's network is closed. The same sources give the
 * same bytes, so the hashes only change when the page does.
 *
 *   npm run build:web [-- --out DIR]
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Metafile } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(ROOT, 'web');

interface BuiltPage {
  outDir: string;
  script: string;
  stylesheet: string;
  bytes: number;
}

export async function buildWeb(outDir: string): Promise<BuiltPage> {
  await rm(outDir, { recursive: true, force: true });
  const assets = join(outDir, 'assets');
  await mkdir(assets, { recursive: true });

  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { app: join(WEB, 'src', 'main.tsx') },
    outdir: assets,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16', 'edge109'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(WEB, 'tsconfig.json'),
    minify: true,
    sourcemap: 'linked',
    sourcesContent: true,
    legalComments: 'linked',
    charset: 'utf8',
    define: { 'process.env.NODE_ENV': '"production"' },
    // Fonts and images would be inlined or copied here; none are fetched from elsewhere.
    loader: { '.svg': 'file', '.png': 'file', '.woff2': 'file' },
    metafile: true,
    logLevel: 'warning',
  });

  const script = entryOutput(result.metafile, '.js', outDir);
  const stylesheet = entryOutput(result.metafile, '.css', outDir);
  const template = await readFile(join(WEB, 'index.html'), 'utf8');
  const html = fillTemplate(template, { APP_JS: `/${script}`, APP_CSS: `/${stylesheet}` });
  await writeFile(join(outDir, 'index.html'), html);

  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, html.length);
  return { outDir, script, stylesheet, bytes };
}

/** The output of the `app` entry with that extension, as a `/`-separated path relative to `outDir`. */
function entryOutput(metafile: Metafile, extension: '.js' | '.css', outDir: string): string {
  const path = Object.keys(metafile.outputs).find(
    (name) => name.endsWith(extension) && /\/app-[A-Z0-9]+\.(js|css)$/.test(name),
  );
  if (!path) throw new Error(`esbuild wrote no app${extension}`);
  return relative(outDir, resolve(ROOT, path)).split('\\').join('/');
}

/** Replaces every `%NAME%` placeholder; an unknown one is a mistake in web/index.html. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/%([A-Z_]+)%/g, (match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`web/index.html: unknown placeholder ${match}`);
    return value;
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const outDir = resolve(ROOT, values.out ?? join('dist', 'web'));
  const started = performance.now();
  const page = await buildWeb(outDir);
  const ms = Math.round(performance.now() - started);
  const where = relative(process.cwd(), page.outDir) || '.';
  console.log(`built ${where}: ${page.script}, ${page.stylesheet} (${Math.round(page.bytes / 1024)} KiB) in ${ms} ms`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
