/**
 * P3 and P4: checking at wire speed. A local server sends a chat answer of CHUNKS stream chunks
 * (and the same answer blocking); every check the suite runs on the `chat-system-user` case is
 * timed on it (P3: per blocking exchange, per stream chunk, memory held per stream), and a whole
 * streaming call through the capture transport with every check is timed against the same SDK
 * call on a plain transport (P4).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import OpenAI from 'openai';
import { Agent, fetch as undiciFetch } from 'undici';
import { CHECK_VOCABULARY } from '../src/checks/ids.js';
import type { CheckContext } from '../src/checks/types.js';
import type { Exchange } from '../src/core/types.js';
import { listMedia, loadFixtures } from '../src/fixtures/load.js';
import { OPERATIONS } from '../src/operations/index.js';
import { checksFor } from '../src/runner/run-case.js';
import { createCapturingFetch, type CapturedCall } from '../src/transport/capture.js';
import { observeStream, responseOf } from '../src/checks/stream-thread.js';
import { heapAfterGc, inTurn, median, report, ROOT, rounds } from './support/measure.js';

const CHUNKS = Number(process.env.BENCH_CHUNKS) || 5000;
const fixtures = path.join(ROOT, 'fixtures');
const step = loadFixtures(fixtures, { ...CHECK_VOCABULARY, mediaNames: new Set(listMedia(fixtures)) }).find((c) => c.id === 'chat-system-user')!.steps[0]!;
const params = { ...step.request, model: 'bench-chat' } as Record<string, unknown>;

// One answer, blocking and streamed, shaped as OpenAI sends it.
const head = { id: 'chatcmpl-bench', created: 1_700_000_000, model: 'bench-chat', system_fingerprint: 'fp_bench' };
const words = Array.from({ length: CHUNKS - 2 }, (_, i) => `w${i % 97} `);
const usage = { prompt_tokens: 12, completion_tokens: words.length, total_tokens: 12 + words.length };
const chunk = (delta: object, finish: string | null) => ({ ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
const sseBody = [chunk({ role: 'assistant', content: '' }, null), ...words.map((w) => chunk({ content: w }, null)), chunk({}, 'stop')].map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n';
const answer = (content: string, completion: number) =>
  JSON.stringify({ ...head, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }], usage: { ...usage, completion_tokens: completion, total_tokens: 12 + completion } });
const jsonBody = answer(words.join(''), words.length);
/** An everyday blocking answer (model `bench-short`), for the per-exchange figure. */
const shortBody = answer('Hello! How can I help you today?', 9);

const server = createServer((req, res) => {
  let raw = '';
  req.on('data', (d: Buffer) => (raw += d.toString('utf8')));
  req.on('end', () => {
    const request = JSON.parse(raw) as { stream?: boolean; model?: string };
    res.writeHead(200, { 'content-type': request.stream ? 'text/event-stream; charset=utf-8' : 'application/json' });
    res.end(request.stream ? sseBody : request.model === 'bench-short' ? shortBody : jsonBody);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
const agent = new Agent();
const op = OPERATIONS['chat.completions.create'];

/** One call the way run-case makes it: the SDK over the capturing fetch, then the exchange it yields. */
async function capture(stream: boolean, model = 'bench-chat'): Promise<Exchange> {
  const calls: CapturedCall[] = [];
  const client = new OpenAI({ apiKey: 'bench', baseURL, maxRetries: 0, fetch: createCapturingFetch(agent, calls, { observe: observeStream }) });
  const result = await op.invoke(client, { ...params, model }, stream);
  const call = calls[0]!;
  return { operation: step.call, stream, params, sdk: { ok: true, value: result.value }, request: call.request, response: await responseOf(call, []), durationMs: 0 };
}

const blocking = await capture(false);
const ctxOf = (exchange: Exchange): CheckContext => (exchange.stream ? { exchange, params: {}, transport: 'streaming', blockingPeer: blocking } : { exchange, params: {}, transport: 'blocking' });

/** Every applicable check of the step on the exchange; throws on a finding (the bench measures the passing path). */
function checkAll(exchange: Exchange): void {
  const ctx = ctxOf(exchange);
  const probe = { ...ctx }; // as run-case does: one context, params swapped in
  for (const { def, params: p, applies } of checksFor(step, ctx)) {
    if (!applies) continue;
    probe.params = p;
    const findings = def.run(probe);
    if (findings.length > 0) throw new Error(`${def.id} fails on the bench answer: ${JSON.stringify(findings[0])}`);
  }
}

/** µs of checking per exchange: a fresh copy each time, so no cache of an earlier pass helps (and, as in a run, each dies young). */
function checkingMicros(exchange: Exchange, times: number): number {
  const started = performance.now();
  for (let i = 0; i < times; i++) checkAll({ ...exchange, response: { ...exchange.response! } });
  return ((performance.now() - started) * 1000) / times;
}

const streamed = await capture(true);
const short = await capture(false, 'bench-short');
checkAll(blocking);
checkAll(streamed);
checkAll(short);
const n = rounds(5);
// Many short samples: on a shared machine a burst of other work spoils a few of them, not the median.
const perBlocking = await inTurn(n * 6, { us: async () => checkingMicros(short, 1000) });
const perChunk = await inTurn(n * 6, { us: async () => checkingMicros(streamed, 1) / CHUNKS });
report('P3b', 'checking per blocking exchange (µs; goal in µs)', [{ label: 'every check of chat-system-user (short answer)', values: perBlocking.us!, unit: 'µs' }], median(perBlocking.us!), 25);
report('P3c', `checking per stream chunk (${CHUNKS} chunks; µs; goal in µs)`, [{ label: 'every check of chat-system-user', values: perChunk.us!, unit: 'µs' }], median(perChunk.us!), 5);

// Memory held per stream: everything a checked exchange keeps alive (its body, the SDK's final
// value, what the checks keep of the chunks), from the heap with six checked exchanges and
// without them, against the bodies' size.
// (In a function of its own: a suspended top-level await may keep its temporaries alive.)
async function checkedStreams(): Promise<{ body: number; checked: number }> {
  const exchanges = await Promise.all(Array.from({ length: 6 }, () => capture(true)));
  for (const e of exchanges) checkAll(e);
  return { body: exchanges.reduce((sum, e) => sum + Buffer.byteLength(e.response!.body), 0), checked: heapAfterGc() };
}
const held: number[] = [];
for (let i = 0; i < n; i++) {
  const { body, checked } = await checkedStreams();
  held.push((checked - heapAfterGc()) / body);
}
report(
  'P3m',
  'memory held per checked stream / its body',
  [{ label: 'checked exchange / its body', values: held, unit: '×' }],
  median(held),
  1.2,
  'the body itself is 1×; the rest is the request, the SDK’s final value and what the stream pass keeps of the chunks',
);

// P4: the whole streaming call, SDK iteration included, with and without the project around it.
const plainClient = new OpenAI({ apiKey: 'bench', baseURL, maxRetries: 0, fetch: ((url: string, init: object) => undiciFetch(url, { ...init, dispatcher: agent } as never)) as never });
/** CPU time of the main thread in ms, where Linux tells it (/proc schedstat, in ns): what the SDK's thread spent, apart from every other thread. */
function mainThreadCpu(): number | undefined {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}
const processCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
type Cpu = { main: number[]; others: number[] };
const cpu: Record<string, Cpu> = {};
/** Wall time of `run`; its CPU on the main thread and on every other thread (the stream thread, V8's GC helpers) go to `cpu[job]`. */
const withCpu = (job: string, run: () => Promise<void>) => async () => {
  const main = mainThreadCpu();
  const all = processCpu();
  const started = performance.now();
  await run();
  const ms = performance.now() - started;
  const mainAfter = mainThreadCpu();
  if (main !== undefined && mainAfter !== undefined) {
    const c = (cpu[job] ??= { main: [], others: [] });
    c.main.push(mainAfter - main);
    c.others.push(processCpu() - all - (mainAfter - main));
  }
  return ms;
};
/** The same SDK call as run-case makes (the operation's own invoke), on the plain transport. */
async function bare(): Promise<void> {
  await op.invoke(plainClient, params, true);
}
async function checked(): Promise<void> {
  checkAll(await capture(true));
}
await inTurn(2, { bare: withCpu('warm', bare), checked: withCpu('warm', checked) });
const calls = await inTurn(Math.max(40, n * 8), { bare: withCpu('bare', bare), checked: withCpu('checked', checked) });

// What a second busy core alone costs the SDK on this machine: the same bare call beside a thread
// that spins (no memory traffic) for as long as the other threads worked more per checked call.
let besideBusyCore: string | undefined;
if (cpu.bare && cpu.checked) {
  const extra = Math.max(0, median(cpu.checked.others) - median(cpu.bare.others));
  const spinner = new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', (ms) => { const end = performance.now() + ms; while (performance.now() < end); parentPort.postMessage(0); });`,
    { eval: true },
  );
  const spin = () => new Promise((resolve) => (spinner.once('message', resolve), spinner.postMessage(extra)));
  const control = await inTurn(20, {
    bare: withCpu('control', bare),
    busy: withCpu('control', async () => {
      const spun = spin();
      await bare();
      await spun;
    }),
  });
  await spinner.terminate();
  besideBusyCore = `the SDK stream alone beside a thread spinning ${extra.toFixed(0)} ms: ${(median(control.busy!) / median(control.bare!)).toFixed(2)}× the SDK stream alone (what a second busy core costs here)`;
}
const perCall = (job: string) => `${median(cpu[job]!.main).toFixed(1)} ms main thread + ${median(cpu[job]!.others).toFixed(1)} ms other threads`;
report(
  'P4',
  `a ${CHUNKS}-chunk stream through the capture transport with every check / the SDK stream alone`,
  [
    { label: 'capture + SDK stream + every check', values: calls.checked!, unit: 'ms' },
    { label: 'SDK stream alone (same call)', values: calls.bare!, unit: 'ms' },
  ],
  median(calls.checked!) / median(calls.bare!),
  1.05,
  cpu.bare && cpu.checked
    ? [
        `CPU per call: checked ${perCall('checked')}; alone ${perCall('bare')} (a stream over 256 KB is checked on a second thread as it arrives)`,
        besideBusyCore!,
      ].join('\n    ')
    : undefined,
);
await agent.close();
server.close();
