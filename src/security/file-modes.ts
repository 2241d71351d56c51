/**
 * Everything under the data directory is the engine's alone: directories 0700, files 0600. New
 * files get that from the process umask (so do the files of child processes such as the embedded
 * Temporal server and its SQLite database); files and directories left by an older version, or
 * made by hand, are tightened when an engine process starts.
 */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, open, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Files this process (and its children) create are readable and writable by their owner only. */
export function restrictNewFiles(): void {
  try {
    process.umask(0o077);
  } catch {
    // Worker threads cannot change the umask; the explicit modes of the adapters still apply.
  }
}

/**
 * Makes `dataDir` (created if missing) and what lies under it owner-only. `skip` names top-level
 * entries not to walk (the document store, which writes every object 0600 itself and may be large).
 */
export async function tightenDataDir(dataDir: string, skip: readonly string[] = ['store']): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await tighten(dataDir);
  for (const entry of await readdir(dataDir)) {
    if (!skip.includes(entry)) await tightenTree(join(dataDir, entry));
  }
}

async function tightenTree(path: string): Promise<void> {
  const isDir = await tighten(path);
  if (!isDir) return;
  for (const entry of await readdir(path).catch(() => [] as string[])) await tightenTree(join(path, entry));
}

/** Removes group and other permissions from one file or directory we own; true when it is a directory. */
async function tighten(path: string): Promise<boolean> {
  let info;
  try {
    info = await lstat(path);
  } catch {
    return false; // gone meanwhile
  }
  if (info.isSymbolicLink()) return false;
  const mine = typeof process.getuid !== 'function' || info.uid === process.getuid();
  const wanted = info.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
  if (mine && (info.mode & 0o077) !== 0) await chmod(path, info.mode & wanted & 0o777).catch(() => undefined);
  return info.isDirectory();
}

/**
 * Writes `body` beside `path` in a new owner-only file (its folder made 0700 when missing), synced
 * to disk, and returns that file's path: the caller puts it in place whole (rename to replace, link
 * to create only if absent) and removes it on failure.
 */
export async function writePrivateTemp(path: string, body: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(body);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}
