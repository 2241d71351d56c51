/**
 * Owner-only files under the data directory (src/security/file-modes.ts): what an older version or
 * a hand left readable by others is tightened at start, and new files are born owner-only.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { restrictNewFiles, tightenDataDir } from '../../src/security/file-modes.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const mode = (path: string): number => statSync(path).mode & 0o777;

test('when the data directory holds files and folders readable by others, then tightening makes them 0600 and 0700', async () => {
  const root = mkdtempSync(join(tmpdir(), 'kyc-modes-'));
  dirs.push(root);
  const dataDir = join(root, 'data');
  mkdirSync(join(dataDir, 'temporal', 'users'), { recursive: true, mode: 0o755 });
  mkdirSync(join(dataDir, 'store', 'documents'), { recursive: true, mode: 0o755 });
  for (const file of ['review.db', 'review.db-wal', join('temporal', 'temporal.db'), join('temporal', 'server.log'), join('store', 'documents', 'x')]) {
    writeFileSync(join(dataDir, file), 'x', { mode: 0o644 });
  }
  writeFileSync(join(dataDir, 'already-strict'), 'x', { mode: 0o400 });
  chmodSync(dataDir, 0o755);

  await tightenDataDir(dataDir);

  expect(mode(dataDir)).toBe(0o700);
  expect(mode(join(dataDir, 'temporal'))).toBe(0o700);
  expect(mode(join(dataDir, 'temporal', 'users'))).toBe(0o700);
  for (const file of ['review.db', 'review.db-wal', join('temporal', 'temporal.db'), join('temporal', 'server.log')]) {
    expect(mode(join(dataDir, file)), file).toBe(0o600);
  }
  expect(mode(join(dataDir, 'already-strict'))).toBe(0o400); // never loosened
  // The store writes its own files 0600 and may hold millions: it is not walked.
  expect(mode(join(dataDir, 'store', 'documents', 'x'))).toBe(0o644);
});

test('when the data directory does not exist yet, then it is made 0700', async () => {
  const root = mkdtempSync(join(tmpdir(), 'kyc-modes-'));
  dirs.push(root);
  await tightenDataDir(join(root, 'new', 'data'));
  expect(mode(join(root, 'new', 'data'))).toBe(0o700);
});

test('when new files are restricted, then files and folders made without a mode are owner-only', () => {
  const previous = process.umask();
  try {
    restrictNewFiles();
    const root = mkdtempSync(join(tmpdir(), 'kyc-modes-'));
    dirs.push(root);
    writeFileSync(join(root, 'f'), 'x');
    mkdirSync(join(root, 'd'));
    expect(mode(join(root, 'f'))).toBe(0o600);
    expect(mode(join(root, 'd'))).toBe(0o700);
  } finally {
    process.umask(previous);
  }
});
