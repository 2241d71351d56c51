import { spawn } from 'node:child_process';
import { mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TemporalUnavailableError } from '../domain/errors.js';
import { SEARCH_ATTRIBUTES } from './names.js';

export interface DevServerOptions {
  cliPath: string;
  dataDir: string;
  namespace: string;
  port: number;
  uiPort: number;
  /** The codec endpoint the Temporal UI calls to show encrypted payloads (`<api>/codec`). */
  uiCodecEndpoint?: string;
  /** How long to wait for the server to accept connections. */
  startTimeoutMs?: number;
  /** Restart the server when it dies (default true), whether this process started it or reused it. */
  supervise?: boolean;
  onProgress?: (line: string) => void;
}

export interface RunningServer {
  address: string;
  uiUrl: string;
  /** True when this process started it (and so stops it); false when one was already running. */
  readonly owned: boolean;
  /** Stops it (when this is the last engine process using it); an owned server is no longer restarted. */
  stop(): Promise<void>;
  /** The server process's id when this process started it (undefined while using someone else's). */
  pid?: () => number | undefined;
  /** Supervisor events (the server exited, was started again, could not be); returns the unsubscribe function. */
  onEvent?: (listener: (event: DevServerEvent) => void) => () => void;
}

export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The embedded default: `temporal server start-dev` with its SQLite file under the data directory,
 * so workflows survive restarts. Reuses a server already listening on the port.
 *
 * Supervised like the worker process under `npm start` (unless `supervise: false`): when the server
 * dies (the process we started exits, or the one we reused stops listening) it is started again on
 * the same port and database file, after 1 s, 2 s, 4 s … up to 30 s; the backoff resets once a run
 * lasted a minute. A server someone else starts on the port meanwhile is used as it is.
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningServer> {
  const { port } = options;
  const address = `127.0.0.1:${port}`;
  const uiUrl = `http://127.0.0.1:${options.uiPort}`;
  const dir = join(options.dataDir, 'temporal');
  await mkdir(dir, { recursive: true });
  const args = [
    'server', 'start-dev',
    '--db-filename', join(dir, 'temporal.db'),
    // Write-ahead log instead of the rollback journal: one file append per transaction instead of
    // a journal file written, synced and deleted. Still synced at every commit (synchronous=FULL).
    '--sqlite-pragma', 'journal_mode=wal',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--ui-port', String(options.uiPort),
    ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
    '--namespace', options.namespace,
    '--log-format', 'json',
    '--log-level', 'warn',
    ...Object.values(SEARCH_ATTRIBUTES).flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
  ];
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const start = (): Promise<LaunchedServer> => launch({ cliPath: options.cliPath, args, dir, port, startTimeoutMs });

  /** The process we started; undefined while we use someone else's server (or one an earlier engine process started). */
  let current: LaunchedServer | undefined;
  if (await portOpen(port)) {
    // Used as it is, and stopped on the way out only if the engine process that started it is gone
    // and nobody else is using it (see `leave`).
    await register(dir);
  } else {
    await register(dir);
    options.onProgress?.(`Starting the embedded Temporal server (database ${join(dir, 'temporal.db')})…`);
    current = await start();
  }

  const listeners = new Set<(event: DevServerEvent) => void>();
  const emit = (event: DevServerEvent): void => {
    for (const listener of listeners) listener(event);
  };
  let stopping = false;
  let wakeUp: (() => void) | undefined;
  const pause = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      wakeUp = resolve;
      setTimeout(resolve, ms).unref();
    });

  /** Resolves when the server in use is gone: our process exited, or the port stayed closed for two looks. */
  const gone = async (): Promise<{ code: number | null; signal: NodeJS.Signals | null }> => {
    if (current) return current.exited;
    let closed = 0;
    while (!stopping && closed < 2) {
      await pause(1_000);
      closed = (await portOpen(port)) ? 0 : closed + 1;
    }
    return { code: null, signal: null };
  };

  const supervise = async (): Promise<void> => {
    let failures = 0;
    while (!stopping) {
      const { code, signal } = await gone();
      if (stopping) return;
      failures = current === undefined || Date.now() - current.startedAt > 60_000 ? 1 : failures + 1;
      let delayMs = Math.min(30_000, 1000 * 2 ** (failures - 1));
      emit({ type: 'exited', code, signal, restartInMs: delayMs });
      for (;;) {
        await pause(delayMs);
        if (stopping) return;
        if (await portOpen(port)) {
          current = undefined; // someone started a server on the port meanwhile: use it
          break;
        }
        try {
          current = await start();
          if (stopping) {
            // stop() came while it was starting: it saw no live process of ours, so this one is ours to end.
            try { process.kill(-current.pid, 'SIGTERM'); } catch { /* gone */ }
            await current.exited;
            return;
          }
          emit({ type: 'restarted', pid: current.pid, restarts: failures });
          break;
        } catch (err) {
          failures += 1;
          delayMs = Math.min(30_000, 1000 * 2 ** (failures - 1));
          emit({ type: 'restart-failed', message: (err as Error).message.split('\n')[0] ?? '', restartInMs: delayMs });
        }
      }
    }
  };
  const supervision = options.supervise === false ? Promise.resolve() : supervise();

  const stop = async (): Promise<void> => {
    stopping = true; // whatever happens next, this process restarts nothing any more
    wakeUp?.();
    if (await othersUsing(dir)) return; // another CLI or `npm start` still works against it
    const child = current;
    if (child === undefined) {
      await supervision;
      await leave(dir, port);
      return;
    }
    if (child.exitCode() !== undefined) {
      await supervision;
      return;
    }
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    await Promise.race([child.exited, sleep(10_000).then(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } })]);
    await supervision;
    await rm(join(dir, 'server.pid'), { force: true });
  };
  return {
    address,
    uiUrl,
    get owned() {
      return current !== undefined;
    },
    stop,
    pid: () => current?.pid,
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** What the supervisor of an owned server reports (the process exited, was started again, could not be). */
export type DevServerEvent =
  | { type: 'exited'; code: number | null; signal: NodeJS.Signals | null; restartInMs: number }
  | { type: 'restarted'; pid: number; restarts: number }
  | { type: 'restart-failed'; message: string; restartInMs: number };

interface LaunchedServer {
  pid: number;
  startedAt: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Undefined while running. */
  exitCode(): number | undefined;
}

/** Spawns the server and resolves once it listens; rejects (and kills it) when it exits or is too slow. */
async function launch(options: { cliPath: string; args: string[]; dir: string; port: number; startTimeoutMs: number }): Promise<LaunchedServer> {
  const { dir, port } = options;
  const log = await open(join(dir, 'server.log'), 'a');
  // Detached, in its own process group: Ctrl-C in the terminal reaches us, and we stop it in order.
  const child = spawn(options.cliPath, options.args, { detached: true, stdio: ['ignore', log.fd, log.fd] });
  await log.close();
  let exited: number | undefined;
  const exitedPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = code ?? -1;
      resolve({ code, signal });
    });
  });
  child.unref();
  if (child.pid === undefined) throw new TemporalUnavailableError(`the Temporal dev server could not be started (${options.cliPath})`);
  const pid = child.pid;
  await writeFile(join(dir, 'server.pid'), String(pid));

  const deadline = Date.now() + options.startTimeoutMs;
  while (!(await portOpen(port))) {
    if (exited !== undefined) {
      const tail = (await readFile(join(dir, 'server.log'), 'utf8').catch(() => '')).slice(-2000);
      throw new TemporalUnavailableError(`the Temporal dev server exited with code ${exited}:\n${tail}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new TemporalUnavailableError(`the Temporal dev server did not listen on 127.0.0.1:${port} in time`);
    }
    await sleep(200);
  }
  return { pid, startedAt: Date.now(), exited: exitedPromise, exitCode: () => exited };
}

/**
 * Every engine process using the embedded server leaves its pid under `temporal/users/`, so that
 * the process that started the server does not stop it under another one (two `kyc process` runs,
 * or `kyc process` beside `npm start`); the last one out stops it.
 */
async function register(dir: string): Promise<void> {
  await mkdir(join(dir, 'users'), { recursive: true });
  await writeFile(join(dir, 'users', String(process.pid)), '');
}

/** Removes this process's mark; true when another live process still uses the server. */
async function othersUsing(dir: string): Promise<boolean> {
  const users = join(dir, 'users');
  await rm(join(users, String(process.pid)), { force: true });
  let others = false;
  for (const name of await readdir(users).catch(() => [] as string[])) {
    const pid = Number(name);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) others = true;
    else await rm(join(users, name), { force: true });
  }
  return others;
}

/** A user that did not start the server: the last one out stops it when an engine process started it. */
async function leave(dir: string, port: number): Promise<void> {
  if (await othersUsing(dir)) return;
  const pid = Number(await readFile(join(dir, 'server.pid'), 'utf8').catch(() => ''));
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // not ours (started by hand)
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while ((await portOpen(port)) && Date.now() < deadline) await sleep(200);
  await rm(join(dir, 'server.pid'), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
