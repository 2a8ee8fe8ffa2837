/**
 * validate: HAR parsing edge cases (base64 and gzip content, missing request body, SSE bodies,
 * lost framing, error entries, no answer, unknown endpoints, malformed files), the project's own
 * recordings and batch output files, and a CLI run over a folder. The traffic is real: answers of
 * the reference server over loopback, written into HAR entries by hand.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import type { CheckResult } from '../src/core/types.js';
import { parseHar } from '../src/passive/har.js';
import { judgeCaptured } from '../src/passive/judge.js';
import { readCaptures } from '../src/passive/read.js';
import type { Report } from '../src/report/build.js';
import { validateFormat } from '../src/schema/registry.js';
import { REFERENCE_API_KEY, startReferenceServer, type RunningServer } from '../src/server/index.js';
import { cli } from './support/cli.js';

interface Answer {
  url: string;
  request: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function call(server: RunningServer, route: string, body?: object, key = REFERENCE_API_KEY): Promise<Answer> {
  const url = `${server.baseUrl}${route}`;
  const request = body ? JSON.stringify(body) : '';
  const res = await fetch(url, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body ? { body: request } : {}),
  });
  return { url, request, status: res.status, headers: Object.fromEntries(res.headers.entries()), body: await res.text() };
}

type Entry = Record<string, unknown>;

/** A HAR entry as browsers write it; `over` changes any part. */
function entry(a: Answer, over: { content?: Entry; request?: Entry; top?: Entry } = {}): Entry {
  return {
    startedDateTime: '2026-01-01T00:00:00.000Z',
    time: 12,
    request: {
      method: a.request ? 'POST' : 'GET',
      url: a.url,
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      ...(a.request ? { postData: { mimeType: 'application/json', text: a.request } } : {}),
      ...over.request,
    },
    response: {
      status: a.status,
      headers: Object.entries(a.headers).map(([name, value]) => ({ name, value })),
      content: { mimeType: a.headers['content-type'], text: a.body, ...over.content },
    },
    ...over.top,
  };
}

const har = (...entries: Entry[]) => JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } });

async function judgeHar(text: string): Promise<CheckResult[][]> {
  return Promise.all(parseHar(text, 'test.har').map(async (c) => (await judgeCaptured(c)).results));
}

const byCheck = (results: CheckResult[]) => Object.fromEntries(results.map((r) => [r.check, r.status]));
const CHAT = { model: 'ref-chat', messages: [{ role: 'user', content: 'Say hello' }] };
const TOOLS = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];

let server: RunningServer;
let faulty: RunningServer;
let blocking: Answer;
let streamed: Answer;
let toolCall: Answer;
let tmp: string;

beforeAll(async () => {
  server = await startReferenceServer({ port: 0 });
  faulty = await startReferenceServer({ port: 0, faults: ['created-string'] });
  blocking = await call(server, '/chat/completions', CHAT);
  streamed = await call(server, '/chat/completions', { ...CHAT, stream: true, stream_options: { include_usage: true } });
  toolCall = await call(server, '/chat/completions', { ...CHAT, tools: TOOLS, tool_choice: { type: 'function', function: { name: 'get_weather' } } });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'oai-validate-'));
});
afterAll(async () => {
  await server.close();
  await faulty.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('HAR entries become exchanges', () => {
  test('a plain entry passes every check that applies, through the real SDK', async () => {
    const [results] = await judgeHar(har(entry(blocking)));
    const checks = byCheck(results!);
    expect(checks).toMatchObject({ 'wire.status': 'pass', 'wire.content-type': 'pass', 'schema.response': 'pass', 'sdk.result': 'pass', 'semantic.usage': 'pass' });
    expect(results!.every((r) => r.status === 'pass')).toBe(true);
    expect(results![0]).toMatchObject({ target: new URL(server.baseUrl).host, model: 'ref-chat', feature: 'chat', step: 'POST /v1/chat/completions', source: { file: 'test.har', entry: 0 } });
  });

  test('base64 content, and gzip bytes kept as sent, read the same as plain text', async () => {
    const plain = await judgeHar(har(entry(blocking)));
    const base64 = await judgeHar(har(entry(blocking, { content: { text: Buffer.from(blocking.body).toString('base64'), encoding: 'base64' } })));
    const gzip = await judgeHar(har(entry(blocking, { content: { text: gzipSync(blocking.body).toString('base64'), encoding: 'base64' } })));
    expect(base64).toEqual(plain);
    expect(gzip).toEqual(plain);
  });

  test('without a request body, request-aware checks are not judged, with the reason; the rest still are', async () => {
    const [results] = await judgeHar(har(entry(toolCall, { request: { postData: undefined } })));
    const toolCheck = results!.find((r) => r.check === 'semantic.tool-call')!;
    expect(toolCheck.status).toBe('skip');
    expect(toolCheck.message).toMatch(/^not judged: the capture has no request body; the check reads the request \(tools/);
    expect(toolCheck.findings).toBeUndefined();
    expect(byCheck(results!)).toMatchObject({ 'schema.response': 'pass', 'sdk.result': 'pass', 'wire.status': 'pass' });
    // With the body, the same check judges the call against the declared tool.
    const [full] = await judgeHar(har(entry(toolCall)));
    expect(byCheck(full!)['semantic.tool-call']).toBe('pass');
  });

  test('a request-aware check finds what the request makes wrong', async () => {
    // The same answer, captured for a request that declared another tool.
    const other = { ...toolCall, request: JSON.stringify({ ...CHAT, tools: [{ type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } }], tool_choice: 'required' }) };
    const [results] = await judgeHar(har(entry(other)));
    const toolCheck = results!.find((r) => r.check === 'semantic.tool-call-shape')!;
    expect(toolCheck.status).toBe('fail');
    expect(toolCheck.findings).toContainEqual(expect.objectContaining({ path: '/choices/0/message/tool_calls/0/function/name', expected: 'one of the declared tools: get_time', severity: 'must' }));
  });

  test('an entry saved without content: status and content type are judged, nothing that needs the body', async () => {
    const [results] = await judgeHar(har(entry(blocking, { content: { text: undefined, size: blocking.body.length } })));
    expect(byCheck(results!)).toMatchObject({ 'wire.status': 'pass', 'wire.content-type': 'pass', 'wire.json-body': 'skip', 'schema.response': 'skip', 'sdk.result': 'skip' });
    for (const r of results!.filter((x) => x.status === 'skip')) expect(r.message).toBe('not judged: the capture kept no response body (exported without content)');
  });

  test('an SSE body is judged as a stream: framing, [DONE], chunks and the SDK stream helper', async () => {
    const [results] = await judgeHar(har(entry(streamed)));
    expect(results![0]!.transport).toBe('streaming');
    expect(byCheck(results!)).toMatchObject({ 'wire.sse-framing': 'pass', 'wire.sse-done': 'pass', 'schema.chunks': 'pass', 'sdk.stream-reassembly': 'pass', 'semantic.usage': 'pass' });
  });

  test('a stream whose framing the recorder lost: the SSE wire checks are not judged, never passed', async () => {
    const reframed = streamed.body.replace('data: [DONE]\n\n', '');
    const [results] = await judgeHar(har(entry(streamed, { content: { text: reframed }, top: { _framingStripped: true } })));
    const sse = results!.filter((r) => r.check.startsWith('wire.sse'));
    expect(sse.map((r) => [r.check, r.status])).toEqual([['wire.sse-framing', 'skip'], ['wire.sse-done', 'skip']]);
    expect(sse[0]!.message).toMatch(/^not judged: the capture lost the SSE framing/);
    // Without the flag, the missing [DONE] is a finding.
    const [flagless] = await judgeHar(har(entry(streamed, { content: { text: reframed } })));
    expect(byCheck(flagless!)['wire.sse-done']).toBe('fail');
  });

  test('an error entry is judged as an error answer: its body and what the SDK raised', async () => {
    const denied = await call(server, '/chat/completions', CHAT, 'sk-wrong-key-0000000000');
    expect(denied.status).toBe(401);
    const [results] = await judgeHar(har(entry(denied)));
    expect(results![0]!.feature).toBe('errors');
    expect(byCheck(results!)).toMatchObject({ 'wire.status': 'pass', 'schema.error': 'pass', 'sdk.error': 'pass' });
    expect(Object.keys(byCheck(results!))).not.toContain('schema.response');
  });

  test('an entry without an answer (status 0) is an error with the reason; an unknown endpoint is not judged', async () => {
    const [lost, unknown] = await judgeHar(
      har(
        entry(blocking, { top: { response: { status: 0, headers: [], content: { text: '' }, _error: 'net::ERR_CONNECTION_RESET' } } }),
        entry({ ...blocking, url: blocking.url.replace('/chat/completions', '/assistants') }),
      ),
    );
    expect(lost).toEqual([expect.objectContaining({ check: 'wire.status', status: 'error', message: 'net::ERR_CONNECTION_RESET' })]);
    expect(unknown).toEqual([expect.objectContaining({ check: 'endpoint', status: 'skip' })]);
    expect(unknown![0]!.message).toMatch(/^not judged: POST \/v1\/assistants is not an endpoint oai-compat knows/);
  });

  test.for([
    ['not JSON', '{"log": ', 'not JSON'],
    ['no log.entries', '{"log": {}}', 'log.entries is missing'],
    ['an entry without a status', JSON.stringify({ log: { entries: [{ request: { method: 'GET', url: 'https://x.test/v1/models' }, response: {} }] } }), 'log.entries[0].response.status is missing'],
    ['a bad URL', JSON.stringify({ log: { entries: [{ request: { method: 'GET', url: 'nowhere' }, response: { status: 200 } }] } }), 'log.entries[0].request.url is not a URL'],
  ])('a malformed HAR (%s) is a ConfigError naming the file and the field', ([, text, message]) => {
    expect(() => parseHar(text!, 'broken.har')).toThrow(ConfigError);
    expect(() => parseHar(text!, 'broken.har')).toThrow(`Failed to read HAR file broken.har: ${message}`);
  });
});

describe('other captures', () => {
  test('batch output lines are judged one by one, each with its line', async () => {
    const file = path.join(tmp, 'output.jsonl');
    const line = { id: 'batch_req_1', custom_id: 'r1', response: { status_code: 200, request_id: 'req_1', body: JSON.parse(blocking.body) }, error: null };
    const { created: _, ...noCreated } = line.response.body as Record<string, unknown>;
    writeFileSync(file, `${JSON.stringify(line)}\n\n${JSON.stringify({ ...line, response: { ...line.response, body: noCreated } })}\n`);
    const results = await Promise.all(readCaptures([file]).map(async (c) => (await judgeCaptured(c)).results));
    expect(results.map((r) => r[0]!.source)).toEqual([{ file, line: 1 }, { file, line: 3 }]);
    expect(byCheck(results[0]!)['schema.response']).toBe('pass');
    const second = results[1]!.find((r) => r.check === 'schema.response')!;
    expect(second.status).toBe('fail');
    expect(second.findings![0]!.path).toBe('line 3:/response/body/created');
  });
});

describe('oai-compat validate over a folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = path.join(tmp, 'traffic');
    mkdirSync(path.join(dir, 'nested'), { recursive: true });
    writeFileSync(path.join(dir, 'good.har'), har(entry(blocking), entry(streamed)));
    const broken = await call(faulty, '/chat/completions', CHAT);
    writeFileSync(path.join(dir, 'nested', 'faulty.har'), har(entry(broken)));
    writeFileSync(path.join(dir, 'notes.txt'), 'not traffic: ignored in a folder');
  });

  test('writes a schema-valid report with sources, prints findings by host and endpoint, exits 1 on a must finding', async () => {
    const out = path.join(tmp, 'report-folder');
    const run = await cli(['validate', dir, '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(validateFormat('report.schema.json', report)).toEqual([]);
    expect(new Set(report.results.map((r) => JSON.stringify(r.source)))).toEqual(
      new Set([{ file: path.join(dir, 'good.har'), entry: 0 }, { file: path.join(dir, 'good.har'), entry: 1 }, { file: path.join(dir, 'nested', 'faulty.har'), entry: 0 }].map((s) => JSON.stringify(s))),
    );
    const failed = report.results.filter((r) => r.status === 'fail');
    expect(failed.map((r) => r.check)).toContain('schema.response');
    expect(failed.every((r) => r.case.startsWith(path.join(dir, 'nested', 'faulty.har')))).toBe(true);
    const host = new URL(server.baseUrl).host;
    expect(run.stdout).toContain(`${host}\n  POST /v1/chat/completions  2 exchanges:`);
    expect(run.stdout).toMatch(/MUST \/created: expected integer, received "\d+"/);
    expect(readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('schema.response');
  });

  test('exits 0 when only should findings or none exist', async () => {
    const run = await cli(['validate', path.join(dir, 'good.har'), '--out', path.join(tmp, 'report-good')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/2 exchanges · \d+ pass · exit code 0/);
  });

  test('the project\'s own recordings validate, and so does the HAR that run --mode record --har writes of them', async () => {
    const recordings = path.join(tmp, 'recordings');
    const harFile = path.join(tmp, 'run.har');
    const record = await cli(['run', '--mode', 'record', '--features', 'models,errors', '--recordings', recordings, '--out', path.join(tmp, 'rec-report'), '--har', harFile]);
    expect(record.code).toBe(0);
    expect(record.stderr).toMatch(/HAR written to \S+run\.har \(\d+ exchanges\)/);
    const fromRecordings = await cli(['validate', recordings, '--out', path.join(tmp, 'report-recordings')]);
    expect(fromRecordings.code).toBe(0);
    expect(fromRecordings.stdout).toMatch(/GET \/v1\/models {2}\d+ exchanges?: \d+ pass\n/);
    expect(fromRecordings.stdout).toMatch(/GET \/v1\/models\/ref-chat {2}\d+ exchanges?: \d+ pass\n/);
    const fromHar = await cli(['validate', harFile, '--out', path.join(tmp, 'report-har')]);
    expect(fromHar.code).toBe(0);
    const statuses = (dir: string) =>
      (JSON.parse(readFileSync(path.join(tmp, dir, 'report.json'), 'utf8')) as Report).results.map((r) => `${r.step} ${r.feature} ${r.check} ${r.status}`).sort();
    expect(statuses('report-har')).toEqual(statuses('report-recordings'));
    expect(statuses('report-har')).toContain('POST /v1/chat/completions errors schema.error pass');
  });

  test('--har without --mode record is a usage error', async () => {
    const run = await cli(['run', '--har', path.join(tmp, 'x.har')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--har: the HAR is written from what a run records; add --mode record');
  });

  test('unreadable input exits 2 naming the file and the reason', async () => {
    const broken = path.join(tmp, 'broken.har');
    writeFileSync(broken, JSON.stringify({ log: { entries: [{ request: { method: 'GET', url: 'https://x.test/v1/models' }, response: {} }] } }));
    const cases: [string[], string][] = [
      [['validate'], 'give at least one HAR file'],
      [['validate', 'no-such-dir'], 'Failed to read no-such-dir: no such file or folder.'],
      [['validate', broken], `Failed to read HAR file ${broken}: log.entries[0].response.status is missing`],
      [['validate', path.join(dir, 'notes.txt')], `Failed to read ${path.join(dir, 'notes.txt')}: unknown kind of file`],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });
});
