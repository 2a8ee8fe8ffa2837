import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { createLineDecoder, createSseDecoder, decodeSse } from '../src/sse/index.js';
import { createStreamPass, digestStream } from '../src/checks/stream-pass.js';

const utf8 = new TextEncoder();

/** Feeds the chunks in order to a fresh decoder and collects everything it produced. */
function decodeChunks(chunks: (Uint8Array | string)[]) {
  const decoder = createSseDecoder();
  const events = chunks.flatMap((chunk) => decoder.feed(chunk));
  const rest = decoder.end();
  return { events: [...events, ...rest.events], problems: rest.problems };
}

function singleBytes(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
}

/**
 * A stream with every line ending kind, a comment, multi-byte characters, multi-line data,
 * an invalid retry, an unknown field, [DONE] and an unterminated last event (no line ending).
 */
const tricky = [
  ': OPENROUTER PROCESSING\r\n', // 1
  '\r\n', // 2
  'event: message\r', // 3
  'id: 1\r', // 4
  'data: {"content":"你好"}\r', // 5
  '\r', // 6
  'data: first line\n', // 7
  'data:second 😀 line\n', // 8
  'data\n', // 9
  'retry: soon\n', // 10
  'x-vendor: 1\n', // 11
  '\n', // 12
  'data: [DONE]\r\n', // 13
  '\r\n', // 14
  'data: after', // 15
].join('');

const trickyExpected = {
  events: [
    {
      index: 0,
      event: 'message',
      id: '1',
      data: '{"content":"你好"}',
      raw: ['event: message', 'id: 1', 'data: {"content":"你好"}'],
      line: 3,
    },
    {
      index: 1,
      data: 'first line\nsecond 😀 line\n',
      raw: ['data: first line', 'data:second 😀 line', 'data', 'retry: soon', 'x-vendor: 1'],
      line: 7,
    },
    { index: 2, data: '[DONE]', raw: ['data: [DONE]'], line: 13 },
  ],
  problems: [
    { kind: 'comment', line: 1, raw: ': OPENROUTER PROCESSING', message: expect.any(String) },
    { kind: 'invalid-retry', line: 10, raw: 'retry: soon', message: expect.any(String) },
    { kind: 'unknown-field', line: 11, raw: 'x-vendor: 1', message: expect.stringContaining('"x-vendor"') },
    { kind: 'unterminated-event', line: 15, raw: 'data: after', message: expect.any(String) },
  ],
};

test('a stream mixing CRLF, CR and LF endings, comments and unknown fields decodes to the expected events and problems', () => {
  expect(decodeSse(tricky)).toEqual(trickyExpected);
  expect(decodeSse(utf8.encode(tricky))).toEqual(trickyExpected);
});

test('splitting the bytes at every offset gives the same events and problems as decoding them whole', () => {
  const bytes = utf8.encode(tricky);
  for (let k = 0; k <= bytes.length; k++) {
    expect(decodeChunks([bytes.subarray(0, k), bytes.subarray(k)]), `split at byte ${k}`).toEqual(trickyExpected);
  }
});

test('splitting the bytes at every pair of offsets, empty chunks included, gives the same result', () => {
  const bytes = utf8.encode(tricky);
  for (let i = 0; i <= bytes.length; i++) {
    for (let j = i; j <= bytes.length; j++) {
      const chunks = [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)];
      expect(decodeChunks(chunks), `split at bytes ${i} and ${j}`).toEqual(trickyExpected);
    }
  }
});

test('feeding the stream one byte at a time gives the same result', () => {
  expect(decodeChunks(singleBytes(utf8.encode(tricky)))).toEqual(trickyExpected);
});

test('splitting the text at every UTF-16 offset, surrogate pairs included, gives the same result', () => {
  for (let k = 0; k <= tricky.length; k++) {
    expect(decodeChunks([tricky.slice(0, k), tricky.slice(k)]), `split at char ${k}`).toEqual(trickyExpected);
  }
});

test('a CR at the end of a chunk followed by an LF in the next chunk is one line ending', () => {
  const { events } = decodeChunks(['data: a\r', '\ndata: b\r', '\n\r', '\n']);
  expect(events).toEqual([{ index: 0, data: 'a\nb', raw: ['data: a', 'data: b'], line: 1 }]);
});

test('a lone CR at the end of a chunk is a line ending once the next chunk starts with something else', () => {
  const { events } = decodeChunks(['data: a\r', '\r', 'data: b\r', '\r']);
  expect(events.map((e) => e.data)).toEqual(['a', 'b']);
});

test('multi-byte characters split across chunks are reassembled', () => {
  const bytes = utf8.encode('data: 你好 👋🏽\n\n');
  const ni = 6; // first byte of 你
  const emoji = utf8.encode('data: 你好 ').length;
  const cuts = [0, ni + 1, ni + 4, emoji + 2, bytes.length];
  const chunks = cuts.slice(1).map((end, i) => bytes.subarray(cuts[i], end));
  expect(decodeChunks(chunks).events[0]?.data).toBe('你好 👋🏽');
});

test('invalid UTF-8 becomes U+FFFD instead of throwing', () => {
  const bytes = new Uint8Array([...utf8.encode('data: a'), 0xff, 0xe4, 0xbd, ...utf8.encode('\n\n')]);
  expect(decodeSse(bytes).events[0]?.data).toBe('a\uFFFD\uFFFD');
});

test('a string chunk after an incomplete UTF-8 sequence turns the pending bytes into U+FFFD', () => {
  const decoder = createLineDecoder();
  expect(decoder.feed(new Uint8Array([0x61, 0xe4, 0xbd]))).toEqual([]);
  expect(decoder.feed('b\n')).toEqual(['a\uFFFDb']);
});

test('a byte order mark at the start of the stream is dropped, and only there', () => {
  const { events } = decodeSse(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8.encode('data: \uFEFFx\n\n')]));
  expect(events[0]).toMatchObject({ data: '\uFEFFx', raw: ['data: \uFEFFx'] });
});

test('the line decoder returns the last line at flush, with or without a final CR', () => {
  const lines = createLineDecoder();
  expect(lines.feed('a\nb')).toEqual(['a']);
  expect(lines.flush()).toEqual(['b']);
  expect(lines.feed('c\r')).toEqual([]);
  expect(lines.flush()).toEqual(['c']);
  expect(lines.flush()).toEqual([]);
});

test('an event is returned by the feed that brings its blank line, not before', () => {
  const decoder = createSseDecoder();
  expect(decoder.feed('data: one\n')).toEqual([]);
  expect(decoder.feed('\ndata: two\n')).toMatchObject([{ index: 0, data: 'one' }]);
  expect(decoder.feed('\n')).toMatchObject([{ index: 1, data: 'two', line: 3 }]);
  expect(decoder.end()).toEqual({ events: [], problems: [] });
});

test('multiple data lines are joined with a newline, and an empty data field adds an empty line', () => {
  expect(decodeSse('data: a\ndata: b\ndata:\ndata: c\n\n').events[0]?.data).toBe('a\nb\n\nc');
});

test('only one space after the colon is stripped, and a field without a colon has an empty value', () => {
  const { events } = decodeSse('data:  two spaces\n\ndata\n\nevent\ndata:x\n\n');
  expect(events.map((e) => e.data)).toEqual([' two spaces', '', 'x']);
  expect(events[2]?.event).toBeUndefined();
});

test('the last event and id fields of a block win, and an id does not carry over to the next event', () => {
  const { events } = decodeSse('id: 1\nevent: a\nid: 2\nevent: b\ndata: x\n\ndata: y\n\n');
  expect(events).toEqual([
    { index: 0, event: 'b', id: '2', data: 'x', raw: ['id: 1', 'event: a', 'id: 2', 'event: b', 'data: x'], line: 1 },
    { index: 1, data: 'y', raw: ['data: y'], line: 7 },
  ]);
});

test('blocks without data dispatch nothing, and comments are reported as problems with their line', () => {
  const { events, problems } = decodeSse(': OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\nevent: ping\n\ndata: {}\n\n');
  expect(events).toEqual([{ index: 0, data: '{}', raw: ['data: {}'], line: 7 }]);
  expect(problems).toEqual([
    { kind: 'comment', line: 1, raw: ': OPENROUTER PROCESSING', message: expect.any(String) },
    { kind: 'comment', line: 3, raw: ': OPENROUTER PROCESSING', message: expect.any(String) },
  ]);
});

test('field names are case-sensitive, so an unknown or misspelled field is reported and ignored', () => {
  const { events, problems } = decodeSse('Data: x\nevents: y\ndata: z\n\n');
  expect(events).toEqual([{ index: 0, data: 'z', raw: ['Data: x', 'events: y', 'data: z'], line: 1 }]);
  expect(problems.map((p) => [p.kind, p.line, p.raw])).toEqual([
    ['unknown-field', 1, 'Data: x'],
    ['unknown-field', 2, 'events: y'],
  ]);
});

test('a numeric retry is accepted silently and any other retry value is reported', () => {
  const { problems } = decodeSse('retry: 3000\nretry: 3s\nretry:\ndata: x\n\n');
  expect(problems.map((p) => [p.kind, p.line])).toEqual([
    ['invalid-retry', 2],
    ['invalid-retry', 3],
  ]);
});

test('an event left without its blank line at the end is reported and not dispatched', () => {
  for (const body of ['data: a\n\ndata: b\ndata: c\n', 'data: a\n\ndata: b\ndata: c', 'data: a\r\n\r\ndata: b\r\ndata: c\r']) {
    const { events, problems } = decodeSse(body);
    expect(events.map((e) => e.data), JSON.stringify(body)).toEqual(['a']);
    expect(problems, JSON.stringify(body)).toEqual([
      { kind: 'unterminated-event', line: 3, raw: 'data: b\ndata: c', message: expect.any(String) },
    ]);
  }
});

test('a stream ending after a comment or blank lines reports no unterminated event', () => {
  expect(decodeSse('data: a\n\n\n\n').problems).toEqual([]);
  expect(decodeSse('data: a\n\n: bye').problems.map((p) => p.kind)).toEqual(['comment']);
});

/** A fold that keeps every payload it is handed, to see what the stream pass hands out. */
const keepAll = {
  name: 'keep-all',
  init: () => ({ payloads: [] as unknown[][], late: [] as string[] }),
  step: (s: { payloads: unknown[][] }, value: unknown, event: number, chunk: number) => void s.payloads.push([event, chunk, value]),
  late: (s: { late: string[] }, data: string) => void s.late.push(data),
  finish: <S>(s: S) => s,
};
const pass = (body: string) => {
  const digest = digestStream(body, [keepAll]);
  return { sse: digest.sse, ...(digest.folds['keep-all'] as { payloads: unknown[][]; late: string[] }) };
};

test('the stream pass parses each payload once, numbers the object chunks and finds the [DONE] sentinel', () => {
  const { sse, payloads } = pass('data: {"a":1}\n\ndata: null\n\ndata: {oops\n\ndata: [1]\n\ndata: [DONE]\n\n');
  expect(sse.done).toEqual({ seen: true, index: 4, trailing: 0 });
  expect(payloads).toEqual([
    [0, 0, { a: 1 }],
    [1, -1, null],
    [3, 1, [1]],
  ]);
  expect(sse.badPayloads).toEqual([{ event: 2, data: '{oops', error: expect.any(String) }]);
  expect(sse).toMatchObject({ events: 5, jsonPayloads: 3, chunks: 2 });
});

test('the stream pass counts the events after [DONE] as trailing and hands them to folds unparsed', () => {
  const { sse, payloads, late } = pass('data: {}\n\ndata: [DONE]\n\ndata: {"late":true}\n\ndata: [DONE]\n\n');
  expect(payloads).toEqual([[0, 0, {}]]);
  expect(late).toEqual(['{"late":true}', '[DONE]']);
  expect(sse.done).toEqual({ seen: true, index: 1, trailing: 2 });
});

test('the stream pass reports a stream without [DONE], and only exact [DONE] data counts', () => {
  const { sse } = pass('data: {}\n\ndata: [DONE] \n\n');
  expect(sse.done).toEqual({ seen: false, trailing: 0 });
  expect(sse.badPayloads.map((p) => p.data)).toEqual(['[DONE] ']);
});

test('the stream pass gives the same digest fed whole or in pieces', () => {
  const body = 'data: {"a":"é"}\r\n\r\n: note\ndata: x\n\ndata: [DONE]\n\ndata: {}';
  const bytes = utf8.encode(body);
  for (const size of [1, 3, 7]) {
    const pieces = createStreamPass([keepAll]);
    for (let i = 0; i < bytes.length; i += size) pieces.feed(bytes.subarray(i, i + size));
    expect(pieces.end(), `pieces of ${size} bytes`).toEqual(digestStream(body, [keepAll]));
  }
});

test('a JSON error body fed where SSE was expected yields unknown-field problems and no payloads, without throwing', () => {
  const compact = '{"error":{"message":"Invalid API key","type":"invalid_request_error","code":"invalid_api_key"}}';
  const compactResult = decodeSse(compact);
  expect(compactResult.events).toEqual([]);
  expect(compactResult.problems).toEqual([
    { kind: 'unknown-field', line: 1, raw: compact, message: 'unknown field "{\\"error\\""; clients ignore the line' },
  ]);
  expect(pass(compact).sse).toMatchObject({ events: 0, jsonPayloads: 0, done: { seen: false, trailing: 0 } });

  const pretty = JSON.stringify(JSON.parse(compact), null, 2);
  const prettyResult = decodeSse(utf8.encode(pretty));
  expect(prettyResult.events).toEqual([]);
  expect(prettyResult.problems.map((p) => p.kind)).toEqual(Array(pretty.split('\n').length).fill('unknown-field'));
});

const harPath = fileURLToPath(
  new URL('../../shared/recordings/har/openai/envoy-ai-gateway__chat-streaming.har', import.meta.url),
);

test.skipIf(!existsSync(harPath))('a real captured chat stream decodes cleanly, whole, byte by byte and in odd chunks', () => {
  const har = JSON.parse(readFileSync(harPath, 'utf8')) as {
    log: { entries: { response: { content: { text: string } } }[] };
  };
  const body = har.log.entries[0]!.response.content.text;
  const whole = decodeSse(body);
  expect(whole.problems).toEqual([]);

  const { sse, payloads } = pass(body);
  expect(sse.done).toEqual({ seen: true, index: whole.events.length - 1, trailing: 0 });
  expect(sse.badPayloads).toEqual([]);
  expect(payloads.length).toBeGreaterThan(10);
  for (const [, , chunk] of payloads) expect(chunk).toMatchObject({ object: 'chat.completion.chunk' });
  const text = payloads.map(([, , chunk]) => (chunk as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? '').join('');
  expect(text).toMatch(/^Hi there!.*’/);

  const bytes = utf8.encode(body);
  expect(decodeChunks(singleBytes(bytes))).toEqual(whole);
  for (const size of [2, 3, 5, 7, 64, 1000]) {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
    expect(decodeChunks(chunks), `chunks of ${size} bytes`).toEqual(whole);
  }
});
