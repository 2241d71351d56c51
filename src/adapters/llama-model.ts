/**
 * The local language model through node-llama-cpp: a GGUF file on disk, the prebuilt CPU binary,
 * nothing downloaded (`build: 'never'`, `skipDownload: true`; a missing binary is an error, never a
 * build or a fetch). Weights are loaded once per process per path and shared; each `LocalModel`
 * owns one context whose sequences are the parallel slots, and calls beyond them wait in a queue.
 *
 * Every call starts a fresh chat (no history carries over between documents) in the model's own chat
 * template, resolved from the GGUF, so a larger instruct model is a change of `modelPath` only.
 * Output is forced by a JSON-schema grammar at temperature 0 and parsed against the same schema.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';

import {
  getLlama,
  LlamaChatSession,
  LlamaLogLevel,
  type GbnfJsonSchema,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaJsonSchemaGrammar,
  type LlamaModel,
} from 'node-llama-cpp';

import { ConfigError } from '../domain/errors.js';
import type {
  GenerateJsonOptions,
  GeneratedJson,
  JsonSchema,
  LocalModel,
  ModelId,
  ModelPrompt,
} from '../domain/model-prompts.js';

export type { LocalModel, ModelId } from '../domain/model-prompts.js';

export interface LlamaModelOptions {
  /** A GGUF file. */
  modelPath: string;
  /**
   * Parallel slots: sequences of one shared context, evaluated together in one batch (cheaper on a
   * CPU than separate contexts competing for the same cores). Further calls queue. Default 1.
   */
  contexts?: number;
  /**
   * Threads for evaluation; default half the math cores (1 on 2 cores). llama.cpp's threads spin at
   * barriers, so any thread that loses its core to another process (OCR, other workers) stalls the
   * rest: measured here, 2 threads were ~6× slower than 1 while another process used a core, and
   * node-llama-cpp's own default (max(cores, 4) = 4 threads on 2 cores) ~35× slower.
   */
  threads?: number;
  /** Tokens per slot: system + instructions + ~1,500 characters of text + answer fit in 2,048. */
  contextSize?: number;
  /** Tokens evaluated per decode step; default 512. */
  batchSize?: number;
  /** Where llama.cpp's messages go; by default only errors, to stderr. */
  logger?: (level: LlamaLogLevel, message: string) => void;
}

export const DEFAULT_CONTEXT_SIZE = 2048;
export const DEFAULT_BATCH_SIZE = 512;

/** The model produced output that does not fit the schema (cut by maxTokens, or malformed). Not worth retrying at temperature 0. */
export class ModelOutputError extends Error {
  readonly retryable = false;
  constructor(message: string, readonly stopReason: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelOutputError';
  }
}

// ---------------------------------------------------------------------------------------------
// One llama.cpp binding and one copy of each model's weights per process

interface LoadedWeights {
  model: LlamaModel;
  modelId: ModelId;
  users: number;
}

let llamaPromise: Promise<Llama> | undefined;
const weights = new Map<string, Promise<LoadedWeights>>();
/** Grammars depend on the Llama binding only, so they are shared by every model and cached by schema. */
const grammars = new Map<string, Promise<LlamaGrammar>>();

function defaultLogger(level: LlamaLogLevel, message: string): void {
  if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) process.stderr.write(`[llama] ${message}\n`);
}

function loadLlama(logger: LlamaModelOptions['logger']): Promise<Llama> {
  llamaPromise ??= (async () => {
    const llama = await getLlama({
      gpu: false,
      build: 'never',
      skipDownload: true,
      usePrebuiltBinaries: true,
      progressLogs: false,
      logLevel: LlamaLogLevel.warn,
      logger: logger ?? defaultLogger,
    });
    // The default cap is max(cpuMathCores, 4): on a 2-core machine that oversubscribes the cores.
    llama.maxThreads = llama.cpuMathCores;
    return llama;
  })().catch((err: unknown) => {
    llamaPromise = undefined;
    throw err;
  });
  return llamaPromise;
}

/** By path, size and mtime: a model reloaded after dispose is not hashed again. */
const hashes = new Map<string, Promise<string>>();

function sha256Once(path: string, size: number, mtimeMs: number): Promise<string> {
  const key = `${path}\0${size}\0${mtimeMs}`;
  let hash = hashes.get(key);
  if (!hash) {
    hash = sha256File(path);
    hashes.set(key, hash);
    hash.catch(() => hashes.delete(key));
  }
  return hash;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function acquireWeights(path: string, logger: LlamaModelOptions['logger']): Promise<LoadedWeights> {
  let entry = weights.get(path);
  if (!entry) {
    entry = (async () => {
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) {
        throw new ConfigError([`MODEL_PATH: ${path} is not a file (run \`bash scripts/fetch-model.sh\` for the default model)`]);
      }
      const llama = await loadLlama(logger);
      const [model, sha256] = await Promise.all([llama.loadModel({ modelPath: path, gpuLayers: 0 }), sha256Once(path, info.size, info.mtimeMs)]);
      return { model, modelId: { file: basename(path), sha256 }, users: 0 };
    })();
    weights.set(path, entry);
    entry.catch(() => weights.delete(path));
  }
  const loaded = await entry;
  loaded.users += 1;
  return loaded;
}

async function releaseWeights(path: string, loaded: LoadedWeights): Promise<void> {
  loaded.users -= 1;
  if (loaded.users > 0) return;
  weights.delete(path);
  await loaded.model.dispose();
}

function grammarFor(llama: Llama, schema: JsonSchema): Promise<LlamaGrammar> {
  const key = JSON.stringify(schema);
  let grammar = grammars.get(key);
  if (!grammar) {
    const gbnf: GbnfJsonSchema = schema; // compile-time proof that JsonSchema is a subset of what the grammar supports
    grammar = llama.createGrammarForJsonSchema<GbnfJsonSchema>(gbnf);
    grammars.set(key, grammar);
    grammar.catch(() => grammars.delete(key));
  }
  return grammar;
}

// ---------------------------------------------------------------------------------------------
// Slots: the sequences of one context, handed out in order of request

class SlotQueue {
  private readonly free: LlamaContextSequence[];
  private readonly waiting: Array<{ resolve: (slot: LlamaContextSequence) => void; reject: (err: unknown) => void; signal?: AbortSignal; onAbort: () => void }> = [];
  private closed = false;

  constructor(slots: LlamaContextSequence[]) {
    this.free = [...slots];
  }

  acquire(signal?: AbortSignal): Promise<LlamaContextSequence> {
    if (this.closed) return Promise.reject(new Error('the model has been disposed'));
    signal?.throwIfAborted();
    const slot = this.free.shift();
    if (slot) return Promise.resolve(slot);
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  release(slot: LlamaContextSequence): void {
    const next = this.waiting.shift();
    if (!next) {
      this.free.push(slot);
      return;
    }
    next.signal?.removeEventListener('abort', next.onAbort);
    next.resolve(slot);
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(new Error('the model has been disposed'));
    }
  }
}

/** Half the math cores: the rest is left to OCR and the other work on the same machine. */
export function defaultThreads(llama: Pick<Llama, 'cpuMathCores'>): number {
  return Math.max(1, Math.floor(llama.cpuMathCores / 2));
}

// ---------------------------------------------------------------------------------------------

/**
 * Loads (or reuses) the model at `modelPath` and opens `contexts` parallel slots on it. Dispose the
 * result when done; the weights are freed when the last user of that file disposes.
 */
export async function createLlamaModel(options: LlamaModelOptions): Promise<LocalModel> {
  const path = resolve(options.modelPath);
  const slots = Math.max(1, Math.floor(options.contexts ?? 1));
  const loaded = await acquireWeights(path, options.logger);
  let llama: Llama;
  let context: LlamaContext;
  try {
    llama = await loadLlama(options.logger);
    context = await loaded.model.createContext({
      sequences: slots,
      contextSize: options.contextSize ?? DEFAULT_CONTEXT_SIZE,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      threads: options.threads ?? defaultThreads(llama),
    });
  } catch (err) {
    await releaseWeights(path, loaded);
    throw err;
  }
  const queue = new SlotQueue(Array.from({ length: slots }, () => context.getSequence()));
  let isDisposed = false;

  async function generateJson<T>(prompt: ModelPrompt, schema: JsonSchema, { maxTokens, signal }: GenerateJsonOptions): Promise<GeneratedJson<T>> {
    if (!Number.isInteger(maxTokens) || maxTokens <= 0) throw new RangeError('maxTokens must be a positive integer');
    const started = performance.now();
    const grammar = (await grammarFor(llama, schema)) as LlamaJsonSchemaGrammar<GbnfJsonSchema>;
    const sequence = await queue.acquire(signal);
    const inputBefore = sequence.tokenMeter.usedInputTokens;
    // A new session is a new chat: only the system prompt and this message. The sequence keeps its
    // KV cache, but node-llama-cpp reuses it only for the identical token prefix and erases the rest.
    const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt: prompt.system, autoDisposeSequence: false });
    try {
      let tokens = 0;
      const { responseText, stopReason } = await session.promptWithMeta(prompt.user, {
        grammar,
        maxTokens,
        temperature: 0,
        signal,
        onToken: (generated) => {
          tokens += generated.length;
        },
      });
      const promptTokens = sequence.tokenMeter.usedInputTokens - inputBefore;
      if (stopReason === 'maxTokens') {
        throw new ModelOutputError(`the model's answer was cut at maxTokens=${maxTokens} (${responseText.length} characters)`, stopReason);
      }
      let value: T;
      try {
        value = grammar.parse(responseText) as T;
      } catch (err) {
        throw new ModelOutputError('the model produced JSON that does not fit the schema', stopReason, { cause: err });
      }
      return { value, tokens, promptTokens, ms: Math.round(performance.now() - started) };
    } finally {
      session.dispose({ disposeSequence: false });
      queue.release(sequence);
    }
  }

  return {
    modelId: loaded.modelId,
    generateJson,
    async dispose(): Promise<void> {
      if (isDisposed) return;
      isDisposed = true;
      queue.close();
      await context.dispose();
      await releaseWeights(path, loaded);
    },
  };
}
