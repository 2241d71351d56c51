/**
 * Samples CPU time (the machine's cores and given processes) and resident memory every interval
 * while a batch runs, from /proc (Linux only).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { busyShare, parseMemoryStatus, parsePidCpuTicks, parseProcStat, sampleAt, type ProcStat } from './proc.js';

export interface ProcessUsage {
  pid: number;
  /** CPU time over the window as a share of all cores' time (1 = every core busy all along). */
  cpuShareOfCores: number;
  /** Largest VmRSS seen in a sample. */
  maxSampledRssBytes: number;
  /** VmHWM at the end of the window (peak since the process started). */
  peakRssBytes: number | undefined;
  /** VmRSS of the last sample in the first half of the window, and of the last sample: growth late in a batch shows here. */
  rssAtHalfBytes: number;
  rssAtEndBytes: number;
}

export interface UsageReport {
  wallMs: number;
  cores: number;
  /** Machine-wide busy share over the window, all cores (includes processes not ours). */
  machineBusy: number;
  perCoreBusy: number[];
  /** Share of sampling intervals in which every core was at least 90 % busy (machine-wide). */
  intervalsAllCoresBusy: number;
  processes: Record<string, ProcessUsage>;
}

export interface Sampler {
  /** Adds a process to follow from now on (its CPU share counts from the first sample that saw it). */
  follow(name: string, pid: number): void;
  stop(): UsageReport;
}

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process has exited
  }
}

export function startSampler(intervalMs = 500): Sampler {
  const ticksPerSecond = clockTicksPerSecond();
  const firstStat = parseProcStat(readFileSync('/proc/stat', 'utf8'));
  const started = performance.now();
  let lastStat: ProcStat = firstStat;
  let busyIntervals = 0;
  let intervals = 0;
  type Followed = { pid: number; firstTicks: number; firstAt: number; lastTicks: number; lastAt: number; maxRss: number; rss: Array<[at: number, bytes: number]> };
  const followed = new Map<string, Followed>();

  const sampleProcess = (entry: Followed): void => {
    const stat = readText(`/proc/${entry.pid}/stat`);
    const status = readText(`/proc/${entry.pid}/status`);
    if (stat) {
      entry.lastTicks = parsePidCpuTicks(stat);
      entry.lastAt = performance.now();
    }
    if (status) {
      const rss = parseMemoryStatus(status).rssBytes;
      entry.maxRss = Math.max(entry.maxRss, rss);
      entry.rss.push([performance.now(), rss]);
    }
  };
  const sample = (): void => {
    const stat = parseProcStat(readFileSync('/proc/stat', 'utf8'));
    intervals += 1;
    if (stat.cores.every((core, i) => busyShare(lastStat.cores[i] ?? core, core) >= 0.9)) busyIntervals += 1;
    lastStat = stat;
    for (const entry of followed.values()) sampleProcess(entry);
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();

  return {
    follow(name: string, pid: number): void {
      const text = readText(`/proc/${pid}/stat`);
      if (!text) return;
      const ticks = parsePidCpuTicks(text);
      const now = performance.now();
      followed.set(name, { pid, firstTicks: ticks, firstAt: now, lastTicks: ticks, lastAt: now, maxRss: 0, rss: [] });
    },
    stop(): UsageReport {
      clearInterval(timer);
      sample();
      const wallMs = performance.now() - started;
      const cores = Math.max(1, lastStat.cores.length);
      const processes: Record<string, ProcessUsage> = {};
      for (const [name, entry] of followed) {
        const status = readText(`/proc/${entry.pid}/status`);
        const seconds = (entry.lastAt - entry.firstAt) / 1000;
        processes[name] = {
          pid: entry.pid,
          cpuShareOfCores: seconds > 0 ? (entry.lastTicks - entry.firstTicks) / ticksPerSecond / (seconds * cores) : 0,
          maxSampledRssBytes: entry.maxRss,
          peakRssBytes: status ? parseMemoryStatus(status).peakRssBytes : undefined,
          rssAtHalfBytes: sampleAt(entry.rss, started + wallMs / 2) ?? 0,
          rssAtEndBytes: entry.rss.at(-1)?.[1] ?? 0,
        };
      }
      return {
        wallMs,
        cores,
        machineBusy: busyShare(firstStat.all, lastStat.all),
        perCoreBusy: lastStat.cores.map((core, i) => busyShare(firstStat.cores[i] ?? core, core)),
        intervalsAllCoresBusy: intervals > 0 ? busyIntervals / intervals : 0,
        processes,
      };
    },
  };
}
