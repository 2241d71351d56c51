/** Running work for the benchmark: bounded parallelism, timing, native tools as child processes. */
import { spawn } from 'node:child_process';

/** Runs `task` over `items` with at most `limit` in flight; results keep input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  return (await mapLanes(items, limit, task)).results;
}

/** `mapLimited`, also telling when each lane ran out of items (performance.now()). */
async function mapLanes<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<{ results: R[]; laneEnds: number[] }> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<number> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
    return performance.now();
  };
  const laneEnds = await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return { results, laneEnds };
}

export interface Timed<R> {
  ms: number;
  results: R[];
  /** Lane time left idle at the end, summed over the lanes: a lane out of items waits for the others' last ones. */
  tailIdleMs: number;
}

/** `mapLimited`, timed from the first start to the last finish. */
export async function timedMap<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<Timed<R>> {
  const started = performance.now();
  const { results, laneEnds } = await mapLanes(items, limit, task);
  const end = Math.max(...laneEnds);
  return { ms: end - started, results, tailIdleMs: laneEnds.reduce((idle, laneEnd) => idle + (end - laneEnd), 0) };
}

export interface SideBySide<R> {
  reference: Timed<R>;
  engine: Timed<R>;
}

/**
 * Runs both sides over the same items in the order reference, engine, engine, reference (first half,
 * then second half), so a machine that speeds up or slows down during the run (other processes,
 * thermal limits) does not favour whichever side happens to run first. Times are summed per side.
 */
export async function abba<T, R>(
  items: readonly T[],
  limit: number,
  sides: { reference: (item: T) => Promise<R>; engine: (item: T) => Promise<R> },
): Promise<SideBySide<R>> {
  const half = Math.ceil(items.length / 2);
  const first = items.slice(0, half);
  const second = items.slice(half);
  const r1 = await timedMap(first, limit, sides.reference);
  const e1 = await timedMap(first, limit, sides.engine);
  const e2 = await timedMap(second, limit, sides.engine);
  const r2 = await timedMap(second, limit, sides.reference);
  return {
    reference: { ms: r1.ms + r2.ms, results: [...r1.results, ...r2.results], tailIdleMs: r1.tailIdleMs + r2.tailIdleMs },
    engine: { ms: e1.ms + e2.ms, results: [...e1.results, ...e2.results], tailIdleMs: e1.tailIdleMs + e2.tailIdleMs },
  };
}

/**
 * `abba` repeated over the whole set until each side has been timed for at least `minMs` (at most
 * `maxRounds` times): fast rows (text layers) would otherwise be timed over a second or less, where
 * a scheduler hiccup moves the ratio. Results are the first round's; `rounds` says how many ran.
 */
export async function abbaRounds<T, R>(
  items: readonly T[],
  limit: number,
  sides: { reference: (item: T) => Promise<R>; engine: (item: T) => Promise<R> },
  options: { minMs: number; maxRounds: number },
): Promise<SideBySide<R> & { rounds: number }> {
  const run = await abba(items, limit, sides);
  let rounds = 1;
  while (rounds < options.maxRounds && Math.min(run.engine.ms, run.reference.ms) < options.minMs) {
    const more = await abba(items, limit, sides);
    run.engine.ms += more.engine.ms;
    run.reference.ms += more.reference.ms;
    run.engine.tailIdleMs += more.engine.tailIdleMs;
    run.reference.tailIdleMs += more.reference.tailIdleMs;
    rounds += 1;
  }
  return { ...run, rounds };
}

export interface ToolOptions {
  env?: NodeJS.ProcessEnv;
  /** Keep stdout (text tools); otherwise only its size is counted (image tools). */
  keepOutput?: boolean;
}

/** Runs a native tool to completion; rejects with its stderr when it exits non-zero. */
export function runTool(command: string, args: readonly string[], options: ToolOptions = {}): Promise<{ stdout: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (options.keepOutput) chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve({ stdout: Buffer.concat(chunks).toString('utf8'), bytes });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}: ${stderr.trim().slice(-500)}`));
    });
  });
}
