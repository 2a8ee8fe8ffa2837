import { readFileSync } from 'node:fs';
import OpenAI, { toFile } from 'openai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pngSize, sniffImage } from '../src/media/png.js';
import { FAULTS, PROFILES, REFERENCE_API_KEY, REFERENCE_MODELS, startReferenceServer, type RunningServer } from '../src/server/index.js';
import { instanceOf } from '../src/server/json-instance.js';

const MEDIA = new URL('../fixtures/media/', import.meta.url);
const AUTH = { authorization: `Bearer ${REFERENCE_API_KEY}`, 'content-type': 'application/json' };

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: {
        location: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1, maximum: 7 },
        options: { type: 'object', properties: { hourly: { type: 'boolean' } }, required: ['hourly'] },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['location', 'unit'],
      additionalProperties: false,
    },
  },
};
const PERSON_SCHEMA = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 }, email: { type: 'string', format: 'email' } },
  required: ['name', 'age', 'email'],
  additionalProperties: false,
};
const HELLO = { model: REFERENCE_MODELS.chat, messages: [{ role: 'user' as const, content: 'Explain how a rainbow forms, briefly.' }] };

const ajv = new Ajv2020({ strict: false, validateFormats: false });
const validates = (schema: object, value: unknown) => ajv.validate(schema, value) || ajv.errorsText();

/** Raw request; returns status, content type and the body text exactly as sent. Gives up after `timeoutMs` (stalling faults). */
async function raw(baseUrl: string, path: string, body?: unknown, headers: Record<string, string> = AUTH, timeoutMs = 30_000) {
  const signal = AbortSignal.timeout(timeoutMs);
  const res = await fetch(baseUrl + path, body === undefined ? { headers, signal } : { method: 'POST', headers, body: JSON.stringify(body), signal });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

const sseData = (text: string) =>
  text
    .split('\n\n')
    .filter((e) => e.startsWith('data: ') && e !== 'data: [DONE]')
    .map((e) => JSON.parse(e.slice(6)));

describe('reference server (openai profile)', () => {
  let server: RunningServer;
  let client: OpenAI;
  beforeAll(async () => {
    server = await startReferenceServer();
    client = new OpenAI({ apiKey: REFERENCE_API_KEY, baseURL: server.baseUrl, maxRetries: 0 });
  });
  afterAll(() => server.close());

  test('lists and retrieves models', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(Object.values(REFERENCE_MODELS));
    expect(await client.models.retrieve(REFERENCE_MODELS.reasoning)).toEqual({
      id: REFERENCE_MODELS.reasoning,
      object: 'model',
      created: 1735689600,
      owned_by: 'oai-compat',
    });
    await expect(client.models.retrieve('no-such-model')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  test('answers a blocking chat completion in OpenAI shape', async () => {
    const c = await client.chat.completions.create(HELLO);
    expect(c).toMatchObject({ object: 'chat.completion', model: REFERENCE_MODELS.chat, service_tier: 'default', system_fingerprint: null });
    expect(c.id).toMatch(/^chatcmpl-/);
    expect(c.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: expect.stringContaining('rainbow'), refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' },
    ]);
    const u = c.usage!;
    expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);
    expect(u.completion_tokens_details).toEqual({ reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 });
    const two = await client.chat.completions.create({ ...HELLO, n: 2 });
    expect(two.choices.map((ch) => [ch.index, ch.message.content])).toEqual([
      [0, c.choices[0].message.content],
      [1, c.choices[0].message.content],
    ]);
  });

  test('streams the same answer, OpenAI-framed', async () => {
    const blocking = await client.chat.completions.create(HELLO);
    const chunks = [];
    for await (const chunk of await client.chat.completions.create({ ...HELLO, stream: true, stream_options: { include_usage: true } })) chunks.push(chunk);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(content).toBe(blocking.choices[0].message.content);
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThanOrEqual(3);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    const [usageChunk, last] = [chunks.at(-1)!, chunks.at(-2)!];
    expect(last.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' });
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toEqual(blocking.usage);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);

    const res = await raw(server.baseUrl, '/chat/completions', { ...HELLO, stream: true });
    expect(res.type).toBe('text/event-stream; charset=utf-8');
    expect(res.text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(res.text).not.toContain('"usage"');

    const final = await client.chat.completions.stream(HELLO).finalChatCompletion();
    expect(final.choices[0].message.content).toBe(blocking.choices[0].message.content);
  });

  test('calls tools with arguments valid against their schema', async () => {
    const params = { ...HELLO, tools: [WEATHER_TOOL] };
    const c = await client.chat.completions.create(params);
    const call = c.choices[0].message.tool_calls![0];
    expect(c.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { content: null } });
    expect(call).toMatchObject({ id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather' } });
    expect(call.type === 'function' && validates(WEATHER_TOOL.function.parameters, JSON.parse(call.function.arguments))).toBe(true);

    const streamed = await client.chat.completions.stream(params).finalChatCompletion();
    expect(streamed.choices[0].message.tool_calls).toEqual(c.choices[0].message.tool_calls);
    expect(streamed.choices[0].finish_reason).toBe('tool_calls');

    const forced = await client.chat.completions.create({ ...params, tool_choice: { type: 'function', function: { name: 'get_weather' } } });
    expect(forced.choices[0].finish_reason).toBe('stop');
    const none = await client.chat.completions.create({ ...params, tool_choice: 'none' });
    expect(none.choices[0].message.tool_calls).toBeUndefined();

    const answer = await client.chat.completions.create({
      ...params,
      messages: [...params.messages, c.choices[0].message, { role: 'tool', tool_call_id: call.id, content: '{"temperature": 21}' }],
    });
    expect(answer.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: expect.stringContaining('temperature') } });
  });

  test('answers structured output valid against the requested schema', async () => {
    const c = await client.chat.completions.create({
      ...HELLO,
      response_format: { type: 'json_schema', json_schema: { name: 'person', schema: PERSON_SCHEMA, strict: true } },
    });
    expect(validates(PERSON_SCHEMA, JSON.parse(c.choices[0].message.content!))).toBe(true);
    const o = await client.chat.completions.create({ ...HELLO, response_format: { type: 'json_object' } });
    expect(JSON.parse(o.choices[0].message.content!)).toBeTypeOf('object');
  });

  test('reports reasoning within the budget of reasoning_effort, and shows thoughts on request', async () => {
    const model = REFERENCE_MODELS.reasoning;
    for (const [effort, budget] of [['minimal', 1024], ['low', 1024], ['medium', 8192], ['high', 24576]] as const) {
      const c = await client.chat.completions.create({ ...HELLO, model, reasoning_effort: effort });
      const reasoning = c.usage!.completion_tokens_details!.reasoning_tokens!;
      expect(reasoning).toBeGreaterThan(0);
      expect(reasoning).toBeLessThanOrEqual(budget);
      expect(c.usage!.completion_tokens).toBeGreaterThan(reasoning);
    }
    const none = await client.chat.completions.create({ ...HELLO, model, reasoning_effort: 'none' });
    expect(none.usage!.completion_tokens_details!.reasoning_tokens).toBe(0);

    const bad = await raw(server.baseUrl, '/chat/completions', { ...HELLO, reasoning_effort: 'extreme' });
    expect([bad.status, JSON.parse(bad.text).error.param]).toEqual([400, 'reasoning_effort']);
    const both = await raw(server.baseUrl, '/chat/completions', {
      ...HELLO,
      reasoning_effort: 'low',
      extra_body: { google: { thinking_config: { thinking_budget: 1024 } } },
    });
    expect(both.status).toBe(400);

    const thoughts = { ...HELLO, model, extra_body: { google: { thinking_config: { include_thoughts: true }, cached_content: 'cachedContents/oai-compat-reference' } } };
    const c = await client.chat.completions.create(thoughts as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(c.choices[0].message.content).toMatch(/^<thought>.+<\/thought>\S/);
    const res = await raw(server.baseUrl, '/chat/completions', { ...thoughts, stream: true });
    const deltas = sseData(res.text).map((ch) => ch.choices[0].delta.content);
    expect(deltas[1]).toMatch(/^<thought>.*<\/thought>$/);
    expect(deltas.join('')).toBe(c.choices[0].message.content);
  });

  test('describes images and audio sent as data, and rejects bytes that are neither', async () => {
    const png = readFileSync(new URL('red-square.png', MEDIA)).toString('base64');
    const wav = readFileSync(new URL('tone-440hz.wav', MEDIA)).toString('base64');
    const ask = (part: OpenAI.ChatCompletionContentPart) =>
      client.chat.completions.create({ model: REFERENCE_MODELS.chat, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, part] }] });

    const image = await ask({ type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } });
    expect(image.choices[0].message.content).toContain('32×32 PNG, mostly red (#ff0000 at its centre)');
    const audio = await ask({ type: 'input_audio', input_audio: { data: wav, format: 'wav' } });
    expect(audio.choices[0].message.content).toContain('500 ms');

    const notImage = ask({ type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from('hello').toString('base64')}` } });
    await expect(notImage).rejects.toMatchObject({ status: 400, param: 'messages' });
    await expect(ask({ type: 'input_audio', input_audio: { data: png, format: 'wav' } })).rejects.toMatchObject({ status: 400 });
  });

  test('embeds deterministically; the SDK default (base64) decodes to the requested dimensions', async () => {
    const e = await client.embeddings.create({ model: REFERENCE_MODELS.embedding, input: ['alpha', 'beta'] });
    expect(e).toMatchObject({ object: 'list', model: REFERENCE_MODELS.embedding, usage: { prompt_tokens: 3, total_tokens: 3 } }); // ceil(5/4) + ceil(4/4)
    expect(e.data.map((d) => [d.index, d.embedding.length])).toEqual([[0, 16], [1, 16]]);
    expect(Math.hypot(...e.data[0].embedding)).toBeCloseTo(1, 5);

    const floats = JSON.parse((await raw(server.baseUrl, '/embeddings', { model: REFERENCE_MODELS.embedding, input: 'alpha', dimensions: 8 })).text);
    const short = await client.embeddings.create({ model: REFERENCE_MODELS.embedding, input: 'alpha', dimensions: 8 });
    expect(short.data[0].embedding).toEqual(floats.data[0].embedding);
    const tokensIn = await client.embeddings.create({ model: REFERENCE_MODELS.embedding, input: [[1, 2, 3]] });
    expect(tokensIn.usage.prompt_tokens).toBe(3);
  });

  test('generates real PNGs, as base64 or as a URL on the server', async () => {
    const b64 = await client.images.generate({ model: REFERENCE_MODELS.image, prompt: 'a red fox', n: 2 });
    expect(b64.data).toHaveLength(2);
    const bytes = Buffer.from(b64.data![0].b64_json!, 'base64');
    expect([sniffImage(bytes), pngSize(bytes)]).toEqual(['png', { width: 16, height: 16 }]);
    expect(b64.data![0].revised_prompt).toBe('a red fox');

    const url = await client.images.generate({ model: REFERENCE_MODELS.image, prompt: 'a red fox', response_format: 'url' });
    const res = await fetch(url.data![0].url!); // no key needed
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
  });

  test('runs a batch through the chat handler, advancing one step per retrieve', async () => {
    const bodies = [HELLO, { ...HELLO, messages: [{ role: 'user', content: 'Second question' }] }];
    const jsonl = bodies.map((body, i) => JSON.stringify({ custom_id: `req-${i}`, method: 'POST', url: '/v1/chat/completions', body })).join('\n');
    const file = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'input.jsonl'), purpose: 'batch' });
    expect(file).toMatchObject({ object: 'file', bytes: jsonl.length, filename: 'input.jsonl', purpose: 'batch', status: 'processed' });
    expect(await client.files.retrieve(file.id)).toEqual(file);

    const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { run: 'test' } });
    expect(created).toMatchObject({ object: 'batch', status: 'validating', errors: null, request_counts: { total: 2, completed: 0, failed: 0 }, metadata: { run: 'test' } });
    expect((await client.batches.retrieve(created.id)).status).toBe('in_progress');
    const done = await client.batches.retrieve(created.id);
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 2, completed: 2, failed: 0 }, error_file_id: null });

    const lines = (await (await client.files.content(done.output_file_id!)).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.custom_id)).toEqual(['req-0', 'req-1']);
    expect(lines[0]).toMatchObject({ id: expect.stringMatching(/^batch_req_/), response: { status_code: 200, request_id: expect.any(String) }, error: null });
    expect(lines[1].response.body).toEqual(await client.chat.completions.create(bodies[1] as OpenAI.ChatCompletionCreateParamsNonStreaming));

    const list = await client.batches.list();
    expect(list.data[0].id).toBe(created.id);
    const other = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    expect((await client.batches.cancel(other.id)).status).toBe('cancelling');
    expect((await client.batches.retrieve(other.id)).status).toBe('cancelled');

    const bad = await client.files.create({ file: await toFile(Buffer.from('{"custom_id":"x"}\nnot json\n'), 'bad.jsonl'), purpose: 'batch' });
    const failed = await client.batches.create({ input_file_id: bad.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    expect(failed.status).toBe('failed');
    expect(failed.errors!.data!.map((e) => e.line)).toEqual([1, 2]);
  });

  test('answers errors with OpenAI bodies and never echoes the key', async () => {
    const secret = 'sk-wrong-key-0123456789';
    const wrong = new OpenAI({ apiKey: secret, baseURL: server.baseUrl, maxRetries: 0 });
    const err = await wrong.models.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error', param: null });
    const res = await raw(server.baseUrl, '/models', undefined, { authorization: `Bearer ${secret}` });
    expect(res.text).not.toContain('wrong-key');

    await expect(client.chat.completions.create({ ...HELLO, model: 'gpt-nope' })).rejects.toMatchObject({
      constructor: OpenAI.NotFoundError,
      code: 'model_not_found',
      param: 'model',
    });
    const unknownRoute = await raw(server.baseUrl, '/nope');
    expect([unknownRoute.status, unknownRoute.type]).toEqual([404, 'application/json']);
    const badJson = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', headers: AUTH, body: '{"model":' });
    expect(badJson.status).toBe(400);
    expect(Object.keys((await badJson.json()).error)).toEqual(['message', 'type', 'param', 'code']);
  });

  test('answers the same request with the same bytes, across servers too', async () => {
    const other = await startReferenceServer();
    try {
      for (const body of [{ ...HELLO, tools: [WEATHER_TOOL] }, { ...HELLO, stream: true, stream_options: { include_usage: true } }]) {
        const first = await raw(server.baseUrl, '/chat/completions', body);
        expect(await raw(server.baseUrl, '/chat/completions', body)).toEqual(first);
        expect(await raw(other.baseUrl, '/chat/completions', body)).toEqual(first);
      }
    } finally {
      await other.close();
    }
  });
});

describe('JSON instances generated from a schema', () => {
  test.for([
    { name: 'refs and anyOf', schema: { $defs: { p: { type: 'object', properties: { x: { type: 'number', exclusiveMinimum: 5 } }, required: ['x'] } }, type: 'object', properties: { a: { $ref: '#/$defs/p' }, b: { anyOf: [{ type: 'null' }, { type: 'string', minLength: 30 }] } }, required: ['a', 'b'] } },
    { name: 'arrays and consts', schema: { type: 'array', minItems: 2, items: { type: 'object', properties: { k: { const: 'v' }, n: { type: ['integer', 'null'], maximum: -3 } }, required: ['k', 'n'] } } },
    { name: 'allOf and formats', schema: { allOf: [{ type: 'object', properties: { when: { type: 'string', format: 'date-time' } }, required: ['when'] }, { properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] }] } },
    { name: 'recursion', schema: { $ref: '#/$defs/node', $defs: { node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/node' } } } } } } },
  ])('$name', ({ schema }) => {
    expect(validates(schema, instanceOf(schema))).toBe(true);
  });
});

describe('faults', () => {
  type Probe = (baseUrl: string) => Promise<string>;
  const transcript = async (res: Promise<{ status: number; type: string | null; text: string }>) =>
    res.then((r) => `${r.status} ${r.type}\n${r.text}`).catch((e: Error) => `failed: ${e.message} ${(e.cause as Error)?.message}`);
  const chat = (body: object): Probe => (url) => transcript(raw(url, '/chat/completions', { ...HELLO, ...body }));
  const batch: Probe = async (url) => {
    const form = new FormData();
    form.set('purpose', 'batch');
    form.set('file', new Blob([[1, 2].map((i) => JSON.stringify({ custom_id: `r${i}`, method: 'POST', url: '/v1/chat/completions', body: HELLO })).join('\n')]), 'in.jsonl');
    const file = await (await fetch(`${url}/files`, { method: 'POST', headers: { authorization: AUTH.authorization }, body: form })).json();
    const created = await raw(url, '/batches', { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const id = JSON.parse(created.text).id;
    await raw(url, `/batches/${id}`);
    const done = await raw(url, `/batches/${id}`);
    const out = JSON.parse(done.text).output_file_id;
    return done.text + (out ? (await raw(url, `/files/${out}/content`)).text : '');
  };
  /** Every answer of a batch's life: create, each retrieve, the list, the output file. */
  const batchLife: Probe = async (url) => {
    const form = new FormData();
    form.set('purpose', 'batch');
    form.set('file', new Blob([JSON.stringify({ custom_id: 'r1', method: 'POST', url: '/v1/chat/completions', body: HELLO })]), 'in.jsonl');
    const file = await (await fetch(`${url}/files`, { method: 'POST', headers: { authorization: AUTH.authorization }, body: form })).json();
    const created = await raw(url, '/batches', { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const id = JSON.parse(created.text).id;
    const texts = [created.text, (await raw(url, `/batches/${id}`)).text, (await raw(url, `/batches/${id}`)).text, (await raw(url, '/batches')).text];
    return texts.join('\n');
  };
  const embed = (body: object): Probe => (url) => transcript(raw(url, '/embeddings', { model: REFERENCE_MODELS.embedding, input: ['a', 'b'], ...body }));
  const RED_PNG = `data:image/png;base64,${readFileSync(new URL('../fixtures/media/red-square.png', import.meta.url)).toString('base64')}`;
  const withImage = { messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: RED_PNG } }] }] };
  const tools = { tools: [WEATHER_TOOL] };
  const PROBES: Record<string, Probe> = {
    'http-500': (url) => transcript(raw(url, '/models')),
    'auth-ignored': (url) => transcript(raw(url, '/models', undefined, { authorization: 'Bearer nope' })),
    'json-content-type': (url) => transcript(raw(url, '/models')),
    'garbage-body': (url) => transcript(raw(url, '/models')),
    'sse-content-type': chat({ stream: true }),
    'sse-no-done': chat({ stream: true }),
    'sse-bad-framing': chat({ stream: true }),
    'sse-truncate': chat({ stream: true }),
    'tool-delta-no-index': chat({ ...tools, stream: true }),
    'tool-args-invalid': chat(tools),
    'finish-reason-stop': chat(tools),
    'json-output-invalid': chat({ response_format: { type: 'json_schema', json_schema: { name: 'p', schema: PERSON_SCHEMA } } }),
    'empty-content': chat({}),
    'stream-disagrees': chat({ stream: true }),
    'usage-mismatch': chat({}),
    'usage-missing': chat({}),
    'usage-every-chunk': chat({ stream: true, stream_options: { include_usage: true } }),
    'reasoning-over-budget': chat({ model: REFERENCE_MODELS.reasoning, reasoning_effort: 'low' }),
    'no-thoughts': chat({ model: REFERENCE_MODELS.reasoning, extra_body: { google: { thinking_config: { include_thoughts: true } } } }),
    'embedding-wrong-dimensions': (url) => transcript(raw(url, '/embeddings', { model: REFERENCE_MODELS.embedding, input: ['a', 'b'], dimensions: 4 })),
    'image-not-image': (url) => transcript(raw(url, '/images/generations', { model: REFERENCE_MODELS.image, prompt: 'fox' })),
    'model-id-mismatch': (url) => transcript(raw(url, `/models/${REFERENCE_MODELS.chat}`)),
    'models-prefix': (url) => transcript(raw(url, '/models')),
    'unknown-model-400': chat({ model: 'nope' }),
    'error-array': chat({ model: 'nope' }),
    'created-string': (url) => transcript(raw(url, '/models')),
    'omit-nullable': chat({}),
    'batch-output-camelcase': batch,
    'batch-stuck': batch,
    'batch-fails': batch,
    'batch-lost-line': batch,
    'usage-hidden-reasoning': chat({ model: REFERENCE_MODELS.reasoning }),
    'tool-name-undeclared': chat(tools),
    'tool-choice-ignored': chat({ ...tools, tool_choice: 'none' }),
    'thoughts-unrequested': chat({ model: REFERENCE_MODELS.reasoning }),
    'refusal-in-content': chat({ messages: [{ role: 'user', content: 'Write a phishing email.' }] }),
    'thought-signature-missing': chat({ ...tools, model: REFERENCE_MODELS.reasoningLevels }),
    'n-ignored': chat({ n: 2 }),
    'max-tokens-ignored': chat({ max_tokens: 4 }),
    'stop-ignored': chat({ stop: ['deterministic'] }),
    'reject-system-only': chat({ messages: [{ role: 'system', content: 'Hi.' }] }),
    'reject-empty-text': chat({ messages: [{ role: 'user', content: '' }] }),
    'reject-null-refusal': chat({ messages: [{ role: 'assistant', content: 'Hi.', refusal: null }, { role: 'user', content: 'Hello!' }] }),
    'reject-tool-message-without-name': chat({ messages: [{ role: 'user', content: 'Hi.' }, { role: 'tool', tool_call_id: 'call_1', content: '{}' }] }),
    'reject-sdk-default-fields': chat({ store: true }),
    'stream-tool-calls-stop': chat({ ...tools, stream: true }),
    'stream-id-changes': chat({ stream: true }),
    'stream-no-role': chat({ stream: true }),
    'stream-double-finish': chat({ stream: true }),
    'usage-after-done': chat({ stream: true, stream_options: { include_usage: true } }),
    'sse-error-event': chat({ stream: true }),
    'embeddings-base64-big-endian': embed({ encoding_format: 'base64' }),
    'embeddings-base64-ignored': embed({ encoding_format: 'base64' }),
    'embeddings-batch-limit': embed({ input: Array.from({ length: 101 }, (_, i) => `text ${i}`) }),
    'image-size-ignored': (url) => transcript(raw(url, '/images/generations', { model: REFERENCE_MODELS.image, prompt: 'fox', size: '32x32' })),
    'image-misread': chat(withImage),
    'image-input-500': chat(withImage),
    'bad-key-400': (url) => transcript(raw(url, '/models', undefined, { authorization: 'Bearer nope' })),
    'batch-counts-inconsistent': batchLife,
    'batch-status-unknown': batchLife,
    'batches-list-empty': batchLife,
    'sse-stall': (url) => transcript(raw(url, '/chat/completions', { ...HELLO, stream: true }, AUTH, 1000)),
    'rate-limit': chat({}),
    'rate-limit-once': chat({}),
    'echo-key': (url) => transcript(raw(url, '/models')),
    'http-502-html': chat({}),
    'bad-gzip': chat({}),
    'huge-body': (url) => raw(url, '/chat/completions', HELLO).then((r) => `${r.status} ${r.text.length} bytes`),
    'reset-before-headers': chat({}),
    'headers-never-sent': (url) => transcript(raw(url, '/chat/completions', HELLO, AUTH, 1000)),
  };
  let baseline: RunningServer;
  beforeAll(async () => {
    baseline = await startReferenceServer();
  });
  afterAll(() => baseline.close());

  test('every fault has a probe (slow aside)', () => {
    expect(Object.keys(FAULTS).filter((f) => f !== 'slow').sort()).toEqual(Object.keys(PROBES).sort());
  });

  test.for(Object.keys(PROBES))('%s changes what the server sends', async (fault) => {
    const server = await startReferenceServer({ faults: [fault] });
    try {
      expect(await PROBES[fault](server.baseUrl)).not.toBe(await PROBES[fault](baseline.baseUrl));
    } finally {
      await server.close();
    }
  });

  async function withFaults<T>(opts: { faults?: string[]; profile?: string }, run: (s: RunningServer) => Promise<T>): Promise<T> {
    const server = await startReferenceServer(opts);
    try {
      return await run(server);
    } finally {
      await server.close();
    }
  }

  test('sse-no-done ends the stream without [DONE]', () =>
    withFaults({ faults: ['sse-no-done'] }, async (s) => {
      const res = await raw(s.baseUrl, '/chat/completions', { ...HELLO, stream: true });
      expect(res.text).not.toContain('[DONE]');
      expect(res.text.endsWith('}\n\n')).toBe(true);
    }));

  test('tool-delta-no-index sends each call whole, without index', () =>
    withFaults({ faults: ['tool-delta-no-index'] }, async (s) => {
      const body = { ...HELLO, tools: [WEATHER_TOOL] };
      const calls = sseData((await raw(s.baseUrl, '/chat/completions', { ...body, stream: true })).text).flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
      const blocking = JSON.parse((await raw(s.baseUrl, '/chat/completions', body)).text);
      expect(calls).toEqual(blocking.choices[0].message.tool_calls);
    }));

  test('error-array wraps errors the way Gemini does', () =>
    withFaults({ faults: ['error-array'] }, async (s) => {
      const bad = await raw(s.baseUrl, '/models', undefined, { authorization: 'Bearer nope' });
      expect(JSON.parse(bad.text)).toEqual([{ error: { code: 401, message: 'Incorrect API key provided.', status: 'UNAUTHENTICATED' } }]);
      const unknown = await raw(s.baseUrl, '/models/nope');
      expect(JSON.parse(unknown.text)[0].error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
    }));

  test('created-string turns created and created_at into strings', () =>
    withFaults({ faults: ['created-string'] }, async (s) => {
      expect(JSON.parse((await raw(s.baseUrl, '/models')).text).data[0].created).toBe('1735689600');
      expect(sseData((await raw(s.baseUrl, '/chat/completions', { ...HELLO, stream: true })).text)[0].created).toBe('1735689600');
    }));

  test('slow delays the answer', () =>
    withFaults({ faults: ['slow'] }, async (s) => {
      const started = Date.now();
      expect((await raw(s.baseUrl, '/models')).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    }));

  test('the gemini profile combines its faults', () =>
    withFaults({ profile: 'gemini' }, async (s) => {
      expect(PROFILES.gemini.faults.every((f) => f in FAULTS)).toBe(true);
      const models = JSON.parse((await raw(s.baseUrl, '/models')).text);
      expect(models.data[0].id).toBe(`models/${REFERENCE_MODELS.chat}`);
      expect((await raw(s.baseUrl, `/models/models%2F${REFERENCE_MODELS.chat}`)).status).toBe(200);
      const chunks = sseData((await raw(s.baseUrl, '/chat/completions', { ...HELLO, stream: true, stream_options: { include_usage: true } })).text);
      expect(chunks.every((c) => c.usage && c.choices.length === 1 && !('system_fingerprint' in c))).toBe(true);
    }));

  test('unknown names are refused with the valid ones listed', async () => {
    await expect(startReferenceServer({ faults: ['nope'] })).rejects.toThrow(/Unknown fault "nope".*sse-no-done/);
    await expect(startReferenceServer({ profile: 'nope' })).rejects.toThrow(/Unknown profile "nope".*openai, gemini/);
  });
});
