import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { CheckResult } from '../src/core/types.js';
import { caseRanks, RequestGate, startCases, type Release } from '../src/runner/scheduler.js';
import { startReferenceServer, type RunningServer } from '../src/server/index.js';
import { CASES, makeEnv, referenceTarget } from './support/env.js';

/** A gate that records how many requests it has let through at once. */
class WatchedGate extends RequestGate {
  active = 0;
  peak = 0;
  override async acquire(priority = 0): Promise<Release> {
    const release = await super.acquire(priority);
    this.peak = Math.max(this.peak, ++this.active);
    let done = false;
    return () => {
      if (!done) this.active--;
      done = true;
      release();
    };
  }
}

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('the request gate', () => {
  test('never lets more than `concurrency` requests in flight, and uses all of them', async () => {
    const gate = new WatchedGate({ concurrency: 3 });
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const release = await gate.acquire();
        for (let t = 0; t < (i % 4) + 1; t++) await tick();
        release();
      }),
    );
    expect(gate.peak).toBe(3);
    expect(gate.active).toBe(0);
  });

  test('admits waiting requests by priority, then in order of arrival', async () => {
    const gate = new RequestGate({ concurrency: 1 });
    const first = await gate.acquire(0);
    const order: string[] = [];
    const waits = [['c', 5], ['a', 1], ['b', 3], ['a2', 1]].map(async ([name, priority]) => {
      const release = await gate.acquire(priority as number);
      order.push(name as string);
      release();
    });
    first();
    await Promise.all(waits);
    expect(order).toEqual(['a', 'a2', 'b', 'c']);
  });

  test('starts at most `requestsPerMinute` requests in any minute', async () => {
    vi.useFakeTimers();
    try {
      const gate = new RequestGate({ concurrency: 10, requestsPerMinute: 2 }, () => Date.now());
      const admitted: number[] = [];
      const start = Date.now();
      const all = Array.from({ length: 3 }, () => gate.acquire().then((release) => (admitted.push(Date.now() - start), release())));
      await vi.advanceTimersByTimeAsync(59_000);
      expect(admitted).toEqual([0, 0]);
      await vi.advanceTimersByTimeAsync(1_000);
      await Promise.all(all);
      expect(admitted).toEqual([0, 0, 60_000]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the cases of a run', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startReferenceServer();
  });
  afterAll(() => server.close());

  test('overlap at the gate, while each case keeps its steps in order and its streaming run follows its blocking run', async () => {
    const cases = CASES.filter((c) => ['chat', 'tools', 'batch', 'streaming'].includes(c.feature));
    const env = makeEnv(referenceTarget(server.baseUrl));
    const gate = new WatchedGate({ concurrency: 4 });
    const runs = startCases(cases, env, gate, caseRanks(cases));
    const results: CheckResult[] = (await Promise.all(runs.values())).flat();
    expect(gate.peak).toBe(4);
    expect(results.filter((r) => r.status !== 'pass' && r.status !== 'skip')).toEqual([]);
    // The streaming run of every case with both transports compared itself with its blocking run.
    const both = cases.filter((c) => c.transports.length === 2 && c.steps.some((s) => s.call === 'chat.completions.create'));
    expect(both.length).toBeGreaterThan(1);
    for (const c of both) {
      expect(results.find((r) => r.case === c.id && r.transport === 'streaming' && r.check === 'semantic.stream-agrees')?.status, c.id).toBe('pass');
    }
    // Each blocking exchange is kept only until its case's streaming run is done.
    await new Promise((r) => setTimeout(r, 0));
    expect(env.peers.size).toBe(0);
  });
});
