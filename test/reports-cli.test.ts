import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../src/report/build.js';
import { validateFormat } from '../src/schema/registry.js';
import { startReferenceServer, type RunningServer } from '../src/server/index.js';
import { cli, type CliRun } from './support/cli.js';
import { readReport } from './support/files.js';

// The three user scenarios end to end, through the CLI, against two reference servers on
// loopback: one clean, one with a fault that breaks tool calls.
const FEATURES = 'chat,tools,streaming,errors';

let tmp: string;
let clean: RunningServer;
let faulty: RunningServer;
const withoutDurations = (report: Report) => report.results.map(({ durationMs: _, ...rest }) => rest);

/** A target file of our own pointing at a running reference server. */
function targetFile(id: string, server: RunningServer): string {
  const file = path.join(tmp, `${id}.yaml`);
  writeFileSync(
    file,
    [`id: ${id}`, `name: reference (${id})`, `base_url: ${server.baseUrl}`, 'auth:', '  env: OAI_COMPAT_REFERENCE_KEY', '  public_key: sk-oai-compat-reference', 'models:', '  chat: ref-chat', ''].join('\n'),
  );
  return file;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'oai-reports-'));
  clean = await startReferenceServer({ port: 0 });
  faulty = await startReferenceServer({ port: 0, faults: ['tool-args-invalid'] });
});
afterAll(async () => {
  await Promise.all([clean.close(), faulty.close()]);
  rmSync(tmp, { recursive: true, force: true });
});

describe('several targets in one run', () => {
  let run: CliRun;
  beforeAll(async () => {
    run = await cli(['run', '--target', `${targetFile('clean', clean)},${targetFile('faulty', faulty)}`, '--features', FEATURES, '--out', path.join(tmp, 'two')]);
  }, 120_000);

  test('one report with the matrix feature x target side by side, and feature x model under each', () => {
    expect(run.code, run.stderr).toBe(1);
    const report = readReport(path.join(tmp, 'two'));
    expect(validateFormat('report.schema.json', report)).toEqual([]);
    expect(report.targets.map((t) => [t.id, t.baseUrl])).toEqual([
      ['clean', clean.baseUrl],
      ['faulty', faulty.baseUrl],
    ]);
    // tool_choice none calls no tool, so it still passes there: the faulty cell is partial.
    expect(report.matrix.tools).toEqual({ clean: 'pass', faulty: 'partial' });
    expect(report.matrix.chat).toEqual({ clean: 'pass', faulty: 'pass' });
    expect(report.matrixByModel.tools).toEqual({ 'clean/ref-chat': 'pass', 'faulty/ref-chat': 'partial' });
    expect(run.stdout).toMatch(/feature +clean +faulty\n/);
    expect(run.stdout).toMatch(/tools +pass +partial\n/);
    expect(run.stderr).toMatch(/FAIL faulty tools\/tools-get-weather-auto \[blocking\]/);
  });

  test('provenance: tool, SDK, Node, fixture digest, in report.json and the headers', () => {
    const report = readReport(path.join(tmp, 'two'));
    expect(report.provenance).toMatchObject({ node: process.version, openai: expect.stringMatching(/^\d+\.\d+\.\d+/), fixtures: { digest: expect.stringMatching(/^sha256:/) } });
    expect(report.cases?.['tools-get-weather-auto']?.doc.url).toMatch(/^https:\/\//);
    const md = readFileSync(path.join(tmp, 'two', 'report.md'), 'utf8');
    for (const text of [md, run.stdout]) {
      expect(text).toContain(`openai SDK ${report.provenance!.openai}, Node ${process.version}`);
      expect(text).toContain(report.provenance!.fixtures.digest);
      expect(text).toContain(faulty.baseUrl);
    }
    const html = readFileSync(path.join(tmp, 'two', 'report.html'), 'utf8');
    expect(html).toContain(report.provenance!.fixtures.digest);
    expect(md + html + run.stdout + JSON.stringify(report)).not.toContain('sk-oai-compat-reference');
  });

  test('two targets with one id, or --base-url with several targets, exit 2', async () => {
    const twice = await cli(['run', '--target', targetFile('clean', clean), '--target', targetFile('clean', clean)]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('both have id "clean"');
    const url = await cli(['run', '--target', 'reference,openai', '--base-url', clean.baseUrl]);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('--base-url and --api-key-env apply to a single --target');
  });
});

describe('diff and baseline: a check before an upgrade, a nightly regression run', () => {
  const before = () => path.join(tmp, 'before');
  const after = () => path.join(tmp, 'after');
  let baselineRun: CliRun;
  let summaryFile: string;
  beforeAll(async () => {
    summaryFile = path.join(tmp, 'step-summary.md');
    const first = await cli(['run', '--base-url', clean.baseUrl, '--features', FEATURES, '--out', before()]);
    expect(first.code, first.stderr).toBe(0);
    baselineRun = await cli(['run', '--base-url', faulty.baseUrl, '--features', FEATURES, '--out', after(), '--baseline', path.join(before(), 'report.json')], {
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_ACTIONS: 'true',
    });
  }, 120_000);

  test('a report against itself: no change, exit 0', async () => {
    const run = await cli(['diff', path.join(before(), 'report.json'), before()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('0 regressions, 0 infrastructure, 0 fixes, 0 new, 0 removed, 0 other · exit code 0');
  });

  test('a clean report against one with a fault: exit 1, naming the regressed cases', async () => {
    const run = await cli(['diff', before(), after()]);
    expect(run.code, run.stderr).toBe(1);
    for (const transport of ['blocking', 'streaming']) {
      expect(run.stdout).toContain(`REGRESSED reference tools/tools-get-weather-auto [${transport}]: pass → fail (ref-chat)`);
      expect(run.stdout).toContain(`REGRESSED reference tools/tools-round-trip [${transport}]: pass → fail (ref-chat)`);
    }
    expect(run.stdout).toContain('call/semantic.tool-call: /choices/0/message/tool_calls/0/function/arguments');
    expect(run.stdout).toContain('tools × reference: pass → partial');
    const md = await cli(['diff', before(), after(), '--format', 'markdown']);
    expect(md.stdout).toContain('## Regressions (14)');
    expect(md.stdout).toContain('| reference | tools | tools-round-trip | streaming | pass → fail (ref-chat) |');
  });

  test('--target-map compares a vendor switch: another target id, case by case', async () => {
    const run = await cli(['diff', before(), path.join(tmp, 'two'), '--target-map', 'reference=faulty']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('REGRESSED faulty tools/tools-round-trip [blocking]: pass → fail (ref-chat)');
    expect(run.stdout).toContain('NEW clean chat/chat-system-user [blocking]');
    const bad = await cli(['diff', before(), before(), '--target-map', 'reference']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--target-map: "reference" is not old=new');
  });

  test('the other way round, the same cases are fixes and the exit code is 0', async () => {
    const run = await cli(['diff', after(), before()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('FIXED reference tools/tools-round-trip [streaming]: fail → pass (ref-chat)');
  });

  test('run --baseline prints the diff, writes diff.md, exits 1, and feeds GitHub Actions', () => {
    expect(baselineRun.code, baselineRun.stderr).toBe(1);
    expect(baselineRun.stdout).toContain('Against the baseline:');
    expect(baselineRun.stdout).toContain('14 regressions, 0 infrastructure');
    expect(baselineRun.stdout).toContain('::error title=oai-compat regression%3A reference tools::reference tools/tools-get-weather-auto [blocking]: pass → fail (semantic.tool-call)');
    expect(readFileSync(path.join(after(), 'diff.md'), 'utf8')).toContain('## Regressions (14)');
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toContain('## Matrix');
    expect(summary).toContain('| tools | 🟡 partial |');
    expect(summary).toContain('## Regressions (14)');
  });

  test('bad report files exit 2 naming the file and the field', async () => {
    const broken = JSON.parse(readFileSync(path.join(before(), 'report.json'), 'utf8')) as Report;
    (broken.results[0] as { status: string }).status = 'green';
    const file = path.join(tmp, 'broken.json');
    writeFileSync(file, JSON.stringify(broken));
    const notJson = path.join(tmp, 'not-json.json');
    writeFileSync(notJson, '{"schemaVersion": 1,');
    for (const [args, message] of [
      [['diff', before(), file], `Failed to load ${file}: it does not match schemas/report.schema.json.\n  - field /results/0/status: expected one of`],
      [['diff', notJson, before()], `Failed to read report ${notJson}: not valid JSON`],
      [['diff', before(), path.join(tmp, 'nowhere.json')], 'nowhere.json: no such file'],
      [['diff', before()], 'diff needs two reports'],
      [['run', '--baseline', file], `Failed to load ${file}`],
      [['report', file], `Failed to load ${file}`],
    ] as [string[], string][]) {
      const run = await cli(args);
      expect(run.stderr, args.join(' ')).toContain(message);
      expect(run.code, args.join(' ')).toBe(2);
    }
  });

  describe('shards merge into the unsharded report', () => {
    test('run --shard 1/2 and 2/2, then oai-compat report: the same results and matrix', async () => {
      const shards = [1, 2].map((i) => path.join(tmp, `shard-${i}`));
      const runs = await Promise.all(shards.map((out, i) => cli(['run', '--base-url', clean.baseUrl, '--features', FEATURES, '--shard', `${i + 1}/2`, '--out', out])));
      for (const run of runs) expect(run.code, run.stderr).toBe(0);
      expect(readReport(shards[0]!).results.length).toBeLessThan(readReport(before()).results.length);
      const merged = path.join(tmp, 'merged');
      const run = await cli(['report', ...shards, '--out', merged]);
      expect(run.code, run.stderr).toBe(0);
      const whole = readReport(before());
      const report = readReport(merged);
      expect(validateFormat('report.schema.json', report)).toEqual([]);
      expect(withoutDurations(report)).toEqual(withoutDurations(whole));
      expect(report.matrix).toEqual(whole.matrix);
      expect(report.matrixByModel).toEqual(whole.matrixByModel);
      expect(report.provenance).toEqual(whole.provenance);
      expect(readFileSync(path.join(merged, 'report.md'), 'utf8')).toContain('## Matrix');
      const junit = readFileSync(path.join(merged, 'junit.xml'), 'utf8');
      const tests = new Set(whole.results.map((x) => `${x.feature} ${x.case} ${x.transport}`)).size;
      expect(junit).toContain(`<testsuites name="oai-compat" tests="${tests}" failures="0" errors="0"`);
      expect(junit).toContain('<testcase classname="reference.tools" name="tools-round-trip [streaming]"');
      const twice = await cli(['report', shards[0]!, shards[0]!, '--out', path.join(tmp, 'twice')]);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toContain('Failed to merge');
    }, 120_000);

    test('reports of different targets merge side by side', async () => {
      const run = await cli(['report', before(), path.join(tmp, 'two'), '--out', path.join(tmp, 'three')]);
      expect(run.code).toBe(1);
      expect(readReport(path.join(tmp, 'three')).matrix.tools).toEqual({ reference: 'pass', clean: 'pass', faulty: 'partial' });
      const junit = readFileSync(path.join(tmp, 'three', 'junit.xml'), 'utf8');
      expect(junit).toMatch(/<testcase classname="faulty\.tools" name="tools-get-weather-auto \[blocking\]" time="[\d.]+"><failure message="[^"]*location/);
    });
  });
});
