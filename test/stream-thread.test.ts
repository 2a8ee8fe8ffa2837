import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getCheck } from '../src/checks/index.js';
import { answerOf } from '../src/checks/answer.js';
import { digestStream, streamDigest } from '../src/checks/stream-pass.js';
import { observeStream, responseOf, THREAD_THRESHOLD } from '../src/checks/stream-thread.js';
import type { Exchange } from '../src/core/types.js';
import { createCapturingFetch, type CapturedCall } from '../src/transport/capture.js';

const SECRET = 'sk-stream-thread-secret-0123456789';
const CHUNKS = 3000;

/**
 * A long chat stream (over the thread's threshold) with a deviation for several folds: chunk 2000
 * changes the id, chunk 2200 names the wrong object, the last chunk's usage does not add up; and
 * chunk 2500 echoes the key.
 */
function longStream(): string {
  const chunk = (i: number, delta: object, finish: string | null = null, extra: object = {}) =>
    `data: ${JSON.stringify({ id: i === 2000 ? 'chatcmpl-other' : 'chatcmpl-long', object: i === 2200 ? 'chat.completion' : 'chat.completion.chunk', created: 1735689600, model: 'long', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;
  const parts = [chunk(0, { role: 'assistant', content: '' })];
  for (let i = 1; i < CHUNKS - 1; i++) parts.push(chunk(i, { content: i === 2500 ? ` ${SECRET} ` : `w${i % 50} ` }));
  parts.push(chunk(CHUNKS - 1, {}, 'stop', { usage: { prompt_tokens: 5, completion_tokens: 3000, total_tokens: 10 } }), 'data: [DONE]\n\n');
  return parts.join('');
}

const body = longStream();
let server: http.Server;
let baseURL: string;
const agent = new Agent();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      // In pieces, as a network delivers them; `/cut` breaks off half-way.
      const cut = req.url?.endsWith('/cut/chat/completions');
      const end = cut ? body.length >> 1 : body.length;
      for (let at = 0; at < end; at += 40_000) res.write(body.slice(at, Math.min(at + 40_000, end)));
      if (cut) res.write('', () => res.socket?.destroy());
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await agent.close();
  await new Promise((resolve) => server.close(resolve));
});

/** One streamed chat call the way run-case makes it: the SDK over the capturing fetch, watched by observeStream. */
async function streamedCall(path = ''): Promise<{ call: CapturedCall; sdkError?: unknown }> {
  const calls: CapturedCall[] = [];
  const client = new OpenAI({ apiKey: SECRET, baseURL: `${baseURL}${path}`, maxRetries: 0, fetch: createCapturingFetch(agent, calls, { secrets: [SECRET], observe: observeStream }) });
  try {
    const stream = client.chat.completions.stream({ model: 'long', messages: [{ role: 'user', content: 'Hi' }] });
    for await (const chunk of stream) void chunk;
    return { call: calls[0]! };
  } catch (sdkError) {
    return { call: calls[0]!, sdkError };
  }
}

describe('a stream longer than the thread threshold', () => {
  test('is digested on the worker thread as it arrives, and checked from that digest, without the key', async () => {
    expect(body.length).toBeGreaterThan(THREAD_THRESHOLD * 2);
    const { call } = await streamedCall();
    const digest = await call.observed;
    expect(digest, 'the thread answered a digest').toBeDefined();
    // The thread digested the raw bytes, key and all: responseOf redacts it as it adopts the digest.
    expect(JSON.stringify(digest)).toContain(SECRET);
    const response = await responseOf(call, [SECRET]);
    expect(response.body).not.toContain(SECRET);
    const exchange: Exchange = { operation: 'chat.completions.create', stream: true, params: {}, sdk: { ok: true, value: undefined }, response, durationMs: 0 };
    const answer = JSON.stringify(answerOf(exchange));
    expect(answer).not.toContain(SECRET);
    expect(answer).toContain('[REDACTED]');
    expect(streamDigest(exchange).sse).toMatchObject({ events: CHUNKS + 1, chunks: CHUNKS, done: { seen: true, trailing: 0 } });
    // The checks judge the adopted digest: the id that changes at chunk 2000 is found.
    const constancy = getCheck('semantic.stream-constancy');
    expect(constancy.run({ exchange, params: {}, transport: 'streaming' })).toEqual([expect.objectContaining({ path: 'chunk 2000:/id', received: '"chatcmpl-other"' })]);
  });

  test('its digest, adopted, equals the main thread one, fold by fold', async () => {
    const { call } = await streamedCall();
    expect(await call.observed, 'the thread answered a digest').toBeDefined();
    const response = await responseOf(call, [SECRET]);
    const here = digestStream(response.body);
    // With the body emptied only an adopted digest still knows the chunks (one made now would see none).
    const body = response.body;
    response.body = '';
    const adopted = streamDigest({ operation: 'chat.completions.create', stream: true, params: {}, sdk: { ok: true, value: undefined }, response, durationMs: 0 });
    response.body = body;
    expect(adopted.sse.chunks).toBe(CHUNKS);
    // Compared as text: a failure shows a diff of the folds rather than the whole answer twice.
    for (const name of Object.keys(here.folds)) expect(JSON.stringify(adopted.folds[name]), name).toBe(JSON.stringify(here.folds[name]));
    expect(here.folds['schema.chunks']).toEqual([expect.objectContaining({ path: 'chunk 2200:/object' })]);
    expect(here.folds['usage-arithmetic']).toEqual([expect.objectContaining({ path: `chunk ${CHUNKS - 1}:/usage/total_tokens` })]);
    expect(adopted.sse).toEqual(here.sse);
    expect(Object.keys(adopted.folds).sort()).toEqual(Object.keys(here.folds).sort());
  });

  test('broken off half-way, it leaves the digest to the main thread and nothing hangs', async () => {
    const { call, sdkError } = await streamedCall('/cut');
    expect(sdkError).toBeDefined();
    await expect(call.observed).resolves.toBeUndefined();
  });
});

test('a short stream never reaches the thread', async () => {
  const calls: CapturedCall[] = [];
  const short = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(body.slice(0, body.indexOf('\n\n', 10_000) + 2) + 'data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => short.listen(0, '127.0.0.1', resolve));
  try {
    const fetch = createCapturingFetch(agent, calls, { observe: observeStream });
    const res = await fetch(`http://127.0.0.1:${(short.address() as AddressInfo).port}/v1/chat/completions`, { method: 'POST', body: '{}' });
    await res.text();
    await expect(calls[0]!.observed).resolves.toBeUndefined();
  } finally {
    await new Promise((resolve) => short.close(resolve));
  }
});
