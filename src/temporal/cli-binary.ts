import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { ConfigError } from '../domain/errors.js';

/** v1.6.0 and later carry a `replace` directive that `go install` refuses; v1.5.1 embeds server 1.29.1. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export function cachedCliPath(cacheDir: string): string {
  return join(cacheDir, 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

export interface EnsureCliOptions {
  cacheDir: string;
  /** TEMPORAL_CLI from config. */
  explicitPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Progress lines while building (package names as go builds them). */
  onProgress?: (line: string) => void;
}

/**
 * The Temporal CLI binary: TEMPORAL_CLI, else `temporal` on PATH, else the pinned version built
 * with `go install` into the cache (once; later clones and CI runs reuse it).
 */
export async function ensureTemporalCli(options: EnsureCliOptions): Promise<string> {
  const env = options.env ?? process.env;
  if (options.explicitPath) {
    if (!isExecutable(options.explicitPath)) {
      throw new ConfigError([`TEMPORAL_CLI: ${options.explicitPath} is not an executable file`]);
    }
    return options.explicitPath;
  }
  const found = onPath('temporal', env);
  if (found) return found;
  const cached = cachedCliPath(options.cacheDir);
  if (isExecutable(cached)) return cached;

  const go = onPath('go', env);
  if (!go) {
    throw new ConfigError([
      'the Temporal CLI is not installed and Go is not on PATH to build it.',
      `Fix: install Go (https://go.dev/doc/install, or apt-get install golang), or set TEMPORAL_CLI to a temporal binary,`,
      `or set TEMPORAL_ADDRESS to an existing Temporal cluster.`,
    ]);
  }
  const gobin = join(options.cacheDir, 'temporal-cli', TEMPORAL_CLI_VERSION);
  await mkdir(gobin, { recursive: true });
  const say = options.onProgress ?? ((line: string) => process.stderr.write(`${line}\n`));
  say(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (once, a few minutes; cached in ${gobin})…`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['install', '-v', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
      env: { ...env, GOBIN: gobin },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let built = 0;
    let tail = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-4000);
      for (const line of chunk.split('\n')) {
        if (!line.trim()) continue;
        if (line.startsWith('go: downloading')) continue;
        built += 1;
        if (built % 50 === 0) say(`  … ${built} packages built (${line.trim()})`);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new ConfigError([`go install of the Temporal CLI failed (exit ${code}):`, tail])),
    );
  });
  if (!isExecutable(cached)) throw new ConfigError([`go install finished but ${cached} is missing`]);
  const version = spawnSync(cached, ['--version'], { encoding: 'utf8' }).stdout.trim();
  say(`Temporal CLI ready: ${version}`);
  return cached;
}
