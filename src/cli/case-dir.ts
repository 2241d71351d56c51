import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import type { SubmitCaseRequest } from '../app/service.js';
import { InvalidInputError } from '../domain/errors.js';
import { isValidIdPart } from '../temporal/names.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

/** applicant.json: what the bank declared about the applicant. */
export const ApplicantFileSchema = z
  .object({
    fullName: z.string().min(1).max(300).optional(),
    dateOfBirth: isoDate.optional(),
    address: z.string().min(1).max(1000).optional(),
    nationality: z.string().min(2).max(60).optional(),
  })
  .strict();

export const APPLICANT_FILE = 'applicant.json';

/**
 * Reads one applicant's folder: every regular, non-hidden file is a document; applicant.json is the
 * declaration. `maxDocumentBytes` is MAX_DOCUMENT_BYTES: a document larger than that is not read
 * past it. Only its first `maxDocumentBytes + 1` bytes are stored, which the extraction refuses as
 * DOCUMENT_TOO_LARGE: that document fails alone in its case's report, and the batch goes on.
 */
export async function readCaseDir(dir: string, maxDocumentBytes: number): Promise<SubmitCaseRequest> {
  const path = resolve(dir);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw new InvalidInputError(`${dir} is not a directory`);
  const caseId = basename(path);
  if (!isValidIdPart(caseId)) {
    throw new InvalidInputError(`folder name "${caseId}" is not a valid case id ([A-Za-z0-9][A-Za-z0-9._-]{0,63})`);
  }
  const entries = (await readdir(path, { withFileTypes: true }))
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name));

  const request: SubmitCaseRequest = { caseId, documents: [] };
  for (const entry of entries) {
    const file = join(path, entry.name);
    if (entry.name === APPLICANT_FILE) {
      request.applicant = parseApplicant(await readFile(file, 'utf8'), file);
      continue;
    }
    // Read when the engine stores it: the batch's documents are never all in memory at once.
    request.documents.push({ fileName: entry.name, read: () => readAtMost(file, maxDocumentBytes + 1) });
  }
  if (request.documents.length === 0) throw new InvalidInputError(`${dir} holds no documents`);
  return request;
}

/** The file's bytes, or its first `limit` bytes when it is longer (also when it grew since it was listed). */
async function readAtMost(file: string, limit: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(limit, (await handle.stat()).size));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break; // shrank meanwhile
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

function parseApplicant(text: string, file: string): SubmitCaseRequest['applicant'] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidInputError(`${file} is not valid JSON`);
  }
  const parsed = ApplicantFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidInputError(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
