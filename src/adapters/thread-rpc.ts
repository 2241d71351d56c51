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
