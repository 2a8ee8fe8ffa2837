import { describe, expect, test } from 'vitest';
import type { CheckResult } from '../src/core/types.js';
import { buildReport } from '../src/report/build.js';
import { buildProfiles } from '../src/report/profile.js';
import { renderMarkdown } from '../src/report/render-markdown.js';
import { DEVIATIONS, deviationsOf } from '../src/report/workarounds.js';

function r(over: Partial<CheckResult>): CheckResult {
  return { target: 'g', model: 'g-flash', feature: 'chat', case: 'chat-a', step: 'ask', check: 'schema.response', level: 'schema', severity: 'must', transport: 'blocking', status: 'pass', message: '', durationMs: 1, ...over };
}

const NO_INDEX = r({ feature: 'tools', case: 'tools-get-weather-auto', transport: 'streaming', check: 'schema.chunks', status: 'xfail', expectation: 'https://github.com/THU-MAIC/OpenMAIC/issues/1556', findings: [{ path: 'chunk 0:/choices/0/delta/tool_calls/0/index', expected: 'property present', received: '(missing)', severity: 'must' }] });
const ARRAY_ERROR = r({ feature: 'errors', case: 'errors-bad-api-key', check: 'schema.error', status: 'fail', findings: [{ path: '', expected: 'object', received: '[{"error":{"code":401}}]', severity: 'must' }] });

const REPORT = buildReport({
  tool: { name: 'oai-compat', version: '0' },
  startedAt: '2025-01-01T00:00:00.000Z',
  finishedAt: '2025-01-01T00:00:01.000Z',
  targets: [
    {
      id: 'g',
      baseUrl: 'https://example.test/v1',
      mode: 'replay',
      models: { chat: 'g-flash' },
      claims: {
        chat: { supported: true, doc: 'https://example.test/docs#chat' },
        tools: { supported: true },
        errors: { supported: true },
        batch: { supported: false, note: 'use the native batch API' },
      },
    },
  ],
  results: [
    r({}),
    r({ feature: 'tools', case: 'tools-get-weather-auto' }),
    NO_INDEX,
    ARRAY_ERROR,
    r({ feature: 'batch', case: 'batch-a', model: '-', check: 'wire.status', status: 'unsupported', message: '404 files' }),
    r({ feature: 'vision', case: 'vision-a', check: 'wire.status', status: 'error', message: 'timeout' }),
  ],
});

describe('compatibility profile', () => {
  const [profile] = buildProfiles(REPORT);

  test('claimed vs observed per feature, with the models behind it', () => {
    expect(profile!.features.map((f) => [f.feature, f.models.join(','), f.claimed?.supported ?? null, f.observed, f.agreement])).toEqual([
      ['chat', 'g-flash', true, 'pass', 'as claimed'],
      ['tools', 'g-flash', true, 'pass', 'as claimed'], // the xfail is a known deviation, the cell passes
      ['vision', 'g-flash', null, 'error', 'not judged'],
      ['batch', '', false, 'unsupported', 'as claimed'],
      ['errors', 'g-flash', true, 'fail', 'differs'],
    ]);
  });

  test('known deviations with their workaround and links, recognised from findings', () => {
    expect(profile!.deviations.map((d) => [d.deviation.id, d.seen, d.links])).toEqual([
      ['tool-call-delta-no-index', ['tools-get-weather-auto [streaming] g-flash'], ['https://github.com/THU-MAIC/OpenMAIC/issues/1556']],
      ['error-array-body', ['errors-bad-api-key [blocking] g-flash'], []],
    ]);
    const md = renderMarkdown(REPORT);
    expect(md).toContain('## Compatibility profile');
    expect(md).toContain('| errors | g-flash | yes | ❌ fail | differs | errors-bad-api-key [blocking]: fail (schema.error) |');
    expect(md).toContain('| batch |  | no: use the native batch API | ⛔ unsupported | as claimed |  |');
    expect(md).toContain('- **Streamed tool-call deltas carry no `index`** (tools-get-weather-auto [streaming] g-flash; known: https://github.com/THU-MAIC/OpenMAIC/issues/1556). Workaround: Assemble streamed tool calls yourself');
  });

  test('a pass shows no deviation, and each catalogue entry is recognised by its own pattern only', () => {
    expect(deviationsOf({ ...NO_INDEX, status: 'pass' })).toEqual([]);
    expect(deviationsOf(NO_INDEX).map((d) => d.id)).toEqual(['tool-call-delta-no-index']);
    const nullable = r({ status: 'warn', severity: 'should', findings: [{ path: '/choices/0/message/refusal', expected: 'property present', received: '(missing)', severity: 'should' }] });
    expect(deviationsOf(nullable).map((d) => d.id)).toEqual(['nullable-omitted']);
    const batchLine = r({ status: 'fail', findings: [{ path: 'line 0:/response/body/choices/0/finish_reason', expected: 'property present', received: '(missing)', severity: 'must' }] });
    expect(deviationsOf(batchLine).map((d) => d.id)).toEqual(['batch-output-not-openai']);
    expect(new Set(DEVIATIONS.map((d) => d.id)).size).toBe(DEVIATIONS.length);
  });
});
