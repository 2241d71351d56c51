/**
 * Readiness: can this process do its work right now? Probes Temporal and the databases every
 * second (and on demand), so the API answers 503 at once while a dependency is known to be down
 * instead of letting each request wait for its own timeout, and `/readyz` says which one failed.
 */
import { Connection } from '@temporalio/client';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import { createDatabase } from '../adapters/review-db.js';
import { RECONNECT_CHANNEL_ARGS } from '../temporal/connect.js';

/** One dependency's check: resolves when it answers, rejects (or exceeds the timeout) when not. */
export interface Probe {
  name: string;
  check(timeoutMs: number): Promise<void>;
  close?(): Promise<void>;
}

export interface DependencyState {
  ok: boolean;
  /** When the last probe finished (ISO). */
  checkedAt: string;
  /** Since when it has been in this state (ISO). */
  since: string;
}

export interface ReadinessReport {
  ready: boolean;
  dependencies: Record<string, DependencyState>;
}

export interface ReadinessOptions {
  probes: Probe[];
  /** Between background probes. */
  intervalMs?: number;
  /** A probe that has not answered in this long failed. */
  timeoutMs?: number;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

interface Known {
  ok: boolean;
  checkedAt: number;
  since: number;
}

export class ReadinessMonitor {
  private readonly probes: Probe[];
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly logger: Pick<Logger, 'info' | 'warn'> | undefined;
  private readonly known = new Map<string, Known>();
  private inFlight: Promise<ReadinessReport> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(options: ReadinessOptions) {
    this.probes = options.probes;
    this.intervalMs = options.intervalMs ?? 1_000;
    this.timeoutMs = options.timeoutMs ?? 1_000;
    this.logger = options.logger;
  }

  /** Probes now and then every `intervalMs` until `stop()`. */
  start(): void {
    this.stopped = false;
    const loop = (): void => {
      void this.check().finally(() => {
        if (!this.stopped) this.timer = setTimeout(loop, this.intervalMs).unref();
      });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.inFlight?.catch(() => undefined);
    await Promise.all(this.probes.map((p) => p.close?.().catch(() => undefined)));
  }

  /** True only when the last probe of `name` failed (unknown counts as up: never refuse on a guess). */
  isDown(name: string): boolean {
    return this.known.get(name)?.ok === false;
  }

  /** The dependencies among `names` known to be down. */
  down(names: readonly string[]): string[] {
    return names.filter((name) => this.isDown(name));
  }

  /** Probes every dependency now; concurrent callers share one round. Never rejects. */
  check(): Promise<ReadinessReport> {
    this.inFlight ??= this.round().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** A request just failed to reach a dependency: probe at once rather than at the next tick. */
  suspect(): void {
    void this.check();
  }

  /** The last known state, without probing. */
  report(): ReadinessReport {
    const dependencies: Record<string, DependencyState> = {};
    for (const probe of this.probes) {
      const k = this.known.get(probe.name);
      if (k) dependencies[probe.name] = { ok: k.ok, checkedAt: new Date(k.checkedAt).toISOString(), since: new Date(k.since).toISOString() };
    }
    const ready = this.probes.every((p) => this.known.get(p.name)?.ok === true);
    return { ready, dependencies };
  }

  private async round(): Promise<ReadinessReport> {
    await Promise.all(this.probes.map((probe) => this.probeOne(probe)));
    return this.report();
  }

  private async probeOne(probe: Probe): Promise<void> {
    let error: unknown;
    try {
      await withTimeout(probe.check(this.timeoutMs), this.timeoutMs);
    } catch (err) {
      error = err;
    }
    const now = Date.now();
    const ok = error === undefined;
    const before = this.known.get(probe.name);
    this.known.set(probe.name, { ok, checkedAt: now, since: before?.ok === ok ? before.since : now });
    if (before?.ok === ok || (before === undefined && ok)) return;
    // Transitions only, with the reason (gRPC or driver messages: addresses and codes, no personal data).
    if (ok) this.logger?.info({ dependency: probe.name, downForMs: before ? now - before.since : 0 }, 'dependency is reachable again');
    else this.logger?.warn({ dependency: probe.name, reason: reasonOf(error) }, 'dependency is unreachable');
  }
}

/**
 * Temporal: the namespace described by the frontend (which reads it from persistence), over a
 * connection of its own without the SDK's retries, so a dead server fails the probe at once.
 */
export function temporalProbe(address: string, namespace: string): Probe {
  let connection: Connection | undefined;
  return {
    name: 'temporal',
    async check(timeoutMs) {
      connection ??= Connection.lazy({ address, interceptors: [], channelArgs: { ...RECONNECT_CHANNEL_ARGS } });
      const c = connection;
      await c.withDeadline(Date.now() + timeoutMs, () => c.workflowService.describeNamespace({ namespace }));
    },
    async close() {
      await connection?.close();
    },
  };
}

/**
 * A database: a read of `table` (its migrations table, which always exists), on a connection of its
 * own. A bare `select 1` would not touch a SQLite file at all.
 */
export function databaseProbe(name: string, url: string, table: string): Probe {
  let db: Promise<Kysely<unknown>> | undefined;
  return {
    name,
    async check() {
      db ??= createDatabase(url).then((d) => d as unknown as Kysely<unknown>);
      const opened = await db.catch((err: unknown) => {
        db = undefined; // open again next time
        throw err;
      });
      await sql`select count(*) from ${sql.table(table)}`.execute(opened);
    },
    async close() {
      await (await db?.catch(() => undefined))?.destroy();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message.slice(0, 300) : String(err);
}
