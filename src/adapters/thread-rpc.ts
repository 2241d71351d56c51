/**
 * Calls into a worker thread that answers messages `{ id, op, ...args }` with `{ id, value }` or
 * `{ id, error: { name, message } }` (pdf-thread.mjs, analysis-thread.mjs). Used to keep CPU-heavy
 * JavaScript off a worker process's main thread, which carries every Temporal activation.
 *
 * - Only calls in flight keep the process alive: an idle thread does not hold it open.
 * - A call whose `signal` aborts sends `{ op: 'cancel', target: id }`; if the thread has not
 *   answered it `cancelGraceMs` later (stuck in synchronous code), the thread is terminated.
 * - When the thread dies, its calls in flight reject with ThreadStoppedError, and later calls too:
 *   the owner replaces the thread (`dead`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** The thread ended under a call (it died, or was stopped): a retryable failure, not the input's fault. */
export class ThreadStoppedError extends Error {
  override readonly name = 'ThreadStoppedError';
}

/** An error the thread's handler threw, by name and message (its class does not cross threads). */
export class ThreadCallError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(err: unknown): void;
  /** Removes the abort listener and the grace timer. */
  done(): void;
}

export interface RpcThreadOptions {
  /** Passed to the thread as `workerData`. */
  workerData?: unknown;
  /** After an aborted call, how long the thread may take to answer before it is terminated. Default 2 s. */
  cancelGraceMs?: number;
  /** What a stopped thread's calls reject with (its message), e.g. 'the PDF thread stopped'. */
  stoppedMessage: string;
}

export class RpcThread {
  dead = false;
  private readonly worker: Worker;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private readonly exited: Promise<void>;
  private readonly cancelGraceMs: number;
  private readonly stoppedMessage: string;

  constructor(script: string, options: RpcThreadOptions) {
    this.cancelGraceMs = options.cancelGraceMs ?? 2_000;
    this.stoppedMessage = options.stoppedMessage;
    this.worker = new Worker(script, { workerData: options.workerData });
    this.worker.unref();
    this.worker.on('message', (msg: { id: number; value?: unknown; error?: { name: string; message: string } }) => this.answer(msg));
    this.worker.on('error', (err) => this.die(err));
    this.exited = new Promise((resolve) => this.worker.once('exit', (code) => (this.die(new Error(`exit code ${code}`)), resolve())));
  }

  /** Calls in flight. */
  get inFlight(): number {
    return this.pending.size;
  }

  call<T>(op: string, args: Record<string, unknown>, options: { transfer?: ArrayBuffer[]; signal?: AbortSignal } = {}): Promise<T> {
    if (this.dead) return Promise.reject(new ThreadStoppedError(`${this.stoppedMessage} earlier`));
    const id = this.nextId++;
    const { signal } = options;
    return new Promise<T>((resolve, reject) => {
      let grace: ReturnType<typeof setTimeout> | undefined;
      const onAbort = (): void => {
        this.worker.postMessage({ op: 'cancel', target: id });
        grace = setTimeout(() => void this.stop(), this.cancelGraceMs);
      };
      const done = (): void => {
        signal?.removeEventListener('abort', onAbort);
        clearTimeout(grace);
      };
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, done });
      this.worker.postMessage({ id, op, ...args }, options.transfer ?? []);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Terminates the thread; its calls in flight reject. */
  async stop(): Promise<void> {
    if (!this.dead) await this.worker.terminate();
    await this.exited;
  }

  private answer(msg: { id: number; value?: unknown; error?: { name: string; message: string } }): void {
    const call = this.pending.get(msg.id);
    if (!call) return;
    this.settled(msg.id, call);
    if (msg.error) call.reject(new ThreadCallError(msg.error.name, msg.error.message));
    else call.resolve(msg.value);
  }

  private die(cause: unknown): void {
    if (this.dead) return;
    this.dead = true;
    for (const [id, call] of this.pending) {
      this.settled(id, call);
      call.reject(new ThreadStoppedError(this.stoppedMessage, { cause }));
    }
  }

  private settled(id: number, call: PendingCall): void {
    call.done();
    this.pending.delete(id);
    if (this.pending.size === 0 && !this.dead) this.worker.unref();
  }
}

/**
 * A fixed number of threads of one kind, each started on first use and replaced, when it has
 * died or been stopped, the next time it is asked for.
 */
export class RpcThreadSlots<T extends RpcThread> {
  /** Threads replaced so far. */
  restarts = 0;
  private readonly slots: (T | undefined)[];

  constructor(size: number, private readonly spawn: () => T) {
    this.slots = new Array<T | undefined>(Math.max(1, size)).fill(undefined);
  }

  /** Every slot's thread, alive: started or replaced as needed. */
  live(): T[] {
    return this.slots.map((thread, i) => {
      if (thread && !thread.dead) return thread;
      if (thread) this.restarts++;
      return (this.slots[i] = this.spawn());
    });
  }

  /** Stops every thread; their calls in flight reject. A later `live()` replaces them. */
  async stop(): Promise<void> {
    await Promise.all(this.slots.map((thread) => thread?.stop()));
  }
}

/**
 * The child process went over its memory limit (resident set, watched from outside, or V8's heap
 * limit) and was killed: the work it was doing needs more memory than it may have.
 */
export class ProcessOverMemoryError extends Error {
  override readonly name = 'ProcessOverMemoryError';
  constructor(
    readonly limitBytes: number,
    readonly rssBytes: number | undefined,
  ) {
    super(`the process went over its memory limit of ${Math.round(limitBytes / MIB)} MiB`);
  }
}

const MIB = 1024 * 1024;

export interface RpcProcessOptions {
  /** Command-line arguments of the child (`process.argv.slice(2)`). */
  args?: string[];
  /** The child's whole environment: nothing of the parent's (keys, database URLs) reaches a process that parses hostile input. */
  env?: Record<string, string>;
  /** What a stopped process's calls reject with (its message), e.g. 'the PDF process stopped'. */
  stoppedMessage: string;
  /**
   * Resident-set limit: polled from /proc/<pid>/status every `pollMs` while a call is in flight,
   * and the child's V8 heap is capped at the same size (`--max-old-space-size`), so neither a
   * JavaScript heap nor native memory (canvas bitmaps, decoded images) outgrows it. Over it the
   * child is killed (SIGKILL) and its calls reject with ProcessOverMemoryError.
   */
  memoryLimitBytes: number;
  /** Default 20 ms: at the 1–2 GB/s a renderer can allocate, the overshoot stays under ~40 MB. */
  pollMs?: number;
}

/**
 * The same protocol as RpcThread, with the script in a child process (IPC with the structured-clone
 * serialisation): the only way to bound a document's memory, since a worker thread's
 * `resourceLimits` bound its JavaScript heap but not the ArrayBuffers and canvas bitmaps a renderer
 * allocates (measured: tiling-pattern-box.pdf rendering at 300 dpi went past 3 GB with a 15 MB heap).
 * The child exits when the parent's IPC channel closes, so no process outlives its owner.
 */
export class RpcProcess {
  dead = false;
  /** Why it stopped: killed over the memory limit, stopped on purpose, or crashed on its own. */
  stopReason: 'memory' | 'stopped' | 'crashed' | undefined;
  /** Highest resident set seen (VmHWM), bytes. */
  peakRssBytes = 0;
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private readonly exited: Promise<void>;
  private readonly stoppedMessage: string;
  /** The resident-set limit, bytes. */
  readonly memoryLimit: number;
  private readonly pollMs: number;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private stderrTail = '';
  private overMemory: ProcessOverMemoryError | undefined;

  constructor(script: string, options: RpcProcessOptions) {
    this.stoppedMessage = options.stoppedMessage;
    this.memoryLimit = options.memoryLimitBytes;
    this.pollMs = options.pollMs ?? 20;
    const heapMiB = Math.max(64, Math.floor(options.memoryLimitBytes / MIB));
    this.child = fork(script, options.args ?? [], {
      serialization: 'advanced',
      // Not the parent's loader flags (tsx, vitest): the script is plain JavaScript.
      execArgv: [`--max-old-space-size=${heapMiB}`],
      env: { ...options.env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4096);
    });
    // Read for V8's out-of-memory message only; it must not keep the parent alive.
    (this.child.stderr as { unref?: () => void } | null)?.unref?.();
    this.unref();
    this.child.on('message', (msg: { id: number; value?: unknown; error?: { name: string; message: string } }) => this.answer(msg));
    this.child.on('error', (err) => this.die(err));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        // V8's own heap limit ends the process with this message (and SIGABRT / SIGTRAP).
        if (!this.overMemory && /heap out of memory|Reached heap limit/i.test(this.stderrTail)) {
          this.overMemory = new ProcessOverMemoryError(this.memoryLimit, undefined);
        }
        this.stopReason ??= this.overMemory ? 'memory' : 'crashed';
        this.die(this.overMemory ?? new Error(`exit code ${code}, signal ${signal}`));
        resolve();
      }),
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Calls in flight. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** The error that killed it over memory, if that is how it stopped. */
  get memoryError(): ProcessOverMemoryError | undefined {
    return this.overMemory;
  }

  /** Resident set now (VmRSS), bytes; updates the peak. undefined once dead or where /proc is missing. */
  residentBytes(): number | undefined {
    if (this.dead || this.child.pid === undefined) return undefined;
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'latin1');
      const field = (name: string): number | undefined => {
        const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
        return m ? Number(m[1]) * 1024 : undefined;
      };
      const hwm = field('VmHWM');
      if (hwm !== undefined && hwm > this.peakRssBytes) this.peakRssBytes = hwm;
      return field('VmRSS');
    } catch {
      return undefined;
    }
  }

  call<T>(op: string, args: Record<string, unknown>): Promise<T> {
    if (this.dead) return Promise.reject(this.overMemory ?? new ThreadStoppedError(`${this.stoppedMessage} earlier`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) this.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, done: () => {} });
      this.child.send({ id, op, ...args });
    });
  }

  /** Kills the process (SIGKILL: it may be stuck in synchronous code); its calls in flight reject. */
  async stop(): Promise<void> {
    if (!this.dead) {
      this.stopReason ??= 'stopped';
      this.child.kill('SIGKILL');
    }
    await this.exited;
  }

  private check(): void {
    const rss = this.residentBytes();
    if (rss === undefined || rss <= this.memoryLimit || this.dead) return;
    this.overMemory = new ProcessOverMemoryError(this.memoryLimit, rss);
    this.stopReason = 'memory';
    this.child.kill('SIGKILL');
  }

  private ref(): void {
    this.child.ref();
    (this.child.channel as { ref?: () => void } | undefined)?.ref?.();
    this.watchdog ??= setInterval(() => this.check(), this.pollMs);
  }

  private unref(): void {
    this.child.unref();
    (this.child.channel as { unref?: () => void } | undefined)?.unref?.();
    clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  private answer(msg: { id: number; value?: unknown; error?: { name: string; message: string } }): void {
    const call = this.pending.get(msg.id);
    if (!call) return;
    this.settled(msg.id);
    if (msg.error) call.reject(new ThreadCallError(msg.error.name, msg.error.message));
    else call.resolve(msg.value);
  }

  private die(cause: unknown): void {
    if (this.dead) return;
    this.residentBytes();
    this.dead = true;
    this.unref();
    for (const [id, call] of this.pending) {
      this.settled(id);
      call.reject(this.overMemory ?? new ThreadStoppedError(this.stoppedMessage, { cause }));
    }
  }

  private settled(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0 && !this.dead) this.unref();
  }
}
