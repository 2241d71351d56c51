/**
 * Watches this process for outbound connections, two ways:
 *
 * - in JavaScript: outbound-guard.cjs wraps sockets, TLS, HTTP(S), fetch, DNS and UDP in the main
 *   thread and, through `--require`, in every worker thread started afterwards (tesseract.js OCR
 *   runs in worker threads). Each attempt is recorded with its destination; one that is neither
 *   loopback nor allow-listed fails like an unreachable network.
 * - in the kernel: /proc/net/{tcp,tcp6,udp,udp6} sampled every few milliseconds for sockets owned
 *   by this process (its /proc/self/fd) whose remote end is not loopback. This also sees native code
 *   (the Temporal core, llama.cpp, libvips) that never passes through JavaScript.
 *
 * Install it before anything creates worker threads or imports modules that capture `Worker`
 * (import the pipeline dynamically after `watchOutbound`).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { Endpoint } from '../../src/domain/outbound.js';

const require = createRequire(import.meta.url);
const GUARD_FILE = require.resolve('./outbound-guard.cjs');
const guard = require('./outbound-guard.cjs') as {
  install(options: { allow: readonly string[]; report: (attempt: OutboundAttempt) => void }): void;
  CHANNEL: string;
  isLoopback(host: string): boolean;
  endpoint(host: string, port: number): string;
};

export interface OutboundAttempt {
  via: string;
  host: string;
  port: number;
  allowed: boolean;
  thread: string;
}

export interface KernelSocket {
  protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  local: string;
  remote: string;
  state: string;
  allowed: boolean;
}

export interface OutboundWatch {
  /** Every attempt seen in JavaScript, allowed or not. */
  readonly attempts: readonly OutboundAttempt[];
  /** Every distinct socket of this process with a non-loopback remote end seen in the kernel's tables. */
  readonly kernel: readonly KernelSocket[];
  /** Kernel samples taken so far. */
  readonly samples: number;
  /** Worker threads that started with the guard installed. */
  readonly guardedThreads: number;
  /** Distinct loopback connections of this process seen in the kernel (the sampler sees our sockets). */
  readonly loopbackSockets: number;
  /** Attempts and sockets outside loopback and the allow-list. */
  violations(): Array<OutboundAttempt | KernelSocket>;
  /** Takes one more kernel sample now (also done on a timer). */
  sample(): void;
  stop(): Promise<void>;
}

let active: OutboundWatch | undefined;

/** Starts watching (once per process: the guards cannot be taken off again). */
export function watchOutbound(options: { allow: readonly Endpoint[]; pollMs?: number }): OutboundWatch {
  if (active) throw new Error('the outbound watch is already running in this process');
  const attempts: OutboundAttempt[] = [];
  const kernel = new Map<string, KernelSocket>();
  let samples = 0;
  let guardedThreads = 0;
  const loopback = new Set<string>();
  const allow = [...options.allow];

  process.env.KYC_OUTBOUND_WATCH = '1';
  process.env.KYC_OUTBOUND_ALLOW = allow.join(',');
  guard.install({ allow, report: (attempt) => attempts.push(attempt) });

  // Worker threads created from now on load the guard first.
  const threads = require('node:worker_threads') as typeof import('node:worker_threads');
  const RealWorker = threads.Worker;
  class GuardedWorker extends RealWorker {
    constructor(filename: string | URL, workerOptions: import('node:worker_threads').WorkerOptions = {}) {
      super(filename, { ...workerOptions, execArgv: [...(workerOptions.execArgv ?? []), '--require', GUARD_FILE] });
    }
  }
  threads.Worker = GuardedWorker;
  syncBuiltinESMExports();
  const channel = new threads.BroadcastChannel(guard.CHANNEL);
  channel.onmessage = (event) => {
    const data = (event as unknown as { data: { attempt?: OutboundAttempt; guarded?: number } }).data;
    if (data.attempt) attempts.push(data.attempt);
    if (data.guarded !== undefined) guardedThreads++;
  };
  channel.unref();

  const sample = (): void => {
    samples++;
    const inodes = ownSocketInodes();
    for (const protocol of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
      for (const row of readSocketTable(protocol)) {
        if (!inodes.has(row.inode) || row.remotePort === 0) continue;
        const remote = guard.endpoint(row.remoteHost, row.remotePort);
        if (guard.isLoopback(row.remoteHost)) {
          loopback.add(`${protocol} ${row.local} ${remote}`);
          continue;
        }
        const key = `${protocol} ${row.local} ${remote}`;
        if (!kernel.has(key)) kernel.set(key, { protocol, local: row.local, remote, state: row.state, allowed: allow.includes(remote) });
      }
    }
  };
  const timer = setInterval(sample, options.pollMs ?? 20);
  timer.unref();

  active = {
    attempts,
    get kernel() {
      return [...kernel.values()];
    },
    get samples() {
      return samples;
    },
    get guardedThreads() {
      return guardedThreads;
    },
    get loopbackSockets() {
      return loopback.size;
    },
    violations() {
      return [...attempts.filter((a) => !a.allowed), ...[...kernel.values()].filter((s) => !s.allowed)];
    },
    sample,
    async stop() {
      clearInterval(timer);
      sample();
      await new Promise((resolve) => setTimeout(resolve, 50)); // let worker threads' last reports arrive
      channel.close();
    },
  };
  return active;
}

/** Inodes of the sockets this process holds open. */
function ownSocketInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED', '02': 'SYN_SENT', '03': 'SYN_RECV', '04': 'FIN_WAIT1', '05': 'FIN_WAIT2', '06': 'TIME_WAIT',
  '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING',
};

interface SocketRow {
  local: string;
  remoteHost: string;
  remotePort: number;
  state: string;
  inode: string;
}

/** One of /proc/net/{tcp,tcp6,udp,udp6}: addresses are hex, each 32-bit word in host (little-endian) order. */
export function readSocketTable(protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6', text?: string): SocketRow[] {
  let content = text;
  if (content === undefined) {
    try {
      content = readFileSync(`/proc/net/${protocol}`, 'utf8');
    } catch {
      return [];
    }
  }
  return content
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 10)
    .map((cols) => {
      const [localHex = '', remoteHex = ''] = [cols[1], cols[2]];
      const [remoteAddr = '', remotePort = '0'] = remoteHex.split(':');
      const [localAddr = '', localPort = '0'] = localHex.split(':');
      return {
        local: `${hexAddress(localAddr)}:${parseInt(localPort, 16)}`,
        remoteHost: hexAddress(remoteAddr),
        remotePort: parseInt(remotePort, 16),
        state: TCP_STATES[cols[3] ?? ''] ?? cols[3] ?? '',
        inode: cols[9] ?? '',
      };
    });
}

export function hexAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') return `::ffff:${bytes.slice(12).join('.')}`;
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}
