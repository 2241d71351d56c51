import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { submittedBytes } from '../../src/app/service.js';
import { readCaseDir } from '../../src/cli/case-dir.js';
import { InvalidInputError } from '../../src/domain/errors.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function caseDir(files: Record<string, string>): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'kyc-case-dir-'));
  const path = join(dir, 'case-001');
  await mkdir(path);
  for (const [name, text] of Object.entries(files)) await writeFile(join(path, name), text);
  return path;
}

describe('readCaseDir', () => {
  it('when a case folder is read, then its documents are listed but their bytes are read only when the engine stores them', async () => {
    const path = await caseDir({ 'bill.pdf': 'first', 'applicant.json': JSON.stringify({ fullName: 'Jane Doe' }) });
    const request = await readCaseDir(path, 1000);
    expect(request).toMatchObject({ caseId: 'case-001', applicant: { fullName: 'Jane Doe' } });
    expect(request.documents.map((d) => d.fileName)).toEqual(['bill.pdf']);
    expect(request.documents[0]).not.toHaveProperty('bytes');
    // Read at submission: what is on disk then.
    await writeFile(join(path, 'bill.pdf'), 'second');
    expect(Buffer.from(await submittedBytes(request.documents[0]!)).toString()).toBe('second');
  });

  it('when a file grows past the limit before it is stored, then only the limit and one byte are read', async () => {
    const path = await caseDir({ 'bill.pdf': 'small' });
    const request = await readCaseDir(path, 10);
    await writeFile(join(path, 'bill.pdf'), 'x'.repeat(5000));
    expect(Buffer.from(await submittedBytes(request.documents[0]!)).toString()).toBe('x'.repeat(11));
  });

  it('when a file is over the limit from the start, then the folder is still read and that document is cut at the limit and one byte', async () => {
    // Over the limit, so the extraction refuses it (DOCUMENT_TOO_LARGE) without the file being read whole.
    const path = await caseDir({ 'big.pdf': 'x'.repeat(100_000), 'bill.pdf': 'small' });
    const request = await readCaseDir(path, 10);
    expect(request.documents.map((d) => d.fileName)).toEqual(['big.pdf', 'bill.pdf']);
    expect(await submittedBytes(request.documents[0]!)).toHaveLength(11);
    expect(Buffer.from(await submittedBytes(request.documents[1]!)).toString()).toBe('small');
  });

  it('when the folder is not a valid case, then it is refused as invalid input', async () => {
    const path = await caseDir({ '.hidden': 'x' });
    await expect(readCaseDir(path, 10)).rejects.toBeInstanceOf(InvalidInputError);
  });
});
