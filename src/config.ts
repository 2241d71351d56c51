import { homedir, cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './domain/errors.js';
import { DEFAULT_EXTRACTION_LIMITS } from './domain/extraction.js';
import { endpointOfUrl, parseEndpoint, type Endpoint } from './domain/outbound.js';
import { durationMs } from './review/policy.js';
import { RETENTION_PATTERN, retentionMs } from './domain/retention.js';

/** Where installs and builds are cached: outside the repo, shared by clones and CI runs. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.KYC_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kyc-engine'));
}

/** The default small model, fetched by scripts/fetch-model.sh (see models/default-model.json). */
export const DEFAULT_MODEL_FILE = 'gemma-3-270m-q4_k_m.gguf';

const positiveInt = z.coerce.number().int().positive();
const MASTER_KEYS_PATTERN = /^[A-Za-z0-9._-]{1,64}:[A-Za-z0-9+/]+={0,2}(,[A-Za-z0-9._-]{1,64}:[A-Za-z0-9+/]+={0,2})*$/;

const EnvSchema = z.object({
  KYC_DATA_DIR: z.string().min(1).optional(),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_CLI: z.string().min(1).optional(),
  TEMPORAL_PORT: positiveInt.default(7233),
  TEMPORAL_UI_PORT: positiveInt.default(8233),
  /** Browser origins of the Temporal UI allowed to call the codec endpoint (comma-separated). */
  TEMPORAL_UI_ORIGINS: z.string().regex(/^https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*$/, 'comma-separated origins such as http://localhost:8233').optional(),
  /** Payload master keys `id:base64,…` (first = active); the value is never echoed in errors. */
  KYC_MASTER_KEYS: z.string().regex(MASTER_KEYS_PATTERN, 'id:base64 pairs separated by commas, the active key first').optional(),
  /** A JSON key file `{ "active": id, "keys": { id: base64 } }`, mode 0600 or stricter. */
  KYC_KEY_FILE: z.string().min(1).optional(),
  OCR_LANG_PATH: z.string().min(1).default('/usr/share/tesseract-ocr/5/tessdata'),
  OCR_LANG: z.string().regex(/^[a-z_+]+$/).default('eng'),
  OCR_WORKERS: positiveInt.optional(),
  /** Nice value of OCR worker threads (read by each thread, src/adapters/ocr-thread.cjs) and of the PDF threads; 0 = the process's own. */
  OCR_THREAD_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /** pdf.js processes per worker process, each reading one document at a time (src/adapters/pdfjs.ts); default one per two OCR workers. */
  PDF_THREADS: positiveInt.optional(),
  /** Memory limit of one PDF document's reader (its pdf.js process): `1GiB`, `768MiB` or bytes; over it the document fails with DOCUMENT_TOO_COMPLEX. */
  PDF_MEMORY_LIMIT: z
    .string()
    .regex(/^\d+(MiB|GiB)?$/, 'a size such as 1GiB, 768MiB or a number of bytes')
    .default('1GiB')
    .transform((v) => Number(v.replace(/\D+$/, '')) * (v.endsWith('GiB') ? 1024 ** 3 : v.endsWith('MiB') ? 1024 ** 2 : 1))
    .refine((bytes) => bytes >= 128 * 1024 ** 2, 'at least 128MiB (pdf.js alone takes about 100 MiB)'),
  /** Documents a worker process takes from the OCR queue beyond its OCR workers (read and decoded ahead). */
  OCR_PREFETCH: z.coerce.number().int().min(0).default(1),
  /** Activity slots per task queue in one worker process; defaults follow cores and memory. */
  MODEL_CONCURRENCY: positiveInt.optional(),
  IO_CONCURRENCY: positiveInt.optional(),
  WORKFLOW_CONCURRENCY: positiveInt.optional(),
  /** Workflows kept in memory between their tasks; the rest (mostly cases waiting for a reviewer) are replayed when next needed. */
  WORKFLOW_CACHE_SIZE: z.coerce.number().int().min(2).default(200),
  MODEL_PATH: z.string().min(1).optional(),
  MODEL_MODE: z.enum(['assist', 'off']).default('assist'),
  MODEL_THREADS: positiveInt.optional(),
  MODEL_SLOTS: positiveInt.default(1),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).default(8080),
  /** Longest one Temporal call made for an API request may take, retries included; then 503. */
  API_TEMPORAL_CALL_TIMEOUT: z.string().regex(/^\d+(ms|s|m)$/, 'a duration such as 1500ms, 5s').default('1500ms'),
  SANCTIONS_LIST: z.string().min(1).optional(),
  POLICY_FILE: z.string().min(1).optional(),
  MAX_CONCURRENT_CASES: positiveInt.default(8),
  /** The review database: `file:/path.db` (SQLite) or `postgres://…`; default a SQLite file in the data dir. */
  REVIEW_DB_URL: z.string().min(1).optional(),
  WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  WEBHOOK_GIVE_UP: z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 30m, 24h').default('24h'),
  WEBHOOK_TIMEOUT: z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 10s').default('10s'),
  /** How often io workers write the signed audit checkpoint (src/audit/checkpoint.ts); `0s` = never. */
  AUDIT_CHECKPOINT_INTERVAL: z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 60s, 5m; 0s = off').default('60s'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** Documents and their extracted text are erased this long after their case closed. */
  RETENTION_DOCUMENTS: z.string().regex(RETENTION_PATTERN, 'a period such as 180d, 12h or 5y').default('180d'),
  /** Whole cases (report, review data) are erased this long after they closed. */
  RETENTION_REPORTS: z.string().regex(RETENTION_PATTERN, 'a period such as 5y or 3650d').default('5y'),
  /** Hostile-input limits: a document over any of them ends as a document error, the case goes on. */
  MAX_DOCUMENT_BYTES: positiveInt.default(DEFAULT_EXTRACTION_LIMITS.maxBytes),
  MAX_PAGES: positiveInt.default(DEFAULT_EXTRACTION_LIMITS.maxPages),
  MAX_PIXELS: positiveInt.default(DEFAULT_EXTRACTION_LIMITS.maxPixels),
  PAGE_TIMEOUT: z.string().regex(/^\d+(ms|s|m)$/, 'a duration such as 60s').default(`${DEFAULT_EXTRACTION_LIMITS.pageTimeoutMs / 1000}s`),
  /** The complete outbound allow-list, `host:port,…`; unset → the configured Temporal, webhook and PostgreSQL endpoints. */
  ALLOWED_OUTBOUND: z.string().regex(/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/, 'host:port pairs separated by commas').optional(),
});

export interface Config {
  dataDir: string;
  cacheDir: string;
  temporal: {
    /** undefined → start (or reuse) the embedded dev server. */
    address: string | undefined;
    namespace: string;
    cliPath: string | undefined;
    port: number;
    uiPort: number;
    /** Origins of the Temporal UI that may call the codec endpoint (CORS). */
    uiOrigins: string[];
  };
  /**
   * Master keys for Temporal payloads (see src/security/keyring.ts): inline (KYC_MASTER_KEYS) or a key
   * file (KYC_KEY_FILE); neither → the embedded default key file in the data dir (refused on a cluster).
   */
  masterKeys: { inline: string | undefined; file: string | undefined };
  /**
   * `prefetch`: extra OCR-queue slots beyond the workers. The next document is fetched, decrypted and
   * decoded while the engines are busy, and waits inside the process for the first free one, so
   * an engine never idles between documents while Temporal hands out the next task.
   */
  ocr: { langPath: string; lang: string; workers: number; prefetch: number; threadNice: number };
  /** pdf.js threads per worker process: rendering and text layers took a fifth of the OCR engines' time in the benchmark, so one per two OCR workers leaves room. */
  pdfThreads: number;
  /** Resident-set limit of each of those processes, bytes (PDF_MEMORY_LIMIT): one document's memory bound. */
  pdfMemoryLimitBytes: number;
  /** Slots per task queue in one worker process (OCR: `ocr.workers`). */
  concurrency: { model: number; io: number; workflows: number; workflowCache: number };
  /** `assist`: the model breaks ties on types and fills missing fields; `off`: rules alone. */
  model: { path: string; mode: 'assist' | 'off'; threads: number | undefined; slots: number };
  api: { host: string; port: number; temporalCallTimeoutMs: number };
  sanctionsList: string | undefined;
  /** The decision policy file (JSON, see config/policy.json); undefined → the built-in default. */
  policyFile: string | undefined;
  batch: { maxConcurrentCases: number };
  review: { dbUrl: string };
  /** Decision webhook; undefined → none. */
  webhook: { url: string; secret: string; giveUpAfterMs: number; timeoutMs: number } | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** Retention periods (`180d`, `5y`), applied daily by the `applyRetention` workflow. */
  retention: { documents: string; reports: string };
  /** The signed checkpoint of every case's audit head: its file and how often io workers write it (0 = never). */
  audit: { checkpointPath: string; checkpointIntervalMs: number };
  /** Limits on each document's bytes, pages and pixels, and the time one page may take. */
  extraction: { maxBytes: number; maxPages: number; maxPixels: number; pageTimeoutMs: number };
  /** Where the engine may connect besides loopback (see src/domain/outbound.ts). */
  network: { allowedOutbound: Endpoint[] };
  cores: number;
  memoryBytes: number;
}

const OCR_WORKER_BYTES = 350 * 1024 * 1024;

/** Parses the environment once, failing fast with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  // An empty variable counts as unset (compose files write `${WEBHOOK_URL:-}`).
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.WEBHOOK_URL && !e.WEBHOOK_SECRET) throw new ConfigError(['WEBHOOK_SECRET: required when WEBHOOK_URL is set']);
  if (retentionMs(e.RETENTION_DOCUMENTS) > retentionMs(e.RETENTION_REPORTS)) {
    throw new ConfigError(['RETENTION_DOCUMENTS: must not be longer than RETENTION_REPORTS (erasing a report erases its documents)']);
  }
  if (e.KYC_MASTER_KEYS && e.KYC_KEY_FILE) throw new ConfigError(['KYC_MASTER_KEYS, KYC_KEY_FILE: set one of them, not both']);
  if (e.TEMPORAL_ADDRESS && !e.KYC_MASTER_KEYS && !e.KYC_KEY_FILE) {
    throw new ConfigError(['KYC_KEY_FILE or KYC_MASTER_KEYS: required with TEMPORAL_ADDRESS (a cluster is given its payload keys explicitly)']);
  }
  const dataDir = resolve(e.KYC_DATA_DIR ?? join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'kyc-engine'));
  const reviewDbUrl = e.REVIEW_DB_URL ?? `file:${join(dataDir, 'review.db')}`;
  const allowedOutbound = outboundAllowList(e.ALLOWED_OUTBOUND, {
    TEMPORAL_ADDRESS: e.TEMPORAL_ADDRESS ? (parseEndpoint(e.TEMPORAL_ADDRESS) ?? endpointOfUrl(`http://${e.TEMPORAL_ADDRESS}`)) : undefined,
    WEBHOOK_URL: e.WEBHOOK_URL ? endpointOfUrl(e.WEBHOOK_URL) : undefined,
    REVIEW_DB_URL: /^postgres(ql)?:/.test(reviewDbUrl) ? endpointOfUrl(reviewDbUrl) : undefined,
  });
  const cores = Math.max(1, cpus().length);
  // One Tesseract worker per core, as memory allows (a worker with its page images peaks near 350 MB).
  const ocrWorkers = e.OCR_WORKERS ?? Math.max(1, Math.min(cores, Math.floor(totalmem() / OCR_WORKER_BYTES)));
  return Object.freeze({
    dataDir,
    cacheDir: cacheDir(env),
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      cliPath: e.TEMPORAL_CLI,
      port: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      uiOrigins: e.TEMPORAL_UI_ORIGINS?.split(',') ?? [`http://localhost:${e.TEMPORAL_UI_PORT}`, `http://127.0.0.1:${e.TEMPORAL_UI_PORT}`],
    },
    masterKeys: { inline: e.KYC_MASTER_KEYS, file: e.KYC_KEY_FILE },
    ocr: { langPath: e.OCR_LANG_PATH, lang: e.OCR_LANG, workers: ocrWorkers, prefetch: e.OCR_PREFETCH, threadNice: e.OCR_THREAD_NICE },
    pdfThreads: e.PDF_THREADS ?? Math.ceil(ocrWorkers / 2),
    pdfMemoryLimitBytes: e.PDF_MEMORY_LIMIT,
    concurrency: {
      // Rules-only analyses are quick; model calls queue inside the adapter for its few slots.
      model: e.MODEL_CONCURRENCY ?? cores * 2,
      io: e.IO_CONCURRENCY ?? 50,
      workflows: e.WORKFLOW_CONCURRENCY ?? 20,
      // The SDK's default sizes the cache from the heap limit (about 2,300 on a 4 GiB heap), so a
      // thousand cases waiting for review would all stay resident. Running cases need far fewer.
      workflowCache: e.WORKFLOW_CACHE_SIZE,
    },
    model: {
      path: resolve(e.MODEL_PATH ?? join(cacheDir(env), 'model', DEFAULT_MODEL_FILE)),
      mode: e.MODEL_MODE,
      threads: e.MODEL_THREADS,
      slots: e.MODEL_SLOTS,
    },
    api: { host: e.API_HOST, port: e.API_PORT, temporalCallTimeoutMs: durationMs(e.API_TEMPORAL_CALL_TIMEOUT) },
    sanctionsList: e.SANCTIONS_LIST,
    policyFile: e.POLICY_FILE,
    batch: { maxConcurrentCases: e.MAX_CONCURRENT_CASES },
    review: { dbUrl: reviewDbUrl },
    webhook:
      e.WEBHOOK_URL && e.WEBHOOK_SECRET
        ? { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET, giveUpAfterMs: durationMs(e.WEBHOOK_GIVE_UP), timeoutMs: durationMs(e.WEBHOOK_TIMEOUT) }
        : undefined,
    logLevel: e.LOG_LEVEL,
    retention: { documents: e.RETENTION_DOCUMENTS, reports: e.RETENTION_REPORTS },
    audit: { checkpointPath: join(dataDir, 'audit', 'checkpoint.json'), checkpointIntervalMs: durationMs(e.AUDIT_CHECKPOINT_INTERVAL) },
    extraction: {
      maxBytes: e.MAX_DOCUMENT_BYTES,
      maxPages: e.MAX_PAGES,
      maxPixels: e.MAX_PIXELS,
      pageTimeoutMs: durationMs(e.PAGE_TIMEOUT),
    },
    network: { allowedOutbound },
    cores,
    memoryBytes: totalmem(),
  });
}

/**
 * ALLOWED_OUTBOUND when set (every configured endpoint must be on it: a webhook or database
 * pointing elsewhere fails at start-up), else the configured endpoints themselves.
 */
function outboundAllowList(explicit: string | undefined, configured: Record<string, Endpoint | undefined>): Endpoint[] {
  const endpoints = Object.entries(configured).filter((entry): entry is [string, Endpoint] => entry[1] !== undefined);
  if (explicit === undefined) return [...new Set(endpoints.map(([, endpoint]) => endpoint))];
  const list = explicit.split(',').map((item) => [item, parseEndpoint(item)] as const);
  const problems = list.filter(([, parsed]) => parsed === undefined).map(([item]) => `ALLOWED_OUTBOUND: "${item}" is not host:port`);
  const allowed = list.flatMap(([, parsed]) => (parsed ? [parsed] : []));
  for (const [name, endpoint] of endpoints) {
    if (!allowed.includes(endpoint)) problems.push(`${name}: ${endpoint} is not in ALLOWED_OUTBOUND`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return allowed;
}
