import { pino, type Logger } from 'pino';

/**
 * The pino root logger (JSON to stderr, so stdout stays clean for `--json`).
 * Log ids, codes, counts, durations — never document text, names, MRZ or images;
 * the redact list is a safety net for the usual PII keys.
 */
export const PII_KEYS = [
  'fullName', 'surname', 'givenNames', 'dateOfBirth', 'address', 'documentNumber', 'iban',
  'applicant', 'text', 'fields', 'evidence', 'mrz', 'fileName', 'file',
];

export function createLogger(level = 'info', destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      base: { service: 'kyc-engine' },
      redact: { paths: [...PII_KEYS, ...PII_KEYS.map((k) => `*.${k}`)], censor: '[redacted]' },
    },
    destination as pino.DestinationStream,
  );
}
