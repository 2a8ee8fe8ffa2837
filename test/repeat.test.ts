import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import YAML from 'yaml';
import { CHECKS } from '../src/checks/index.js';
import type { CheckResult } from '../src/core/types.js';
import { buildReport, type Report } from '../src/report/build.js';
import { renderTerminal } from '../src/report/render-terminal.js';
import { collapseRepeats, hasBehaviourChecks } from '../src/runner/repeat.js';
import { startReferenceServer, type RunningServer } from '../src/server/index.js';
import { cli } from './support/cli.js';
import { startCorruptingProxy } from './support/corrupting-proxy.js';
import { caseById, FIXTURES } from './support/env.js';
import { resultMaker } from './support/results.js';

const r = resultMaker({ feature: 'tools', case: 'tools-a', step: 'call', check: 'semantic.tool-call', level: 'semantic', message: '', durationMs: 10 });
const shape = (status: CheckResult['status']) => r({ check: 'schema.response', level: 'schema', status, message: status === 'pass' ? '' : 'bad shape' });
const tool = (status: CheckResult['status']) =>
  r({ status, message: status === 'fail' ? 'arguments miss location' : status === 'error' ? 'timeout' : '', ...(status === 'fail' ? { findings: [{ path: '/arguments', expected: 'location', received: '(missing)', severity: 'must' as const }] } : {}) });

describe('behaviour checks are marked on their definitions', () => {
  test('the model-choice checks, and no shape check', () => {
    expect(CHECKS.filter((c) => c.behaviour).map((c) => c.id).sort()).toEqual([
      'semantic.assistant-content',
      'semantic.finish-reason',
      'semantic.reasoning-budget',
      'semantic.refusal',
      'semantic.thought-summary',
      'semantic.tool-call',
    ]);
    expect(hasBehaviourChecks(caseById('tools-get-weather-auto'))).toBe(true);
    expect(hasBehaviourChecks(caseById('models-list'))).toBe(false);
  });
});

describe('collapseRepeats', () => {
  test('a behaviour check gets its pass rate; the threshold decides', () => {
    const attempts = [[shape('pass'), tool('pass')], [shape('pass'), tool('fail')], [shape('pass'), tool('pass')], [shape('pass'), tool('pass')]];
    const [schema, rated] = collapseRepeats(attempts, 0.75);
    expect(schema).toEqual(shape('pass'));
    expect(rated).toMatchObject({ status: 'pass', repeat: { runs: 4, passed: 3 }, message: 'passed 3 of 4 runs (75%, threshold 75%)' });
    expect(rated!.findings).toBeUndefined();
    const [, failed] = collapseRepeats(attempts, 0.8);
    expect(failed).toMatchObject({ status: 'fail', repeat: { runs: 4, passed: 3 }, message: 'passed 3 of 4 runs (75%, threshold 80%): arguments miss location' });
    expect(failed!.findings).toEqual([{ path: '/arguments', expected: 'location', received: '(missing)', severity: 'must' }]);
  });

  test('a shape check reports its worst run, saying how often', () => {
    const [schema] = collapseRepeats([[shape('pass')], [shape('fail')], [shape('pass')]], 0.5);
    expect(schema).toMatchObject({ status: 'fail', message: 'bad shape (fail in 1 of 3 runs)' });
    expect(schema!.repeat).toBeUndefined();
  });

  test('runs that could not judge are left out of the rate; with none judged, the worst is reported', () => {
    const [rated] = collapseRepeats([[tool('pass')], [tool('error')], [tool('pass')]], 1);
    expect(rated).toMatchObject({ status: 'pass', repeat: { runs: 2, passed: 2 }, message: 'passed 2 of 2 runs (100%, threshold 100%); 1 run(s) could not judge it' });
    const [none] = collapseRepeats([[tool('error')], [tool('error')]], 0.5);
    expect(none).toMatchObject({ status: 'error', message: 'timeout' });
    expect(none!.repeat).toBeUndefined();
  });

  test('the cell sums the rates and every rendering shows them', () => {
    const report = buildReport({
      tool: { name: 'oai-compat', version: '0' },
      startedAt: '2025-01-01T00:00:00.000Z',
      finishedAt: '2025-01-01T00:00:01.000Z',
      targets: [],
      results: [r({ repeat: { runs: 4, passed: 3 } }), r({ case: 'tools-b', repeat: { runs: 4, passed: 4 } })],
    });
    expect(report.cells.find((c) => c.feature === 'tools' && c.model === undefined)!.repeat).toEqual({ runs: 8, passed: 7 });
    expect(renderTerminal(report, { color: false })).toMatch(/tools +pass · 7\/8 runs\n/);
  });
});

describe('run --repeat against an intermittent endpoint', () => {
  let server: RunningServer;
  let proxy: Awaited<ReturnType<typeof startCorruptingProxy>>;
  let tmp: string;
  let fixtures: string;
  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'oai-repeat-'));
    // Only tools-get-weather-auto: tools-round-trip's first step sends the same request, so its
    // answers would share the proxy's turns, and which case got which turn would be a race.
    fixtures = path.join(tmp, 'fixtures');
    cpSync(FIXTURES, fixtures, { recursive: true });
    rmSync(path.join(fixtures, 'tools'), { recursive: true });
    const file = YAML.parse(readFileSync(path.join(FIXTURES, 'tools', 'function-calling.yaml'), 'utf8')) as { cases: { id: string }[] };
    file.cases = file.cases.filter((c) => c.id === 'tools-get-weather-auto');
    mkdirSync(path.join(fixtures, 'tools'));
    writeFileSync(path.join(fixtures, 'tools', 'function-calling.yaml'), YAML.stringify(file));
    server = await startReferenceServer({ port: 0 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  // Every other tool-calling answer is broken: the blocking tool case passes 2 of its 4 runs.
  test.for([
    { threshold: '0.5', status: 'pass' },
    { threshold: '0.75', status: 'fail' },
  ])('--repeat 4 --threshold $threshold: semantic.tool-call is $status at 2/4', { timeout: 120_000 }, async ({ threshold, status }) => {
    proxy = await startCorruptingProxy(new URL(server.baseUrl).origin, 'tool-args-every-other');
    try {
      const out = path.join(tmp, threshold);
      const run = await cli(['run', '--base-url', `${proxy.url}/v1`, '--fixtures', fixtures, '--features', 'tools', '--repeat', '4', '--threshold', threshold, '--out', out]);
      const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
      const toolCall = report.results.find((x) => x.case === 'tools-get-weather-auto' && x.transport === 'blocking' && x.check === 'semantic.tool-call')!;
      expect(toolCall, run.stderr).toMatchObject({ status, repeat: { runs: 4, passed: 2 } });
      expect(toolCall.message).toContain('passed 2 of 4 runs (50%');
      const cell = report.cells.find((c) => c.feature === 'tools' && c.model === undefined)!;
      expect(run.stdout).toContain(`· ${cell.repeat!.passed}/${cell.repeat!.runs} runs`);
      expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain(`${cell.repeat!.passed}/${cell.repeat!.runs} runs`);
    } finally {
      await proxy.close();
    }
  });

  test('--repeat and --threshold are checked', async () => {
    for (const [args, message] of [
      [['--repeat', '0'], '--repeat: expected a positive whole number, got "0"'],
      [['--repeat', '3', '--threshold', '80'], '--threshold: expected a pass rate above 0 and at most 1 (e.g. 0.8), got "80"'],
    ] as [string[], string][]) {
      const run = await cli(['run', ...args]);
      expect(run.stderr).toContain(message);
      expect(run.code).toBe(2);
    }
  });
});
