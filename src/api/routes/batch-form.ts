/**
 * Reads the multipart form of `POST /v1/batches` into a `SubmitBatchRequest`, in memory, with the
 * limits enforced while streaming. Field layout (documented in the OpenAPI description):
 *
 *   cases[<caseId>][documents]  file, repeatable   one per document of the case
 *   cases[<caseId>][applicant]  JSON text          optional, {"fullName","dateOfBirth","address","nationality"}
 *   asOf                        text               optional, YYYY-MM-DD
 *   batchId                     text               optional
 *   sanctions                   file (CSV)         optional, OpenSanctions targets.simple.csv format
 *
 * Any other field is rejected. File names are kept only as report labels, never as paths.
 */
import type { Multipart, MultipartFile } from '@fastify/multipart';
import { ZodError } from 'zod';
import type { SubmitBatchRequest, SubmittedFile } from '../../app/service.js';
import type { Applicant } from '../../domain/report.js';
import { ApiError, zodDetails } from '../http-errors.js';
import { ApplicantSchema, BatchFormFieldsSchema, ID_PATTERN, type ResolvedApiLimits } from '../schemas.js';

export type BatchForm = Omit<SubmitBatchRequest, 'idempotencyKey'>;

/** Largest applicant JSON accepted, in bytes; also the multipart per-field limit. */
export const MAX_TEXT_FIELD_BYTES = 64 * 1024;

type FieldRole =
  | { role: 'asOf' }
  | { role: 'batchId' }
  | { role: 'sanctions' }
  | { role: 'documents'; caseId: string }
  | { role: 'applicant'; caseId: string };

interface CaseDraft {
  applicant?: Applicant;
  documents: SubmittedFile[];
}

interface Tally {
  documents: number;
  bytes: number;
}

const CASE_FIELD = /^cases\[([^\]]*)\]\[([^\]]*)\]$/;

/** Parses the parts; throws `ApiError` (400/413) or `ZodError` (400) on a bad form. */
export async function readBatchForm(parts: AsyncIterable<Multipart>, limits: ResolvedApiLimits): Promise<BatchForm> {
  const cases = new Map<string, CaseDraft>();
  const text: Record<string, string> = {};
  const tally: Tally = { documents: 0, bytes: 0 };
  let sanctionsCsv: Uint8Array | undefined;

  const iterator = parts[Symbol.asyncIterator]();
  for (;;) {
    const next = await nextPart(iterator);
    if (next.done) break;
    const part = next.value;
    const field = classifyField(part.fieldname);

    if (field.role === 'asOf' || field.role === 'batchId') {
      if (field.role in text) throw duplicateField(part.fieldname);
      text[field.role] = textValue(part, part.fieldname);
    } else if (field.role === 'sanctions') {
      if (sanctionsCsv) throw duplicateField(part.fieldname);
      const file = fileValue(part, part.fieldname);
      const bytes = await readFile(file, tally, limits);
      if (bytes.length === 0 && file.filename === '') continue; // an empty browser file input
      if (bytes.length === 0) throw emptyFile(part.fieldname, 1);
      sanctionsCsv = bytes;
    } else {
      const draft = caseDraft(cases, field.caseId, limits);
      if (field.role === 'applicant') {
        if (draft.applicant) throw duplicateField(part.fieldname);
        draft.applicant = await readApplicant(part, tally, limits);
      } else {
        const file = fileValue(part, part.fieldname);
        const bytes = await readFile(file, tally, limits);
        // A browser form with an empty file input sends a nameless, empty part: not a document.
        if (bytes.length === 0 && file.filename === '') continue;
        if (bytes.length === 0) throw emptyFile(part.fieldname, draft.documents.length + 1);
        tally.documents += 1;
        if (tally.documents > limits.maxFiles) throw tooManyFiles(limits);
        draft.documents.push({ fileName: sanitiseFileName(file.filename, draft.documents.length + 1), bytes });
      }
    }
  }

  const { asOf, batchId } = parseTextFields(text);
  return {
    ...(batchId === undefined ? {} : { batchId }),
    ...(asOf === undefined ? {} : { asOf }),
    cases: finishCases(cases),
    ...(sanctionsCsv === undefined ? {} : { sanctionsCsv }),
  };
}

/** Report label for an uploaded file: the base name, printable, bounded; never used as a path. */
export function sanitiseFileName(name: string, position: number): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = base
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .slice(0, 200);
  return clean === '' || clean === '.' || clean === '..' ? `document-${position}` : clean;
}

function classifyField(name: string): FieldRole {
  if (name === 'asOf' || name === 'batchId' || name === 'sanctions') return { role: name };
  const match = CASE_FIELD.exec(name);
  if (!match) {
    throw new ApiError({
      statusCode: 400,
      code: 'UNKNOWN_FIELD',
      message:
        `unknown form field ${JSON.stringify(name)}; expected cases[<caseId>][documents], ` +
        'cases[<caseId>][applicant], asOf, batchId or sanctions',
      details: [{ field: name, message: 'unknown field' }],
    });
  }
  const caseId = match[1] ?? '';
  const member = match[2] ?? '';
  if (member !== 'documents' && member !== 'applicant') {
    throw new ApiError({
      statusCode: 400,
      code: 'UNKNOWN_FIELD',
      message: `unknown form field ${JSON.stringify(name)}; a case has only [documents] and [applicant]`,
      details: [{ field: name, message: 'unknown field' }],
    });
  }
  if (!ID_PATTERN.test(caseId)) {
    throw new ApiError({
      statusCode: 400,
      code: 'INVALID_CASE_ID',
      message: `invalid case id ${JSON.stringify(caseId)} in ${JSON.stringify(name)}: must match ${ID_PATTERN.source}`,
      details: [{ field: name, message: `case id must match ${ID_PATTERN.source}` }],
    });
  }
  return { role: member, caseId };
}

async function nextPart(iterator: AsyncIterator<Multipart>): Promise<IteratorResult<Multipart>> {
  try {
    return await iterator.next();
  } catch (err) {
    throw asParseError(err);
  }
}

function caseDraft(cases: Map<string, CaseDraft>, caseId: string, limits: ResolvedApiLimits): CaseDraft {
  const existing = cases.get(caseId);
  if (existing) return existing;
  if (cases.size >= limits.maxCases) {
    throw new ApiError({
      statusCode: 413,
      code: 'TOO_MANY_CASES',
      message: `more than ${limits.maxCases} cases in one batch`,
    });
  }
  const draft: CaseDraft = { documents: [] };
  cases.set(caseId, draft);
  return draft;
}

function finishCases(cases: Map<string, CaseDraft>): BatchForm['cases'] {
  if (cases.size === 0) {
    throw new ApiError({
      statusCode: 400,
      code: 'NO_CASES',
      message: 'the form has no case: send at least one file field cases[<caseId>][documents]',
    });
  }
  return [...cases].map(([caseId, draft]) => {
    if (draft.documents.length === 0) {
      const field = `cases[${caseId}][documents]`;
      throw new ApiError({
        statusCode: 400,
        code: 'NO_DOCUMENTS',
        message: `case ${caseId} has no documents: send at least one file field ${field}`,
        details: [{ field, message: 'at least one file is required' }],
      });
    }
    const { applicant, documents } = draft;
    return applicant ? { caseId, applicant, documents } : { caseId, documents };
  });
}

function parseTextFields(text: Record<string, string>): { asOf?: string; batchId?: string } {
  const parsed = BatchFormFieldsSchema.safeParse(text);
  if (parsed.success) return parsed.data;
  throw new ApiError({
    statusCode: 400,
    code: 'INVALID_FIELD',
    message: `invalid form field: ${zodDetails(parsed.error).map((d) => `${d.field ?? ''}: ${d.message}`).join('; ')}`,
    details: zodDetails(parsed.error),
  });
}

async function readApplicant(part: Multipart, tally: Tally, limits: ResolvedApiLimits): Promise<Applicant> {
  const field = part.fieldname;
  let raw: unknown;
  if (part.type === 'file') {
    // Also accepted as a file part (curl -F 'x=@applicant.json', or a Blob in browser FormData).
    const maxFileBytes = Math.min(limits.maxFileBytes, MAX_TEXT_FIELD_BYTES);
    const bytes = await readFile(part, tally, { ...limits, maxFileBytes });
    raw = Buffer.from(bytes).toString('utf8');
  } else {
    raw = textOrJson(part, field);
  }
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ApiError({
        statusCode: 400,
        code: 'INVALID_APPLICANT',
        message: `${field} is not valid JSON`,
        details: [{ field, message: 'not valid JSON' }],
      });
    }
  }
  const parsed = ApplicantSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = zodDetails(parsed.error, field);
  throw new ApiError({
    statusCode: 400,
    code: 'INVALID_APPLICANT',
    message: `${field} is not a valid applicant: ${details.map((d) => `${d.field ?? field}: ${d.message}`).join('; ')}`,
    details,
  });
}

function textValue(part: Multipart, field: string): string {
  const value = textOrJson(part, field);
  if (typeof value !== 'string') {
    throw new ApiError({
      statusCode: 400,
      code: 'INVALID_FIELD',
      message: `${field} must be plain text`,
      details: [{ field, message: 'must be plain text' }],
    });
  }
  return value;
}

/** A text part's value: a string, or already-parsed JSON when the part declared application/json. */
function textOrJson(part: Multipart, field: string): unknown {
  if (part.type === 'file') {
    throw new ApiError({
      statusCode: 400,
      code: 'INVALID_FIELD',
      message: `${field} must be a text field, not a file`,
      details: [{ field, message: 'must be a text field' }],
    });
  }
  if (part.valueTruncated) {
    throw new ApiError({
      statusCode: 413,
      code: 'FIELD_TOO_LARGE',
      message: `${field} is longer than ${MAX_TEXT_FIELD_BYTES} bytes`,
      details: [{ field, message: 'too long' }],
    });
  }
  return part.value;
}

function fileValue(part: Multipart, field: string): MultipartFile {
  if (part.type !== 'file') {
    throw new ApiError({
      statusCode: 400,
      code: 'INVALID_FIELD',
      message: `${field} must be a file (multipart part with a filename)`,
      details: [{ field, message: 'must be a file' }],
    });
  }
  return part;
}

/** Buffers one file, enforcing the per-file and per-request byte limits as the bytes arrive. */
async function readFile(part: MultipartFile, tally: Tally, limits: ResolvedApiLimits): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of part.file as AsyncIterable<Buffer>) {
      size += chunk.length;
      tally.bytes += chunk.length;
      if (part.file.truncated || size > limits.maxFileBytes) throw fileTooLarge(part.fieldname, limits);
      if (tally.bytes > limits.maxTotalBytes) throw requestTooLarge(limits);
      chunks.push(chunk);
    }
  } catch (err) {
    throw asParseError(err);
  }
  if (part.file.truncated) throw fileTooLarge(part.fieldname, limits);
  return Buffer.concat(chunks, size);
}

/** Our own errors and the plugin's coded errors pass; anything else from the parser is a malformed body. */
function asParseError(err: unknown): unknown {
  if (err instanceof ApiError || err instanceof ZodError) return err;
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err;
  return new ApiError({
    statusCode: 400,
    code: 'MALFORMED_MULTIPART',
    message: 'the multipart body could not be parsed',
  });
}

function duplicateField(field: string): ApiError {
  return new ApiError({
    statusCode: 400,
    code: 'DUPLICATE_FIELD',
    message: `${field} was sent more than once`,
    details: [{ field, message: 'only one allowed' }],
  });
}

function emptyFile(field: string, position: number): ApiError {
  return new ApiError({
    statusCode: 400,
    code: 'EMPTY_FILE',
    message: `file #${position} of ${field} is empty`,
    details: [{ field, message: 'empty file' }],
  });
}

function fileTooLarge(field: string, limits: ResolvedApiLimits): ApiError {
  return new ApiError({
    statusCode: 413,
    code: 'FILE_TOO_LARGE',
    message: `a file in ${field} is larger than the limit of ${limits.maxFileBytes} bytes`,
    details: [{ field, message: `larger than ${limits.maxFileBytes} bytes` }],
  });
}

function tooManyFiles(limits: ResolvedApiLimits): ApiError {
  return new ApiError({
    statusCode: 413,
    code: 'TOO_MANY_FILES',
    message: `more than ${limits.maxFiles} documents in one request`,
  });
}

function requestTooLarge(limits: ResolvedApiLimits): ApiError {
  return new ApiError({
    statusCode: 413,
    code: 'REQUEST_TOO_LARGE',
    message: `the files together are larger than the limit of ${limits.maxTotalBytes} bytes`,
  });
}

/** The form of `POST /v1/cases/:caseId/documents`: one or more `documents` file parts, nothing else. */
export async function readDocumentsForm(parts: AsyncIterable<Multipart>, limits: ResolvedApiLimits): Promise<SubmittedFile[]> {
  const tally: Tally = { documents: 0, bytes: 0 };
  const documents: SubmittedFile[] = [];
  const iterator = parts[Symbol.asyncIterator]();
  for (;;) {
    const next = await nextPart(iterator);
    if (next.done) break;
    const part = next.value;
    if (part.fieldname !== 'documents') {
      throw new ApiError({
        statusCode: 400,
        code: 'UNKNOWN_FIELD',
        message: `unknown form field ${part.fieldname}: send the files as "documents"`,
        details: [{ field: part.fieldname, message: 'not allowed' }],
      });
    }
    const file = fileValue(part, part.fieldname);
    const bytes = await readFile(file, tally, limits);
    if (bytes.length === 0 && file.filename === '') continue;
    if (bytes.length === 0) throw emptyFile(part.fieldname, documents.length + 1);
    tally.documents += 1;
    if (tally.documents > limits.maxFiles) throw tooManyFiles(limits);
    documents.push({ fileName: sanitiseFileName(file.filename, documents.length + 1), bytes });
  }
  if (documents.length === 0) {
    throw new ApiError({ statusCode: 400, code: 'NO_DOCUMENTS', message: 'send at least one file as "documents"' });
  }
  return documents;
}
