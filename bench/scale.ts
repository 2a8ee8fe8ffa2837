/**
 * P5: cost grows linearly with cases and memory stays flat. Every case of the suite runs through
 * the scheduler against the reference server (in its own process), ten times over with distinct
 * ids in one run, and (the floor) as ten runs of the suite one after another; per-case time and
 * live heap are compared.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CHECK_VOCABULARY } from '../src/checks/ids.js';
import type { Exchange } from '../src/core/types.js';
import { listMedia, loadFixtures, type Case } from '../src/fixtures/load.js';
import { loadMedia } from '../src/fixtures/media.js';
import { caseRanks, RequestGate, startCases } from '../src/runner/scheduler.js';
import { loadTarget } from '../src/targets/load.js';
import { CLI, heapAfterGc, inTurn, median, report, ROOT, rounds, tempDir } from './support/measure.js';

const TIMES = 10;
const fixtures = path.join(ROOT, 'fixtures');
const cases = loadFixtures(fixtures, { ...CHECK_VOCABULARY, mediaNames: new Set(listMedia(fixtures)) });
// The server runs in its own process: what it stores (files, images, batches) grows with the requests.
const server = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const baseUrl = await new Promise<string>((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    const url = /listening on (http\S+)/.exec(out)?.[1];
    if (url) resolve(url);
  });
  server.once('exit', (code) => reject(new Error(`oai-compat serve exited ${code}: ${out}`)));
});
const target = { ...loadTarget('reference', path.join(ROOT, 'targets')), baseUrl };
const media = loadMedia(fixtures);
const recordingsDir = tempDir('scale');

/**
 * Runs `copies` copies of every case: ms per case, or (`memory`) the live heap of the process,
 * sampled after a full collection every 25 ms: its median (the working set) and maximum.
 */
async function runCopies(copies: number, memory = false): Promise<{ msPerCase: number; peak: number; max: number }> {
  const all: Case[] = Array.from({ length: copies }, (_, k) => cases.map((c) => ({ ...c, id: `${c.id}-x${k}` }))).flat();
  const env = { target, mode: 'live' as const, recordingsDir, timeoutMs: 60_000, pollIntervalMs: 0, apiKey: target.publicKey, media, peers: new Map<string, Exchange>() };
  heapAfterGc();
  const samples: number[] = [];
  const sampler = memory ? setInterval(() => samples.push(heapAfterGc()), 25) : undefined;
  const started = performance.now();
  const runs = startCases(all, env, new RequestGate(target.limits), caseRanks(all));
  // The memory runs keep no results (they are the report, which grows with the cases by nature): what is left is what running holds.
  const pending = memory ? [...runs.values()].map((run) => run.then((r) => r.filter((x) => x.status === 'fail' || x.status === 'error'))) : [...runs.values()];
  if (memory) runs.clear();
  const results = (await Promise.all(pending)).flat();
  const ms = performance.now() - started;
  clearInterval(sampler);
  const bad = results.filter((r) => r.status === 'fail' || r.status === 'error');
  if (bad.length > 0) throw new Error(`the reference server should pass every case: ${bad[0]!.case} ${bad[0]!.check} ${bad[0]!.message}`);
  return { msPerCase: ms / all.length, peak: samples.length > 0 ? median(samples) : 0, max: Math.max(0, ...samples) };
}

await runCopies(1); // warm-up: modules, schemas, JIT
const n = rounds(5);
const once: { msPerCase: number }[] = [];
const many: { msPerCase: number }[] = [];
// The floor runs the suite TIMES times one after another: the same work as once with TIMES× the cases,
// and as long a measurement, so machine noise weighs alike on both.
await inTurn(n, {
  once: async () => {
    let total = 0;
    for (let k = 0; k < TIMES; k++) total += (await runCopies(1)).msPerCase;
    once.push({ msPerCase: total / TIMES });
    return 0;
  },
  many: async () => (many.push(await runCopies(TIMES)), 0),
});
const maxima: Record<string, number[]> = { once: [], many: [] };
const heap = await inTurn(Math.min(n, 3), {
  once: async () => ((r) => (maxima.once!.push(r.max), r.peak))(await runCopies(1, true)),
  many: async () => ((r) => (maxima.many!.push(r.max), r.peak))(await runCopies(TIMES, true)),
});
const ms1 = once.map((r) => r.msPerCase);
const ms10 = many.map((r) => r.msPerCase);
report(
  'P5t',
  `time per case, ${TIMES}× the cases / 1×`,
  [
    { label: `${TIMES * cases.length} cases (${TIMES}× the suite)`, values: ms10, unit: 'ms' },
    { label: `${cases.length} cases (the suite), ${TIMES} runs`, values: ms1, unit: 'ms' },
  ],
  median(ms10) / median(ms1),
  1,
);
const mb = (v: number) => v / 2 ** 20;
report(
  'P5m',
  `live heap during the run (median of samples after GC), ${TIMES}× the cases / 1×`,
  [
    { label: `${TIMES * cases.length} cases`, values: heap.many!.map(mb), unit: 'MiB' },
    { label: `${cases.length} cases`, values: heap.once!.map(mb), unit: 'MiB' },
  ],
  median(heap.many!) / median(heap.once!),
  1.2,
  `results are not kept in these runs (the report grows with the cases by nature); largest sample ${mb(median(maxima.many!)).toFixed(1)} vs ${mb(median(maxima.once!)).toFixed(1)} MiB; ${((median(heap.many!) - median(heap.once!)) / 1024 / ((TIMES - 1) * cases.length)).toFixed(1)} KiB more per added case`,
);
server.kill();
