/**
 * Parsers for Linux /proc files the benchmark samples (CPU time of the machine and of processes,
 * resident memory) and the arithmetic over two samples. Pure: the reading is done by the caller.
 */

export interface CpuTimes {
  /** Clock ticks spent on anything but idle and iowait. */
  busy: number;
  /** All clock ticks. */
  total: number;
}

export interface ProcStat {
  /** The aggregate `cpu` line. */
  all: CpuTimes;
  /** `cpu0`, `cpu1`, … in order. */
  cores: CpuTimes[];
}

/** Parses /proc/stat: user nice system idle iowait irq softirq steal (guest time is already in user). */
export function parseProcStat(text: string): ProcStat {
  let all: CpuTimes | undefined;
  const cores: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    const match = /^cpu(\d*)\s+(.*)$/.exec(line);
    if (!match) continue;
    const fields = match[2]!.trim().split(/\s+/).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    const times = { busy: total - idle - iowait, total };
    if (match[1] === '') all = times;
    else cores[Number(match[1])] = times;
  }
  if (!all) throw new Error('no aggregate cpu line in /proc/stat');
  return { all, cores };
}

/** Share of `[0, 1]` of the ticks between two samples that were busy. */
export function busyShare(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  return total > 0 ? Math.min(1, Math.max(0, (after.busy - before.busy) / total)) : 0;
}

/** utime + stime of /proc/<pid>/stat in clock ticks (every thread of the process; children not included). */
export function parsePidCpuTicks(text: string): number {
  // The command name (field 2) is in parentheses and may hold spaces; count fields after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
  // rest[0] is field 3 (state): utime is field 14, stime field 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unexpected /proc/<pid>/stat format');
  return utime + stime;
}

export interface MemoryStatus {
  /** Resident set size now, bytes. */
  rssBytes: number;
  /** Peak resident set size ("high water mark") since start or the last reset, bytes. */
  peakRssBytes: number;
}

/** VmRSS and VmHWM of /proc/<pid>/status. */
export function parseMemoryStatus(text: string): MemoryStatus {
  const kb = (key: string): number => {
    const match = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    if (!match) throw new Error(`no ${key} in /proc/<pid>/status`);
    return Number(match[1]) * 1024;
  };
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

/** The value of the last sample taken at or before `at` (undefined when there is none). */
export function sampleAt<T>(samples: ReadonlyArray<readonly [at: number, value: T]>, at: number): T | undefined {
  let value: T | undefined;
  for (const [t, v] of samples) {
    if (t > at) break;
    value = v;
  }
  return value;
}
