import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startReferenceServer } from '../src/server/index.js';
import { cli } from './support/cli.js';
import { CASES, ROOT } from './support/env.js';
import { filesUnder, readReport } from './support/files.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'oai-reliable-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));


describe('never green when nothing was judged', () => {
  test('a base URL that serves no OpenAI route is exit 2 with a hint, and no older report is left looking current', async () => {
    const server = await startReferenceServer();
    const out = path.join(tmp, 'wrong-url');
    mkdirSync(out);
    writeFileSync(path.join(out, 'report.json'), '{"stale": true}');
    try {
      const run = await cli(['run', '--base-url', new URL(server.baseUrl).origin, '--features', 'chat', '--out', out]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('answers nothing OpenAI-shaped');
      expect(run.stderr).toContain('usually served under /v1');
      expect(server.requestCount()).toBe(2);
      expect(existsSync(path.join(out, 'report.json'))).toBe(false);
    } finally {
      await server.close();
    }
  }, 60_000);

  test('a mistyped model is a configuration error, exit 2, not an unsupported feature', async () => {
    const run = await cli(['run', '--features', 'models', '--models', 'chat=ref-chatt', '--out', path.join(tmp, 'typo')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/HTTP 404 for the model "ref-chatt": .*Fix the model names in targets\/reference\.yaml or pass --models ROLE=NAME/);
  }, 60_000);

  test('a run where no check gives a verdict is exit 2, and report.md says how many features were judged', async () => {
    const target = path.join(tmp, 'no-image.yaml');
    writeFileSync(target, readFileSync(path.join(ROOT, 'targets', 'reference.yaml'), 'utf8').replace(/^ {2}image: .*$/m, ''));
    const out = path.join(tmp, 'nothing');
    const run = await cli(['run', '--target', target, '--features', 'images', '--out', out]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('nothing was judged');
    expect(run.stderr).toContain('no model for role "image"');
    expect(readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('- Features really judged: 0 of 13');
  }, 60_000);

  test('an unsupported the target did not document is listed in report.md with its reason', async () => {
    const server = await startReferenceServer({ faults: ['unknown-model-400'] });
    try {
      const out = path.join(tmp, 'undocumented');
      const run = await cli(['run', '--base-url', server.baseUrl, '--features', 'images,embeddings', '--models', 'image=no-such-image-model', '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      const md = readFileSync(path.join(out, 'report.md'), 'utf8');
      expect(md).toContain('- Features really judged: 1 of 13');
      expect(md).toMatch(/## Declined without documentation \(unsupported, not judged\) \(\d+\)/);
      expect(md).toMatch(/\| images-generate-b64 \| generate \| blocking \| wire\.status \| unsupported \| HTTP 400: The model `no-such-image-model` does not exist/);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('secrets never land anywhere, even when the endpoint echoes them', () => {
  test('raw, base64 and percent-encoded forms are redacted from the terminal, reports and recordings', async () => {
    const secret = 'sk-echo/secret+key=7d1e9a42c0ffee';
    const server = await startReferenceServer({ faults: ['echo-key'], apiKey: secret });
    try {
      const out = path.join(tmp, 'echo-out');
      const recordings = path.join(tmp, 'echo-recordings');
      const run = await cli(['run', '--base-url', server.baseUrl, '--mode', 'record', '--features', 'models,chat,errors', '--out', out, '--recordings', recordings], {
        OAI_COMPAT_REFERENCE_KEY: secret,
      });
      expect(run.code, run.stderr).toBe(1);
      // The endpoint did echo it: the reason of the errors is its message, with the key taken out.
      expect(readReport(out).results.some((r) => r.message.includes('Incorrect API key provided: [REDACTED]'))).toBe(true);
      const forms = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(`user:${secret}`).toString('base64'), secret.slice(3, 20)];
      const places = [run.stdout, run.stderr, ...[...filesUnder(out), ...filesUnder(recordings)].map((f) => readFileSync(f, 'utf8'))];
      for (const place of places) for (const form of forms) expect(place).not.toContain(form);
      // Recordings keep bodies as base64: decoded, they are clean too.
      for (const file of filesUnder(recordings).filter((f) => !f.endsWith('recording.json'))) {
        const entries = JSON.parse(readFileSync(file, 'utf8')) as { snapshot: { responses: { body: string }[] } }[];
        for (const { snapshot } of entries) for (const r of snapshot.responses) for (const form of forms) expect(Buffer.from(r.body, 'base64').toString('utf8')).not.toContain(form);
      }
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('cost control', () => {
  test('--max-requests stops sending after N requests and says what was not run', async () => {
    const server = await startReferenceServer();
    try {
      const out = path.join(tmp, 'budget');
      const run = await cli(['run', '--base-url', server.baseUrl, '--features', 'chat', '--max-requests', '6', '--concurrency', '1', '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      expect(server.requestCount()).toBe(6);
      expect(run.stderr).toMatch(/\d+ test\(s\) not run: --max-requests 6 reached/);
      const notRun = readReport(out).results.filter((r) => r.status === 'skip' && r.message.startsWith('not run: --max-requests 6 reached'));
      expect(notRun.length).toBeGreaterThan(10);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('reports survive a signal', () => {
  test('SIGTERM mid-run writes a partial report marked interrupted, listing what did not run', async () => {
    const out = path.join(tmp, 'interrupted');
    mkdirSync(out);
    writeFileSync(path.join(out, 'junit.xml'), '<stale/>');
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'oai-compat.mjs'), 'run', '--out', out], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // Stop once a few tests have finished.
        if ((stderr.match(/^\s+\d+ (ok|FAIL|ERR|skip|unsp)/gm) ?? []).length >= 3 && !child.killed) child.kill('SIGTERM');
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(code, stderr).toBe(143);
    const report = readReport(out);
    expect(report.interrupted?.signal).toBe('SIGTERM');
    expect(report.interrupted!.notRun.length).toBeGreaterThan(0);
    expect(report.results.length).toBeGreaterThan(0);
    // Nothing is lost: every test of the run has its results, or is listed as not finished.
    const listed = new Set(report.interrupted!.notRun);
    const judged = new Set(report.results.filter((r) => r.check !== 'harness').map((r) => `${r.case} [${r.transport}]`));
    expect(CASES.flatMap((c) => c.transports.map((t) => `${c.id} [${t}]`)).filter((t) => !listed.has(t) && !judged.has(t))).toEqual([]);
    expect(readFileSync(path.join(out, 'report.md'), 'utf8')).toMatch(/^# OpenAI compatibility report\n\n> \*\*Interrupted by SIGTERM: this report is partial\.\*\* \d+ tests? did not run or finish: `/);
    expect(stdout).toContain('Interrupted by SIGTERM: the report is partial');
    const junit = path.join(out, 'junit.xml');
    if (existsSync(junit)) {
      expect(statSync(junit).size).toBeGreaterThan(0);
      expect(readFileSync(junit, 'utf8')).toContain('<testsuites');
    }
    expect(readdirSync(out).filter((f) => f.endsWith('.partial'))).toEqual([]);
  }, 120_000);
});
