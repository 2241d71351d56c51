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
  onProgress?: (line: string) => void;
}

export interface RunningServer {
  address: string;
  uiUrl: string;
  /** True when this process started it (and so stops it); false when one was already running. */
  owned: boolean;
  stop(): Promise<void>;
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
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningServer> {
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = `http://127.0.0.1:${options.uiPort}`;
  const dir = join(options.dataDir, 'temporal');
  if (await portOpen(options.port)) {
    // Someone else's server, or one an earlier engine process started: use it, and stop it on the
    // way out only if that engine process is gone and nobody else is using it (see `leave`).
    await register(dir);
    return { address, uiUrl, owned: false, stop: () => leave(dir, options.port) };
  }
  await mkdir(dir, { recursive: true });
  await register(dir);
  const log = await open(join(dir, 'server.log'), 'a');
  const args = [
    'server', 'start-dev',
    '--db-filename', join(dir, 'temporal.db'),
    // Write-ahead log instead of the rollback journal: one file append per transaction instead of
    // a journal file written, synced and deleted. Still synced at every commit (synchronous=FULL).
    '--sqlite-pragma', 'journal_mode=wal',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--ui-port', String(options.uiPort),
    ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
    '--namespace', options.namespace,
    '--log-format', 'json',
    '--log-level', 'warn',
    ...Object.values(SEARCH_ATTRIBUTES).flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
  ];
  options.onProgress?.(`Starting the embedded Temporal server (database ${join(dir, 'temporal.db')})…`);
  // Detached, in its own process group: Ctrl-C in the terminal reaches us, and we stop it in order.
  const child = spawn(options.cliPath, args, { detached: true, stdio: ['ignore', log.fd, log.fd] });
  await log.close();
  let exited: number | null = null;
  child.once('exit', (code) => { exited = code ?? -1; });
  child.unref();
  await writeFile(join(dir, 'server.pid'), String(child.pid));

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (!(await portOpen(options.port))) {
    if (exited !== null) {
      const tail = (await readFile(join(dir, 'server.log'), 'utf8').catch(() => '')).slice(-2000);
      throw new TemporalUnavailableError(`the Temporal dev server exited with code ${exited}:\n${tail}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new TemporalUnavailableError(`the Temporal dev server did not listen on ${address} in time`);
    }
    await sleep(200);
  }
  const stop = async (): Promise<void> => {
    if (await othersUsing(dir)) return; // another CLI or `npm start` still works against it
    if (exited !== null || child.pid === undefined) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    await Promise.race([gone, sleep(10_000).then(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } })]);
    await rm(join(dir, 'server.pid'), { force: true });
  };
  return { address, uiUrl, owned: true, stop };
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
