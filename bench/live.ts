/**
 * P2: a live audit of the full suite against the reference server with the `slow` fault (every
 * answer delayed by L ms), at --concurrency 1, 4 and 8, against the ideal schedule: the same run
 * with no delay (the floor) plus L for every round of requests. A round holds `concurrency`
 * requests, but no schedule is shorter than the longest chain of requests that must follow one
 * another (a case's steps, its blocking run before its streaming run), so the ideal is
 * (1 + max(requests / concurrency, longest chain)) × L + floor, the 1 for the preflight's GET /models.
 * L grows with the concurrency (BENCH_LATENCY_MS, 100 by default, × the concurrency): every audit
 * then waits the same time in all (about 16 s), the floor's noise weighs alike on each, and
 * concurrency 1 does not take most of the bench's minutes.
 */
import path from 'node:path';
import { CHECK_VOCABULARY } from '../src/checks/ids.js';
import type { Exchange } from '../src/core/types.js';
import { listMedia, loadFixtures } from '../src/fixtures/load.js';
import { loadMedia } from '../src/fixtures/media.js';
import { runCase } from '../src/runner/run-case.js';
import { startReferenceServer } from '../src/server/index.js';
import { loadTarget } from '../src/targets/load.js';
import { CLI, inTurn, median, report, ROOT, rounds, tempDir, timeProcess } from './support/measure.js';

/** The delay per answer at concurrency 1; at concurrency c it is c times this. */
const LATENCY_AT_1_MS = Number(process.env.BENCH_LATENCY_MS) || 100;
const fixtures = path.join(ROOT, 'fixtures');
const cases = loadFixtures(fixtures, { ...CHECK_VOCABULARY, mediaNames: new Set(listMedia(fixtures)) });

const plain = await startReferenceServer();
const slow = await startReferenceServer({ faults: ['slow'] });

/** Requests per case (its transports in order), counted at the server: their sum and the longest chain. */
async function requestChains(): Promise<{ total: number; longest: number; longestCase: string }> {
  const target = { ...loadTarget('reference', path.join(ROOT, 'targets')), baseUrl: plain.baseUrl };
  const env = { target, mode: 'live' as const, recordingsDir: tempDir('live'), timeoutMs: 60_000, pollIntervalMs: 0, apiKey: target.publicKey, media: loadMedia(fixtures), peers: new Map<string, Exchange>() };
  let total = 0;
  let longest = 0;
  let longestCase = '';
  for (const c of cases) {
    const before = plain.requestCount();
    for (const transport of c.transports) await runCase(c, transport, env);
    const n = plain.requestCount() - before;
    total += n;
    if (n > longest) [longest, longestCase] = [n, c.id];
  }
  return { total, longest, longestCase };
}

const chains = await requestChains();
const out = tempDir('live-out');
const audit = (baseUrl: string, concurrency: number) => () => timeProcess([CLI, 'run', '--base-url', baseUrl, '--concurrency', String(concurrency), '--out', out]);
const n = rounds(3);
for (const concurrency of [1, 4, 8]) {
  const latencyMs = LATENCY_AT_1_MS * concurrency;
  process.env.OAI_COMPAT_SLOW_MS = String(latencyMs); // read by the in-process slow server on every answer
  const ms = await inTurn(n, { floor: audit(plain.baseUrl, concurrency), slow: audit(slow.baseUrl, concurrency) });
  const roundsOfRequests = Math.max(chains.total / concurrency, chains.longest);
  // Before any case the CLI's preflight sends GET /models alone (src/cli/preflight.ts): one more delay.
  const ideal = ms.floor!.map((f) => f + (1 + roundsOfRequests) * latencyMs);
  const issueIdeal = median(ms.floor!) + (1 + chains.total / concurrency) * latencyMs;
  report(
    `P2c${concurrency}`,
    `live audit, ${latencyMs} ms per answer, --concurrency ${concurrency} / ideal schedule`,
    [
      { label: `slow server`, values: ms.slow!.map((v) => v / 1000), unit: 's' },
      { label: `floor (no delay)`, values: ms.floor!.map((v) => v / 1000), unit: 's' },
      { label: `ideal (floor + (1 + ${roundsOfRequests.toFixed(2)}) × ${latencyMs} ms)`, values: ideal.map((v) => v / 1000), unit: 's' },
    ],
    median(ms.slow!) / median(ideal),
    1.15,
    `${chains.total} requests; longest chain ${chains.longest} (${chains.longestCase}); against requests / concurrency alone the ratio is ${(median(ms.slow!) / issueIdeal).toFixed(2)}`,
  );
}
await Promise.all([plain.close(), slow.close()]);
