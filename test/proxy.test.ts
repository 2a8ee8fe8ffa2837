/**
 * The validating proxy: streams pass through unbuffered and untouched, every exchange is checked,
 * the CLI writes its report on SIGTERM, and its HAR holds no secret in any encoding.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CheckResult } from '../src/core/types.js';
import type { CapturedExchange } from '../src/passive/captured.js';
import { startProxy } from '../src/proxy/server.js';
import type { Report } from '../src/report/build.js';
import { validateFormat } from '../src/schema/registry.js';
import { startReferenceServer, type RunningServer } from '../src/server/index.js';
import { cli } from './support/cli.js';
import { spawnProxy } from './support/proxy-process.js';
import { FIRST, REST, startGatedStreamServer } from './support/gated-stream-server.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'oai-proxy-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('forwarding', () => {
  test('a stream reaches the client chunk by chunk, before upstream has finished, byte for byte, and is checked after', async () => {
    const upstream = await startGatedStreamServer();
    const judged: { captured: CapturedExchange; results: CheckResult[] }[] = [];
    let judgedOne!: () => void;
    const done = new Promise<void>((resolve) => (judgedOne = resolve));
    const proxy = await startProxy({
      upstream: upstream.url,
      port: 0,
      sourceFile: 'proxy',
      onExchange: (captured, results) => {
        judged.push({ captured, results });
        judgedOne();
      },
    });
    try {
      const res = await fetch(`${proxy.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gated', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let received = '';
      while (!received.includes('\n\n')) received += decoder.decode((await reader.read()).value, { stream: true });
      // The first event is here although upstream has not sent the rest yet: nothing was held back.
      expect(upstream.released()).toBe(false);
      expect(received).toBe(FIRST);
      expect(judged).toEqual([]);
      upstream.release();
      for (let r = await reader.read(); !r.done; r = await reader.read()) received += decoder.decode(r.value, { stream: true });
      expect(received).toBe(FIRST + REST.join(''));
      await done;
      const [{ captured, results }] = judged as [(typeof judged)[0]];
      expect(captured.response?.body).toBe(received);
      expect(results[0]).toMatchObject({ transport: 'streaming', step: 'POST /v1/chat/completions', source: { file: 'proxy', entry: 0 } });
      expect(results.filter((r) => r.status !== 'pass')).toEqual([]);
      expect(results.map((r) => r.check)).toEqual(expect.arrayContaining(['wire.sse-framing', 'wire.sse-done', 'schema.chunks', 'sdk.stream-reassembly']));
    } finally {
      upstream.release();
      await proxy.close();
      await upstream.close();
    }
  });

  test('a stream the upstream breaks off is judged as what arrived; one the client hangs up on is not judged', async () => {
    const judged: CheckResult[][] = [];
    const upstream = await startGatedStreamServer();
    const proxy = await startProxy({ upstream: upstream.url, port: 0, sourceFile: 'proxy', onExchange: (_c, results) => judged.push(results) });
    const streamRequest = () =>
      fetch(`${proxy.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gated', stream: true, messages: [] }) });
    const waitFor = async (n: number) => {
      while (judged.length < n) await new Promise((r) => setTimeout(r, 10));
    };
    try {
      const broken = await streamRequest();
      const reader = broken.body!.getReader();
      await reader.read();
      upstream.release('reset');
      await reader.read().then(() => reader.cancel(), () => undefined);
      await waitFor(1);
      expect(judged[0]!.find((r) => r.check === 'wire.sse-done')).toMatchObject({ status: 'fail' });

      const second = await startGatedStreamServer();
      const proxy2 = await startProxy({ upstream: second.url, port: 0, sourceFile: 'proxy', onExchange: (_c, results) => judged.push(results) });
      const controller = new AbortController();
      const hungUp = await fetch(`${proxy2.url}/chat/completions`, { method: 'POST', body: '{"stream":true}', signal: controller.signal, headers: { 'content-type': 'application/json' } });
      await hungUp.body!.getReader().read();
      controller.abort();
      await waitFor(2);
      expect(judged[1]).toEqual([expect.objectContaining({ check: 'wire.status', status: 'skip', message: 'not judged: the client closed the connection before the answer was complete' })]);
      second.release();
      await proxy2.close();
      await second.close();
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  test('status and body of an error pass through untouched; an unreachable upstream is a 502 and an error result', async () => {
    const server = await startReferenceServer({ port: 0 });
    const judged: CheckResult[][] = [];
    const proxy = await startProxy({ upstream: server.baseUrl, port: 0, sourceFile: 'proxy', onExchange: (_c, results) => judged.push(results) });
    const direct = await fetch(`${server.baseUrl}/models`, { headers: { authorization: 'Bearer sk-wrong-key-000000' } });
    const proxied = await fetch(`${proxy.url}/models`, { headers: { authorization: 'Bearer sk-wrong-key-000000' } });
    expect(proxied.status).toBe(direct.status);
    expect(await proxied.text()).toBe(await direct.text());
    await server.close();
    const gone = await fetch(`${proxy.url}/models`);
    expect(gone.status).toBe(502);
    await proxy.close();
    expect(judged[0]!.find((r) => r.check === 'schema.error')?.status).toBe('pass');
    expect(judged[1]).toEqual([expect.objectContaining({ check: 'wire.status', status: 'error' })]);
    expect(judged[1]![0]!.message).toMatch(/^no answer from http:\/\/127\.0\.0\.1:\d+\/v1\/models/);
  });
});

describe('oai-compat proxy usage errors exit 2 naming the flag', () => {
  test('a missing or bad --upstream, a bad or taken --port', async () => {
    const taken = await startReferenceServer({ port: 0 });
    try {
      const cases: [string[], string][] = [
        [['proxy'], '--upstream: missing. Give the endpoint\'s base URL'],
        [['proxy', '--upstream', 'ftp://example.com'], '--upstream: "ftp://example.com" is not an http(s) URL'],
        [['proxy', '--upstream', 'http://127.0.0.1:1', '--port', 'x'], '--port: expected a port number 0-65535, got "x"'],
        [['proxy', '--upstream', 'http://127.0.0.1:1', '--port', String(taken.port)], `--port: cannot listen on 127.0.0.1:${taken.port} (EADDRINUSE)`],
      ];
      for (const [args, message] of cases) {
        const run = await cli(args);
        expect(run.code, args.join(' ')).toBe(2);
        expect(run.stderr).toContain(message);
      }
      expect((await cli(['proxy', '--help'])).stdout).toContain('--har FILE');
      expect((await cli(['validate', '--help'])).stdout).toContain('source {file, entry}');
    } finally {
      await taken.close();
    }
  });
});

describe('oai-compat proxy (the CLI, as a child process)', () => {
  const SECRET = 'sk-proxy-secret-7f3e9a1c2b4d6e8f';
  let server: RunningServer;
  let out: string;
  let harFile: string;
  let stdout = '';
  let code: number | null;

  beforeAll(async () => {
    server = await startReferenceServer({ port: 0, apiKey: SECRET, faults: ['created-string'] });
    out = path.join(tmp, 'report');
    harFile = path.join(tmp, 'traffic.har');
    const { child, url } = await spawnProxy(['--upstream', server.baseUrl, '--out', out, '--har', harFile], { ...process.env, NO_COLOR: '1' });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const client = new OpenAI({ apiKey: SECRET, baseURL: url, maxRetries: 0 });
    await client.chat.completions.create({ model: 'ref-chat', messages: [{ role: 'user', content: `my key is ${SECRET}` }] });
    const stream = await client.chat.completions.create({ model: 'ref-chat', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const _ of stream) void _;
    // The key also travels in other headers, the query and encoded forms.
    await fetch(`${url}/models?key=${SECRET}`, { headers: { authorization: `Bearer ${SECRET}`, 'x-goog-api-key': SECRET, 'x-echo': Buffer.from(`user:${SECRET}`).toString('base64') } });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    // Give the last exchange its check before the signal (the proxy prints a line per exchange).
    while ((stdout.match(/^(ok|warn|FAIL|not judged) /gm) ?? []).length < 3) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGTERM');
    code = await exited;
  });
  afterAll(async () => {
    await server.close();
  });

  test('on SIGTERM it writes a schema-valid report of every exchange and exits 1 for the must findings', () => {
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(validateFormat('report.schema.json', report)).toEqual([]);
    expect(new Set(report.results.map((r) => r.case)).size).toBe(3);
    expect(report.targets).toEqual([expect.objectContaining({ id: new URL(server.baseUrl).host, mode: 'live' })]);
    expect(report.results.find((r) => r.check === 'schema.response' && r.step === 'POST /v1/chat/completions')?.status).toBe('fail');
    expect(existsSync(path.join(out, 'report.md'))).toBe(true);
  });

  test('it prints a line per finding as it happens', () => {
    expect(stdout).toMatch(/^FAIL POST \/v1\/chat\/completions 200 \[blocking\]/m);
    expect(stdout).toMatch(/^ {4}MUST schema\.response \/created: expected integer, received "\d+"/m);
    expect(stdout).toMatch(/^ {4}MUST schema\.chunks chunk 0:\/created: expected integer/m);
  });

  test('no secret in the HAR, the report or the terminal, in any encoding; the HAR validates again', async () => {
    const forms = [SECRET, Buffer.from(SECRET).toString('base64'), encodeURIComponent(SECRET), Buffer.from(`user:${SECRET}`).toString('base64')];
    for (const file of [harFile, path.join(out, 'report.json'), path.join(out, 'report.md')]) {
      const text = readFileSync(file, 'utf8');
      for (const form of forms) expect(text, file).not.toContain(form);
    }
    for (const form of forms) expect(stdout).not.toContain(form);
    const har = readFileSync(harFile, 'utf8');
    expect(har).toContain('"name": "authorization",\n              "value": "[REDACTED]"');
    expect(har).toContain('key=%5BREDACTED%5D');
    expect(har).toContain('my key is [REDACTED]');
    const again = await cli(['validate', harFile, '--out', path.join(tmp, 'again')]);
    expect(again.code).toBe(1);
    const first = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    const second = JSON.parse(readFileSync(path.join(tmp, 'again', 'report.json'), 'utf8')) as Report;
    const statuses = (r: Report) => r.results.map((x) => `${x.case} ${x.check} ${x.status}`);
    expect(statuses(second)).toEqual(statuses(first));
  });
});
