import { describe, expect, it } from 'vitest';

import { busyShare, parseMemoryStatus, parsePidCpuTicks, parseProcStat, sampleAt } from '../../src/bench/proc.js';

const STAT = `cpu  100 0 50 800 50 0 0 0 0 0
cpu0 60 0 20 400 20 0 0 0 0 0
cpu1 40 0 30 400 30 0 0 0 0 0
intr 12345
ctxt 999
`;

describe('parseProcStat', () => {
  it('when given /proc/stat, then busy excludes idle and iowait, per core and overall', () => {
    expect(parseProcStat(STAT)).toEqual({
      all: { busy: 150, total: 1000 },
      cores: [{ busy: 80, total: 500 }, { busy: 70, total: 500 }],
    });
  });

  it('when there is no aggregate line, then it throws', () => {
    expect(() => parseProcStat('intr 1\n')).toThrow();
  });
});

describe('busyShare', () => {
  it('when comparing two samples, then it is the busy share of the ticks in between, within 0..1', () => {
    expect(busyShare({ busy: 100, total: 1000 }, { busy: 190, total: 1100 })).toBeCloseTo(0.9);
    expect(busyShare({ busy: 100, total: 1000 }, { busy: 100, total: 1000 })).toBe(0);
  });
});

describe('parsePidCpuTicks', () => {
  it('when the command name holds spaces and parentheses, then utime + stime are still found', () => {
    const line = '4242 (node (bench) x) S 1 4242 4242 0 -1 4194304 1000 0 0 0 350 120 0 0 20 0 12 0 5000 100000 2000';
    expect(parsePidCpuTicks(line)).toBe(470);
  });
});

describe('parseMemoryStatus', () => {
  it('when given /proc/<pid>/status, then VmRSS and VmHWM come back in bytes', () => {
    const status = 'Name:\tnode\nVmPeak:\t  900000 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
    expect(parseMemoryStatus(status)).toEqual({ rssBytes: 100 * 2 ** 20, peakRssBytes: 200 * 2 ** 20 });
  });
});

describe('sampleAt', () => {
  it('when asked for a moment, then it is the last sample taken at or before it, none before any', () => {
    const samples = [[100, 10], [200, 20], [300, 30]] as const;
    expect(sampleAt(samples, 250)).toBe(20);
    expect(sampleAt(samples, 300)).toBe(30);
    expect(sampleAt(samples, 50)).toBeUndefined();
  });
});
