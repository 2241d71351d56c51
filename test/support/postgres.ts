/**
 * A throwaway PostgreSQL server for adapter tests: initdb into a temporary directory and pg_ctl
 * start on a free localhost port, trust authentication, fsync off. PostgreSQL refuses to run as
 * root, so under root the server runs as the `postgres` user (or `nobody`). The binaries come from
 * PG_BIN_DIR or Debian's /usr/lib/postgresql/<version>/bin; `scripts/setup.sh` installs them.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './ports.js';

const run = promisify(execFile);
const DEBIAN_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'kyc';

export interface TestPostgres {
  /** URL of the server's `postgres` database. */
  url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = findBinDir();
  const runAs = process.getuid?.() === 0 ? unprivilegedUser() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'kyc-pg-'));
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const exec = (tool: string, args: string[]) =>
    runAs ? run('runuser', ['-u', runAs.name, '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

  let started = false;
  const stopSync = () => {
    if (!started) return;
    started = false;
    try {
      const args = ['-D', dataDir, '-m', 'immediate', '-w', 'stop'];
      if (runAs) execFileSync('runuser', ['-u', runAs.name, '--', join(bin, 'pg_ctl'), ...args], { stdio: 'ignore' });
      else execFileSync(join(bin, 'pg_ctl'), args, { stdio: 'ignore' });
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A crashed or interrupted test run must not leave a server behind.
  process.once('exit', stopSync);

  try {
    await exec('initdb', ['-D', dataDir, '-U', SUPERUSER, '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    const port = await freePort();
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c full_page_writes=off`;
    await exec('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
    started = true;
    const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
    let databases = 0;
    return {
      url,
      async createDatabase() {
        const name = `kyc_test_${process.pid}_${++databases}`;
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${name}`);
        } finally {
          await client.end();
        }
        return `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`;
      },
      async stop() {
        process.removeListener('exit', stopSync);
        stopSync();
      },
    };
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '(no server log)';
    process.removeListener('exit', stopSync);
    stopSync();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a test PostgreSQL from ${bin}: ${(err as Error).message}\n${log}`, { cause: err });
  }
}

function findBinDir(): string {
  const explicit = process.env.PG_BIN_DIR;
  if (explicit) {
    if (!existsSync(join(explicit, 'pg_ctl'))) throw new Error(`PG_BIN_DIR=${explicit} holds no pg_ctl`);
    return explicit;
  }
  const versions = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(DEBIAN_ROOT, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] === undefined) {
    throw new Error(
      `PostgreSQL server binaries not found under ${DEBIAN_ROOT}/<version>/bin: run scripts/setup.sh ` +
        '(apt-get install postgresql) or set PG_BIN_DIR to the directory holding initdb and pg_ctl',
    );
  }
  return join(DEBIAN_ROOT, versions[0], 'bin');
}

function unprivilegedUser(): { name: string; uid: number; gid: number } {
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { name, uid, gid };
    } catch {
      // try the next one
    }
  }
  throw new Error('running as root, but neither a `postgres` nor a `nobody` user exists to run PostgreSQL as');
}
