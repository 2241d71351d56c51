import type { LogEntry } from '@temporalio/worker';
import { pino, type Logger } from 'pino';

/**
 * The pino root logger: JSON lines to stderr, so stdout stays clean for `--json`.
 *
 * Log ids, codes, counts, durations — never document text, names, MRZ, file names or images. The
 * redaction layer below is the safety net for the day someone does: every line passes through
 * `redactLogObject` (at any depth, also inside errors and the Temporal SDK's metadata), which
 * censors values under personal-data keys and masks IBAN-, MRZ- and e-mail-shaped text anywhere,
 * the message included.
 */
export const PII_KEYS = [
  'fullName', 'surname', 'givenNames', 'dateOfBirth', 'address', 'documentNumber', 'iban',
  'applicant', 'text', 'fields', 'evidence', 'mrz', 'fileName', 'file',
  // Also under these names: document content and what people typed about it.
  'name', 'names', 'firstName', 'lastName', 'birthDate', 'dob', 'street', 'postcode', 'postalCode', 'city',
  'email', 'phone', 'nationality', 'personalNumber', 'mrzText', 'rawText', 'content', 'bytes', 'image',
  'filename', 'originalName', 'declared', 'note', 'notes', 'comment', 'corrections', 'correction', 'before',
  'after', 'value', 'values', 'snippet', 'sanctionsCsv', 'documents',
  // A check's compared values and its sanctions-list entry (src/domain/report.ts).
  'comparison', 'sanctionsMatch',
];

const CENSOR = '[redacted]';
const PII_KEY_SET = new Set(PII_KEYS.map((k) => k.toLowerCase()));
const MAX_DEPTH = 8;

/** Text shapes that are personal data wherever they appear. */
const PII_PATTERNS: ReadonlyArray<readonly [RegExp, (match: string) => string]> = [
  // IBAN, grouped or not: two letters, two check digits, 11–30 more.
  [/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g, () => '[iban]'],
  // MRZ lines: long runs of capitals, digits and fillers with at least one `<<`.
  [/[A-Z0-9<]*<<[A-Z0-9<]*/g, (match) => (match.length >= 15 ? '[mrz]' : match)],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, () => '[email]'],
];

/** Masks IBAN-, MRZ- and e-mail-shaped text. */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replace] of PII_PATTERNS) out = out.replace(pattern, replace);
  return out;
}

/**
 * A copy of a log object with values under personal-data keys censored (numbers and booleans kept:
 * a page count is not personal) and every string masked by `redactText`. Errors become
 * `{ type, message, stack, code }` with those strings masked too.
 */
export function redactLogObject(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    const type = (value as { type?: unknown }).type;
    return {
      type: typeof type === 'string' ? type : value.name,
      message: redactText(value.message),
      ...(typeof code === 'string' ? { code } : {}),
      ...(value.stack ? { stack: redactText(value.stack) } : {}),
      ...(value.cause !== undefined ? { cause: redactLogObject(value.cause, depth + 1) } : {}),
    };
  }
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map((item) => redactLogObject(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const sensitive = PII_KEY_SET.has(key.toLowerCase()) && typeof item !== 'number' && typeof item !== 'boolean' && item !== undefined;
    out[key] = sensitive ? CENSOR : redactLogObject(item, depth + 1);
  }
  return out;
}

export function createLogger(level = 'info', destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      base: { service: 'kyc-engine' },
      formatters: {
        log: (object) => redactLogObject(object) as Record<string, unknown>,
        bindings: (bindings) => redactLogObject(bindings) as Record<string, unknown>,
      },
      hooks: {
        // The message string (and printf-style arguments) are masked as well.
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as Parameters<typeof method>);
        },
      },
    },
    destination as pino.DestinationStream,
  );
}

/**
 * The Temporal SDK's log entries (workflow `log`, activity `log`, worker and core messages) as pino
 * lines: the SDK's metadata (workflowId, runId, activityType, attempt…) become fields, so every
 * line of a case carries its workflow id (`kyc-case-<batchId>-<caseId>`).
 */
export function temporalLogSink(logger: Logger): (entry: LogEntry) => void {
  return (entry) => {
    const { message, meta } = entry;
    // Expected by design: each task queue's worker serves either workflows or activities.
    if (/^No (activities|workflows) registered/.test(message)) return;
    const method = entry.level === 'TRACE' ? 'trace' : (entry.level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
    logger[method]({ sdk: true, ...(meta ?? {}) }, message);
  };
}
