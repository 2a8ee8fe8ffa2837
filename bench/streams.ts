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
/** CPU time of the main thread in ms, where Linux tells it (/proc, in 10 ms ticks): what the SDK's thread spent, apart from the stream thread. */
function mainThreadCpu(): number | undefined {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
const cpu = { bare: 0, checked: 0 };
const onMainThread = (job: 'bare' | 'checked', run: () => Promise<number>) => async () => {
  const before = mainThreadCpu();
  const ms = await run();
  const after = mainThreadCpu();
  if (before !== undefined && after !== undefined) cpu[job] += after - before;
  return ms;
};
async function bare(): Promise<number> {
  const started = performance.now();
  const stream = plainClient.chat.completions.stream(params as never);
  for await (const c of stream) void c;
  await stream.finalChatCompletion();
  return performance.now() - started;
}
async function checked(): Promise<number> {
  const started = performance.now();
  checkAll(await capture(true));
  return performance.now() - started;
}
await inTurn(2, { bare, checked }); // warm-up
const calls = await inTurn(Math.max(40, n * 8), { bare: onMainThread('bare', bare), checked: onMainThread('checked', checked) });
const pairs = calls.bare!.length;
report(
  'P4',
  `a ${CHUNKS}-chunk stream through the capture transport with every check / the SDK stream alone`,
  [
    { label: 'capture + SDK stream + every check', values: calls.checked!, unit: 'ms' },
    { label: 'SDK stream alone (same call)', values: calls.bare!, unit: 'ms' },
  ],
  median(calls.checked!) / median(calls.bare!),
  1.05,
  cpu.bare > 0
    ? `main thread CPU per call: ${(cpu.checked / pairs).toFixed(1)} ms checked, ${(cpu.bare / pairs).toFixed(1)} ms alone (a stream over 256 KB is checked on a second thread as it arrives)`
    : undefined,
);
await agent.close();
server.close();
