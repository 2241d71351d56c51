import { homedir, cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './domain/errors.js';
import { durationMs } from './review/policy.js';

/** Where installs and builds are cached: outside the repo, shared by clones and CI runs. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.KYC_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kyc-engine'));
}

/** The default small model, fetched by scripts/fetch-model.sh (see models/default-model.json). */
export const DEFAULT_MODEL_FILE = 'gemma-3-270m-q4_k_m.gguf';

const positiveInt = z.coerce.number().int().positive();

const EnvSchema = z.object({
  KYC_DATA_DIR: z.string().min(1).optional(),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_CLI: z.string().min(1).optional(),
  TEMPORAL_PORT: positiveInt.default(7233),
  TEMPORAL_UI_PORT: positiveInt.default(8233),
  OCR_LANG_PATH: z.string().min(1).default('/usr/share/tesseract-ocr/5/tessdata'),
  OCR_LANG: z.string().regex(/^[a-z_+]+$/).default('eng'),
  OCR_WORKERS: positiveInt.optional(),
  MODEL_PATH: z.string().min(1).optional(),
  MODEL_MODE: z.enum(['assist', 'off']).default('assist'),
  MODEL_THREADS: positiveInt.optional(),
  MODEL_SLOTS: positiveInt.default(1),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).default(8080),
  SANCTIONS_LIST: z.string().min(1).optional(),
  POLICY_FILE: z.string().min(1).optional(),
  MAX_CONCURRENT_CASES: positiveInt.default(8),
  /** The review database: `file:/path.db` (SQLite) or `postgres://…`; default a SQLite file in the data dir. */
  REVIEW_DB_URL: z.string().min(1).optional(),
  WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  WEBHOOK_GIVE_UP: z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 30m, 24h').default('24h'),
  WEBHOOK_TIMEOUT: z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 10s').default('10s'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
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
  };
  ocr: { langPath: string; lang: string; workers: number };
  /** `assist`: the model breaks ties on types and fills missing fields; `off`: rules alone. */
  model: { path: string; mode: 'assist' | 'off'; threads: number | undefined; slots: number };
  api: { host: string; port: number };
  sanctionsList: string | undefined;
  /** The decision policy file (JSON, see config/policy.json); undefined → the built-in default. */
  policyFile: string | undefined;
  batch: { maxConcurrentCases: number };
  review: { dbUrl: string };
  /** Decision webhook; undefined → none. */
  webhook: { url: string; secret: string; giveUpAfterMs: number; timeoutMs: number } | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  cores: number;
  memoryBytes: number;
}

/** Parses the environment once, failing fast with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  // An empty variable counts as unset (compose files write `${WEBHOOK_URL:-}`).
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.WEBHOOK_URL && !e.WEBHOOK_SECRET) throw new ConfigError(['WEBHOOK_SECRET: required when WEBHOOK_URL is set']);
  const dataDir = resolve(e.KYC_DATA_DIR ?? join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'kyc-engine'));
  const cores = Math.max(1, cpus().length);
  return Object.freeze({
    dataDir,
    cacheDir: cacheDir(env),
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      cliPath: e.TEMPORAL_CLI,
      port: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
    },
    ocr: { langPath: e.OCR_LANG_PATH, lang: e.OCR_LANG, workers: e.OCR_WORKERS ?? cores },
    model: {
      path: resolve(e.MODEL_PATH ?? join(cacheDir(env), 'model', DEFAULT_MODEL_FILE)),
      mode: e.MODEL_MODE,
      threads: e.MODEL_THREADS,
      slots: e.MODEL_SLOTS,
    },
    api: { host: e.API_HOST, port: e.API_PORT },
    sanctionsList: e.SANCTIONS_LIST,
    policyFile: e.POLICY_FILE,
    batch: { maxConcurrentCases: e.MAX_CONCURRENT_CASES },
    review: { dbUrl: e.REVIEW_DB_URL ?? `file:${join(dataDir, 'review.db')}` },
    webhook:
      e.WEBHOOK_URL && e.WEBHOOK_SECRET
        ? { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET, giveUpAfterMs: durationMs(e.WEBHOOK_GIVE_UP), timeoutMs: durationMs(e.WEBHOOK_TIMEOUT) }
        : undefined,
    logLevel: e.LOG_LEVEL,
    cores,
    memoryBytes: totalmem(),
  });
}
