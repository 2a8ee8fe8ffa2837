import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FEATURE_IDS } from '../src/core/types.js';
import type { Report } from '../src/report/build.js';
import { validateFormat } from '../src/schema/registry.js';
import { startReferenceServer, type RunningServer } from '../src/server/index.js';
import { cli } from './support/cli.js';
import { startCorruptingProxy, type Corruption } from './support/corrupting-proxy.js';
import { FIXTURES, ROOT } from './support/env.js';
import { filesUnder, readReport } from './support/files.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'oai-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));


describe('usage errors exit 2 with a message naming the flag or file', () => {
  test.concurrent.for([
    { args: ['run', '--mode', 'nope'], message: '--mode: unknown mode "nope". Valid modes: live, record, replay.' },
    { args: ['run', '--features', 'chat,bogus'], message: '--features: unknown feature "bogus". Valid features: models, chat,' },
    { args: ['run', '--bogus'], message: "Unknown option '--bogus'" },
    { args: ['run', '--target', 'nowhere'], message: 'no file targets/nowhere.yaml' },
    { args: ['run', '--models', 'chat'], message: '--models: "chat" is not role=name' },
    { args: ['run', '--poll-timeout', 'soon'], message: '--poll-timeout' },
    { args: ['run', '--target', 'gemini'], message: 'GEMINI_API_KEY is not set' },
    { args: ['run', '--concurrency', '0'], message: '--concurrency: expected a whole number from 1 to 64, got "0".' },
    { args: ['run', '--requests-per-minute', 'lots'], message: '--requests-per-minute: expected a positive whole number, got "lots".' },
    { args: ['serve', '--fault', 'no-such-fault'], message: 'no-such-fault' },
    { args: ['frobnicate'], message: 'unknown command "frobnicate"' },
  ])('oai-compat $args', async ({ args, message }) => {
    const run = await cli(args, { GEMINI_API_KEY: '' });
    expect(run.stderr).toContain(message);
    expect(run.code).toBe(2);
  });

  test('a malformed fixture names the file, the case and the field', async () => {
    const dir = path.join(tmp, 'bad-fixtures');
    cpSync(FIXTURES, dir, { recursive: true });
    const file = path.join(dir, 'tools', 'function-calling.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('tool_choice: auto', 'tool_choice: auto\n        temprature: 0').replace('call: chat.completions.create', 'call: chat.create'));
    const run = await cli(['run', '--fixtures', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('fixtures/tools/function-calling.yaml');
    expect(run.stderr).toContain('(case "tools-get-weather-auto")/steps/0/call');
  });

  test('--help describes the commands, and run --help the flags and faults live in serve --help', async () => {
    expect((await cli(['--help'])).stdout).toContain('Exit codes: 0 at expectations');
    expect((await cli(['run', '--help'])).stdout).toContain('--mode MODE');
    expect((await cli(['serve', '--help'])).stdout).toContain('sse-no-done');
  });
});

describe('npm start: every feature against the built-in reference server', () => {
  let run: Awaited<ReturnType<typeof cli>>;
  const out = () => path.join(tmp, 'start');
  beforeAll(async () => {
    run = await cli(['run', '--out', out()]);
  }, 120_000);

  test('exits 0 and prints the matrix', () => {
    expect(run.code, run.stderr + run.stdout).toBe(0);
    for (const feature of FEATURE_IDS) expect(run.stdout).toContain(feature);
    expect(run.stdout).toContain('report.json');
  });

  test('writes report.json, valid against its schema, with all 13 features passing', () => {
    const report = readReport(out());
    expect(validateFormat('report.schema.json', report)).toEqual([]);
    expect(Object.keys(report.matrix).sort()).toEqual([...FEATURE_IDS].sort());
    for (const feature of FEATURE_IDS) expect(report.matrix[feature].reference, feature).toBe('pass');
    expect(JSON.stringify(report.targets)).not.toContain('sk-oai-compat-reference');
  });

  test('writes report.md and JUnit XML', () => {
    expect(readFileSync(path.join(out(), 'report.md'), 'utf8')).toContain('| structured-output |');
    expect(readFileSync(path.join(out(), 'junit.xml'), 'utf8')).toContain('<testsuites');
  });
});

describe('a reference server started separately with oai-compat serve', () => {
  test('run --target reference --base-url reaches it and passes', async () => {
    const serve = spawn(process.execPath, [path.join(ROOT, 'bin', 'oai-compat.mjs'), 'serve', '--port', '0'], { cwd: ROOT });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let seen = '';
        serve.stdout.on('data', (d: Buffer) => {
          seen += d.toString();
          const m = /listening on (http:\/\/\S+)/.exec(seen);
          if (m) resolve(m[1]!);
        });
        serve.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      const out = path.join(tmp, 'separate');
      const run = await cli(['run', '--target', 'reference', '--base-url', url, '--features', 'models,chat,tools', '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      expect(readReport(out).matrix.tools.reference).toBe('pass');
      expect(readReport(out).matrix.batch.reference).toBe('untested');
    } finally {
      serve.kill('SIGTERM');
    }
  }, 120_000);
});

describe('a proxy that corrupts responses makes the feature not pass', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startReferenceServer({ port: 0 });
  });
  afterAll(() => server.close());

  test.for([
    { corruption: 'response-field', feature: 'chat' },
    { corruption: 'stream-framing', feature: 'streaming' },
    { corruption: 'error-body', feature: 'errors' },
  ] as { corruption: Corruption; feature: string }[])('$corruption breaks $feature', { timeout: 120_000 }, async ({ corruption, feature }) => {
    const proxy = await startCorruptingProxy(new URL(server.baseUrl).origin, corruption);
    try {
      const out = path.join(tmp, `proxy-${corruption}`);
      const run = await cli(['run', '--base-url', `${proxy.url}/v1`, '--features', feature, '--out', out]);
      expect(run.code, run.stderr).toBe(1);
      const report = readReport(out);
      expect(report.matrix[feature as keyof Report['matrix']].reference).not.toBe('pass');
      expect(report.results.some((r) => r.status === 'fail')).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});

describe('record and replay through the CLI', () => {
  test('a recorded run replays with no server and the same matrix', async () => {
    const recordings = path.join(tmp, 'recordings');
    const secret = 'sk-cli-secret-never-written-7d1e';
    const recorded = await cli(['run', '--mode', 'record', '--features', 'chat,tools,batch,errors', '--recordings', recordings, '--out', path.join(tmp, 'rec')], {
      OAI_COMPAT_REFERENCE_KEY: secret,
    });
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stdout + recorded.stderr).not.toContain(secret);
    for (const dir of [recordings, path.join(tmp, 'rec')]) {
      for (const file of filesUnder(dir)) expect(readFileSync(file, 'utf8'), file).not.toContain(secret);
    }
    expect(existsSync(path.join(recordings, 'reference', 'recording.json'))).toBe(true);
    const replayed = await cli(['run', '--mode', 'replay', '--features', 'chat,tools,batch,errors', '--recordings', recordings, '--out', path.join(tmp, 'rep')]);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(readReport(path.join(tmp, 'rep')).matrix).toEqual(readReport(path.join(tmp, 'rec')).matrix);
  }, 120_000);
});
