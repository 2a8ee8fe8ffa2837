import { describe, expect, test } from 'vitest';
import type { CheckResult } from '../src/core/types.js';
import { buildReport, type Report } from '../src/report/build.js';
import { diffReports } from '../src/report/diff.js';
import { regressionAnnotations } from '../src/report/github.js';
import { mergeReports } from '../src/report/merge.js';
import { renderDiffMarkdown, renderDiffTerminal } from '../src/report/render-diff.js';
import { resultMaker } from './support/results.js';

const r = resultMaker({ model: 'm1' });

function report(results: CheckResult[]): Report {
  return buildReport({
    tool: { name: 'oai-compat', version: '0.1.0' },
    startedAt: '2025-06-01T10:00:00.000Z',
    finishedAt: '2025-06-01T10:01:00.000Z',
    targets: [{ id: 't', baseUrl: 'http://127.0.0.1:1/v1', mode: 'live', models: { chat: 'm1' } }],
    results,
  });
}

const OLD = report([
  r({ case: 'chat-a' }),
  r({ case: 'chat-b' }),
  r({ case: 'chat-c', status: 'fail', message: 'bad' }),
  r({ case: 'chat-d' }),
  r({ case: 'chat-e' }),
  r({ case: 'chat-gone' }),
  r({ feature: 'tools', case: 'tools-a', check: 'semantic.tool-call', level: 'semantic' }),
]);
const NEW = report([
  r({ case: 'chat-a' }),
  r({ case: 'chat-b', check: 'semantic.stream-agrees', status: 'fail', message: 'differs', findings: [{ path: '/choices/0/finish_reason', expected: '"stop"', received: 'null', severity: 'must' }] }),
  r({ case: 'chat-c' }),
  r({ case: 'chat-d', check: 'wire.status', status: 'error', message: 'timeout after 60000 ms' }),
  r({ case: 'chat-e', status: 'xfail', expectation: 'https://bugs.example/1' }),
  r({ case: 'chat-new', status: 'fail', message: 'no' }),
  r({ feature: 'tools', case: 'tools-a', check: 'semantic.tool-call', level: 'semantic', status: 'unsupported', message: '400 tools not supported' }),
]);

describe('diffReports', () => {
  const diff = diffReports(OLD, NEW);
  const ids = (list: { case: string }[]) => list.map((c) => c.case);

  test('a report against itself has no change and exit code 0', () => {
    const same = diffReports(OLD, OLD);
    expect(same).toEqual({ regressions: [], fixes: [], infrastructure: [], added: [], removed: [], changed: [], cells: [], exitCode: 0 });
  });

  test('pass -> fail or unsupported is a regression; an xfail still passes', () => {
    expect(ids(diff.regressions)).toEqual(['chat-b', 'tools-a']);
    expect(diff.regressions[0]!.results.map((x) => x.check)).toEqual(['semantic.stream-agrees']);
    expect(diff.exitCode).toBe(1);
  });

  test('errors are infrastructure, apart from regressions; fixes, new and removed cases are listed', () => {
    expect(ids(diff.infrastructure)).toEqual(['chat-d']);
    expect(ids(diff.fixes)).toEqual(['chat-c']);
    expect(ids(diff.added)).toEqual(['chat-new']);
    expect(ids(diff.removed)).toEqual(['chat-gone']);
    // chat stays partial (chat-c fixed, chat-b broken): only tools changes cell.
    expect(diff.cells).toEqual([{ feature: 'tools', target: 't', old: 'pass', new: 'unsupported' }]);
  });

  test('only errors: exit code 0', () => {
    const flaky = report([r({ case: 'chat-a', status: 'error', message: '429 quota exhausted' }), ...OLD.results.slice(1)]);
    const d = diffReports(OLD, flaky);
    expect(ids(d.infrastructure)).toEqual(['chat-a']);
    expect(d.exitCode).toBe(0);
  });

  test('a changed model is shown, not taken for a new case', () => {
    const upgraded = report(OLD.results.map((x) => ({ ...x, model: 'm2' })));
    const d = diffReports(OLD, upgraded);
    expect(d.added).toEqual([]);
    expect(d.exitCode).toBe(0);
  });

  test('renders the regressions with their findings, in the terminal and in Markdown', () => {
    const sides = { old: { file: 'old.json', report: OLD }, new: { file: 'new.json', report: NEW } };
    const text = renderDiffTerminal(diff, sides);
    expect(text).toContain('Regressions (2):\n  REGRESSED t chat/chat-b [blocking]: pass → fail (m1)\n      fail ask/semantic.stream-agrees: /choices/0/finish_reason: expected "stop", received null');
    expect(text).toContain('Infrastructure trouble (error: not counted as regressions) (1):\n  ERROR t chat/chat-d [blocking]: pass → error (m1)');
    expect(text).toContain('REMOVED t chat/chat-gone [blocking]: removed (was pass)');
    expect(text).toContain('tools × t: pass → unsupported');
    expect(text).toContain('2 regressions, 1 infrastructure, 1 fix, 1 new, 1 removed, 0 other · exit code 1');
    const md = renderDiffMarkdown(diff, sides);
    expect(md).toContain('## Regressions (2)');
    expect(md).toContain('| t | chat | chat-b | blocking | pass → fail (m1) | fail ask/semantic.stream-agrees: /choices/0/finish_reason: expected "stop", received null |');
  });

  test('GitHub annotations: one ::error per regression, only under GitHub Actions', () => {
    expect(regressionAnnotations(diff, {})).toBe('');
    const lines = regressionAnnotations(diff, { GITHUB_ACTIONS: 'true' }).trimEnd().split('\n');
    expect(lines).toEqual([
      '::error title=oai-compat regression%3A t chat::t chat/chat-b [blocking]: pass → fail (semantic.stream-agrees)',
      '::error title=oai-compat regression%3A t tools::t tools/tools-a [blocking]: pass → unsupported (semantic.tool-call)',
    ]);
  });
});

describe('mergeReports', () => {
  const a = report(OLD.results.filter((x) => x.feature === 'chat'));
  const b = report(OLD.results.filter((x) => x.feature === 'tools'));

  test('merging the parts gives the whole report back', () => {
    const { input } = mergeReports([{ file: 'a.json', report: a }, { file: 'b.json', report: b }]);
    const merged = buildReport(input);
    expect(merged.results).toEqual(OLD.results);
    expect(merged.matrix).toEqual(OLD.matrix);
    expect(merged.cells).toEqual(OLD.cells);
  });

  test('a test in two files is refused, naming both', () => {
    expect(() => mergeReports([{ file: 'a.json', report: a }, { file: 'a2.json', report: a }])).toThrow(
      'Failed to merge a2.json: t chat/chat-a [blocking] is in a.json too.',
    );
  });
});
