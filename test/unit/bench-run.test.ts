import { afterEach, describe, expect, it, vi } from 'vitest';
import { timedMap } from '../../src/bench/run.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('timedMap', () => {
  it('when one lane runs out of items first, then its wait for the other lane counts as tail idle', async () => {
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const releases: Array<() => void> = [];
    const task = (item: string): Promise<string> => new Promise((resolve) => releases.push(() => resolve(item)));
    const run = timedMap(['long', 'short-1', 'short-2'], 2, task);
    await Promise.resolve();
    // t=10: short-1 finishes, its lane takes short-2; t=20: short-2 finishes, that lane has nothing left.
    clock = 10;
    releases[1]!();
    await vi.waitFor(() => expect(releases).toHaveLength(3));
    clock = 20;
    releases[2]!();
    await new Promise((r) => setTimeout(r, 0));
    // t=50: the long item finishes; the other lane sat idle from 20 to 50.
    clock = 50;
    releases[0]!();
    const timed = await run;
    expect(timed).toEqual({ ms: 50, results: ['long', 'short-1', 'short-2'], tailIdleMs: 30 });
  });
});
