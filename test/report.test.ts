import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { CELL_STATUSES, CHECK_STATUSES, FEATURE_IDS, type CheckResult } from '../src/core/types.js';
import { buildReport, type ReportInput, type ReportTarget } from '../src/report/build.js';
import { cellStatus, type CellVerdict } from '../src/report/matrix.js';
import { renderHtml } from '../src/report/render-html.js';
import { renderMarkdown } from '../src/report/render-markdown.js';
import { MAX_FAILURES, renderTerminal } from '../src/report/render-terminal.js';
import { writeReport } from '../src/report/write.js';
import { fixturesDigest } from '../src/report/provenance.js';
import { CASES } from './support/env.js';
import { resultMaker } from './support/results.js';

const schema = JSON.parse(readFileSync(new URL('../schemas/report.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: true, allErrors: true });
// ajv-formats is CommonJS: under NodeNext its default export is `.default` of the module.
addFormats.default(ajv);
const validate = ajv.compile(schema);

/** A result with defaults for everything a test does not care about. */
const r = resultMaker({ target: 'gemini', model: 'gemini-2.5-flash', case: 'chat-basic', step: 'create', durationMs: 12 });

const TARGETS: ReportTarget[] = [
  {
    id: 'gemini',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai/',
    mode: 'replay',
    models: { chat: 'gemini-2.5-flash', embedding: 'text-embedding-004' },
  },
  { id: 'openai', baseUrl: 'https://api.openai.com/v1', mode: 'replay', models: { chat: 'gpt-4o-mini' } },
];

/** Every check status and every cell status, on two targets. */
const SAMPLE: CheckResult[] = [
  r({ case: 'chat-basic' }),
  r({ case: 'chat-basic', check: 'schema.refusal', severity: 'should', status: 'warn', message: 'refusal omitted', findings: [{ path: '/choices/0/message/refusal', expected: 'present (null)', received: 'absent', severity: 'should' }] }),
  r({ case: 'chat-basic', transport: 'streaming', check: 'wire.sse-framing', level: 'wire' }),
  r({ feature: 'tools', case: 'tools-forced', check: 'schema.tool-call' }),
  r({ feature: 'tools', case: 'tools-parallel', check: 'semantic.tool-args', level: 'semantic', status: 'fail', message: 'arguments | not JSON', findings: [{ path: '/choices/0/message/tool_calls/0/function/arguments', expected: 'JSON text', received: '"{city:"', severity: 'must', note: 'truncated' }] }),
  r({ feature: 'vision', case: 'vision-url', check: 'wire.status', level: 'wire', status: 'unsupported', message: '400: image_url not supported' }),
  r({ feature: 'embeddings', model: 'text-embedding-004', case: 'emb-basic', operation: undefined, check: 'wire.status', level: 'wire', status: 'error', message: 'timeout after 30000 ms' } as Partial<CheckResult>),
  r({ feature: 'structured-output', case: 'so-json', check: 'semantic.json-output', level: 'semantic', status: 'xfail', message: 'output not JSON', expectation: 'https://issuetracker.example/1' }),
  r({ feature: 'structured-output', case: 'so-schema', check: 'semantic.json-schema', level: 'semantic', status: 'xpass', message: 'ok', expectation: 'https://issuetracker.example/2' }),
  r({ feature: 'models', case: 'models-list', model: '', check: 'schema.model-list', status: 'skip', message: 'filtered out' }),
  r({ target: 'openai', model: 'gpt-4o-mini', case: 'chat-basic' }),
  r({ target: 'openai', model: 'gpt-4o-mini', case: 'chat-basic', transport: 'streaming', check: 'semantic.stream-agrees', level: 'semantic', status: 'fail', message: 'finish_reason differs\nbetween transports', findings: [{ path: '/choices/0/finish_reason', expected: '"stop"', received: 'null', severity: 'must' }] }),
  r({ target: 'openai', model: 'gpt-4o-mini', feature: 'tools', case: 'tools-forced', check: 'schema.tool-call', status: 'fail', message: 'tool_calls missing' }),
  r({ target: 'openai', model: 'gpt-4o-mini', feature: 'streaming', case: 'stream-usage', transport: 'streaming', check: 'semantic.usage' }),
];

const INPUT: ReportInput = {
  tool: { name: 'oai-compat', version: '0.1.0' },
  startedAt: '2025-06-01T10:00:00.000Z',
  finishedAt: '2025-06-01T10:02:30.000Z',
  targets: TARGETS,
  provenance: { node: 'v20.18.1', openai: '6.49.0', fixtures: { digest: `sha256:${'0f'.repeat(32)}`, cases: 9 } },
  results: SAMPLE,
};

describe('cellStatus', () => {
  const cases: Array<[string, CheckResult[], CellVerdict]> = [
    ['no result', [], { status: 'untested', warnings: 0, notes: [] }],
    ['skip only', [r({ status: 'skip' }), r({ transport: 'streaming', status: 'skip' })], { status: 'untested', warnings: 0, notes: [] }],
    ['all pass, skips ignored', [r({}), r({ check: 'b', status: 'skip' }), r({ case: 'other', status: 'skip' })], { status: 'pass', warnings: 0, notes: [] }],
    ['warn counts as a marker', [r({}), r({ check: 'b', status: 'warn' }), r({ case: 'c2', status: 'warn' })], { status: 'pass', warnings: 2, notes: [] }],
    ['xfail counts as pass', [r({ status: 'xfail' })], { status: 'pass', warnings: 0, notes: [] }],
    ['xpass counts as pass and is noted', [r({}), r({ case: 'c2', check: 'b', status: 'xpass' })], { status: 'pass', warnings: 0, notes: ['c2 [blocking]: xpass (b)'] }],
    ['some tests fail', [r({ case: 'c1' }), r({ case: 'c2', check: 'x', status: 'fail' }), r({ case: 'c2', check: 'w', status: 'fail' })], { status: 'partial', warnings: 0, notes: ['c2 [blocking]: fail (w, x)'] }],
    ['transports are separate tests', [r({}), r({ transport: 'streaming', status: 'fail' })], { status: 'partial', warnings: 0, notes: ['chat-basic [streaming]: fail (schema.chat-completion)'] }],
    ['models are separate tests, named when several', [r({ model: 'a' }), r({ model: 'b', status: 'fail' })], { status: 'partial', warnings: 0, notes: ['chat-basic [blocking, b]: fail (schema.chat-completion)'] }],
    ['no test passes', [r({ status: 'fail' }), r({ case: 'c2', status: 'error' }), r({ case: 'c3', status: 'unsupported' })], { status: 'fail', warnings: 0, notes: ['c2 [blocking]: error (schema.chat-completion)', 'c3 [blocking]: unsupported (schema.chat-completion)', 'chat-basic [blocking]: fail (schema.chat-completion)'] }],
    ['fail outweighs error within a test', [r({ check: 'a', status: 'error' }), r({ check: 'b', status: 'fail' }), r({ case: 'c2' })], { status: 'partial', warnings: 0, notes: ['chat-basic [blocking]: fail (b), error (a)'] }],
    ['an erroring test, the others pass', [r({}), r({ case: 'c2', status: 'error' })], { status: 'error', warnings: 0, notes: ['c2 [blocking]: error (schema.chat-completion)'] }],
    ['all unsupported', [r({ status: 'unsupported' }), r({ case: 'c2', status: 'unsupported' })], { status: 'unsupported', warnings: 0, notes: [] }],
    ['unsupported beside pass', [r({ case: 'c1' }), r({ case: 'c2', status: 'unsupported' })], { status: 'partial', warnings: 0, notes: ['c2 [blocking]: unsupported (schema.chat-completion)'] }],
    ['unsupported outweighs pass within a test', [r({ check: 'a' }), r({ check: 'b', status: 'unsupported' })], { status: 'unsupported', warnings: 0, notes: [] }],
  ];
  test.for(cases)('%s', ([, results, expected]) => {
    expect(cellStatus(results)).toEqual(expected);
  });

  test('reaches every cell status', () => {
    expect(new Set(cases.map(([, , v]) => v.status))).toEqual(new Set(CELL_STATUSES));
  });
});

describe('buildReport', () => {
  const report = buildReport(INPUT);

  test('is valid against schemas/report.schema.json', () => {
    expect(validate(report), ajv.errorsText(validate.errors)).toBe(true);
  });

  test('computes the matrix, by target and by model', () => {
    expect(report.matrix).toEqual({
      models: { gemini: 'untested', openai: 'untested' },
      chat: { gemini: 'pass', openai: 'partial' },
      thinking: { gemini: 'untested', openai: 'untested' },
      streaming: { gemini: 'untested', openai: 'pass' },
      tools: { gemini: 'partial', openai: 'fail' },
      vision: { gemini: 'unsupported', openai: 'untested' },
      audio: { gemini: 'untested', openai: 'untested' },
      'structured-output': { gemini: 'pass', openai: 'untested' },
      embeddings: { gemini: 'error', openai: 'untested' },
      batch: { gemini: 'untested', openai: 'untested' },
      images: { gemini: 'untested', openai: 'untested' },
      'extra-body': { gemini: 'untested', openai: 'untested' },
      errors: { gemini: 'untested', openai: 'untested' },
    });
    expect(report.matrixByModel.chat).toEqual({ 'gemini/gemini-2.5-flash': 'pass', 'openai/gpt-4o-mini': 'partial' });
    expect(report.matrixByModel.models).toEqual({ 'gemini/': 'untested' });
    expect(report.matrixByModel.embeddings).toEqual({ 'gemini/text-embedding-004': 'error' });
    expect(report.cells).toHaveLength(FEATURE_IDS.length * 2 + 9);
    expect(report.cells.find((c) => c.feature === 'chat' && c.target === 'gemini' && !c.model)).toMatchObject({
      status: 'pass',
      warnings: 1,
      counts: { pass: 2, warn: 1, fail: 0 },
    });
    expect(report.summary).toEqual({
      counts: { pass: 5, warn: 1, fail: 3, unsupported: 1, error: 1, skip: 1, xfail: 1, xpass: 1 },
      exitCode: 1,
    });
  });

  test('keeps only the schema fields of each result', () => {
    expect(report.results.find((x) => x.case === 'emb-basic')).not.toHaveProperty('operation');
  });

  test('exit code 0 when nothing fails or errors', () => {
    const calm = buildReport({ ...INPUT, results: SAMPLE.filter((x) => x.status !== 'fail' && x.status !== 'error') });
    expect(calm.summary.exitCode).toBe(0);
  });

  test('results are sorted the same whatever the input order', () => {
    const reversed = buildReport({ ...INPUT, results: [...SAMPLE].reverse() });
    const shuffled = buildReport({ ...INPUT, results: [...SAMPLE.slice(7), ...SAMPLE.slice(0, 7)] });
    expect(JSON.stringify(reversed)).toBe(JSON.stringify(report));
    expect(JSON.stringify(shuffled)).toBe(JSON.stringify(report));
    expect(report.results.slice(0, 4).map((x) => [x.target, x.feature, x.case, x.transport, x.check])).toEqual([
      ['gemini', 'chat', 'chat-basic', 'blocking', 'schema.chat-completion'],
      ['gemini', 'chat', 'chat-basic', 'blocking', 'schema.refusal'],
      ['gemini', 'chat', 'chat-basic', 'streaming', 'wire.sse-framing'],
      ['gemini', 'embeddings', 'emb-basic', 'blocking', 'wire.status'],
    ]);
  });

  test('a target found only in results still gets a column, after the declared ones', () => {
    const extra = buildReport({ ...INPUT, results: [...SAMPLE, r({ target: 'aaa' })] });
    expect(Object.keys(extra.matrix.chat)).toEqual(['gemini', 'openai', 'aaa']);
  });
});

describe('report schema', () => {
  const report = buildReport(INPUT);

  test('its enums are the ones of src/core/types.ts', () => {
    expect(schema.$defs.checkStatus.enum).toEqual([...CHECK_STATUSES]);
    expect(schema.$defs.cellStatus.enum).toEqual([...CELL_STATUSES]);
    expect(schema.$defs.featureId.enum).toEqual([...FEATURE_IDS]);
  });

  const broken: Array<[string, (copy: Record<string, any>) => void]> = [
    ['an unknown check status', (c) => (c.results[0].status = 'passed')],
    ['a missing schemaVersion', (c) => delete c.schemaVersion],
    ['another schemaVersion', (c) => (c.schemaVersion = 2)],
    ['an unknown cell status', (c) => (c.matrix.chat.gemini = 'ok')],
    ['an unknown feature', (c) => (c.matrix.telepathy = {})],
    ['a key in a target', (c) => (c.targets[0].apiKey = 'sk-test')],
    ['a partial cell without a note', (c) => (c.cells.find((x: { status: string }) => x.status === 'partial').notes = [])],
    ['a bad timestamp', (c) => (c.startedAt = 'yesterday')],
  ];
  test.for(broken)('rejects %s', ([, breakIt]) => {
    const copy = structuredClone(report) as Record<string, any>;
    breakIt(copy);
    expect(validate(copy)).toBe(false);
  });
});

describe('renderers', () => {
  const report = buildReport(INPUT);

  test('markdown', () => {
    expect(renderMarkdown(report)).toMatchInlineSnapshot(`
      "# OpenAI compatibility report

      - Tool: oai-compat 0.1.0, openai SDK 6.49.0, Node v20.18.1
      - Started: 2025-06-01T10:00:00.000Z, finished: 2025-06-01T10:02:30.000Z
      - Fixtures: \`sha256:0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f (9 cases)\`
      - Results: 5 pass, 1 warn, 3 fail, 1 unsupported, 1 error, 1 skip, 1 xfail, 1 xpass (exit code 1)
      - Features really judged: 4 of 13 (a feature is judged when at least one check gave a verdict; unsupported, skip and error give none)
      - Targets:
        - \`gemini\`: https://generativelanguage.googleapis.com/v1beta/openai/ (replay); models: chat=\`gemini-2.5-flash\`, embedding=\`text-embedding-004\`
        - \`openai\`: https://api.openai.com/v1 (replay); models: chat=\`gpt-4o-mini\`

      ## Matrix

      | feature | gemini | openai |
      |---|---|---|
      | models | — untested | — untested |
      | chat | ⚠️ pass (1 warning) | 🟡 partial |
      | thinking | — untested | — untested |
      | streaming | — untested | ✅ pass |
      | tools | 🟡 partial | ❌ fail |
      | vision | ⛔ unsupported | — untested |
      | audio | — untested | — untested |
      | structured-output | ✅ pass | — untested |
      | embeddings | 💥 error | — untested |
      | batch | — untested | — untested |
      | images | — untested | — untested |
      | extra-body | — untested | — untested |
      | errors | — untested | — untested |

      Legend:

      - ✅ pass: every \`must\` check passes or fails as expected (xfail)
      - ⚠️ pass with warnings: a \`should\` check failed
      - 🟡 partial: some cases fail, others pass
      - ❌ fail: no case passes
      - ⛔ unsupported: the endpoint declines the feature clearly
      - 💥 error: transport trouble (timeout, reset, 5xx, unparseable answer)
      - — untested: no result

      ## By model: \`gemini\`

      | feature | (no model) | gemini-2.5-flash | text-embedding-004 |
      |---|---|---|---|
      | models | — untested | — untested | — untested |
      | chat | — untested | ⚠️ pass (1 warning) | — untested |
      | thinking | — untested | — untested | — untested |
      | streaming | — untested | — untested | — untested |
      | tools | — untested | 🟡 partial | — untested |
      | vision | — untested | ⛔ unsupported | — untested |
      | audio | — untested | — untested | — untested |
      | structured-output | — untested | ✅ pass | — untested |
      | embeddings | — untested | — untested | 💥 error |
      | batch | — untested | — untested | — untested |
      | images | — untested | — untested | — untested |
      | extra-body | — untested | — untested | — untested |
      | errors | — untested | — untested | — untested |

      ## By model: \`openai\`

      | feature | gpt-4o-mini |
      |---|---|
      | models | — untested |
      | chat | 🟡 partial |
      | thinking | — untested |
      | streaming | ✅ pass |
      | tools | ❌ fail |
      | vision | — untested |
      | audio | — untested |
      | structured-output | — untested |
      | embeddings | — untested |
      | batch | — untested |
      | images | — untested |
      | extra-body | — untested |
      | errors | — untested |

      ## Compatibility profile

      ### \`gemini\`

      | feature | models | claimed | observed | | why |
      |---|---|---|---|---|---|
      | chat | gemini-2.5-flash | not documented | ✅ pass | not documented |  |
      | tools | gemini-2.5-flash | not documented | 🟡 partial | not documented | tools-parallel [blocking]: fail (semantic.tool-args) |
      | vision | gemini-2.5-flash | not documented | ⛔ unsupported | not documented |  |
      | structured-output | gemini-2.5-flash | not documented | ✅ pass | not documented | so-schema [blocking]: xpass (semantic.json-schema) |
      | embeddings | text-embedding-004 | not documented | 💥 error | not judged | emb-basic [blocking]: error (wire.status) |

      ### \`openai\`

      | feature | models | claimed | observed | | why |
      |---|---|---|---|---|---|
      | chat | gpt-4o-mini | not documented | 🟡 partial | not documented | chat-basic [streaming]: fail (semantic.stream-agrees) |
      | streaming | gpt-4o-mini | not documented | ✅ pass | not documented |  |
      | tools | gpt-4o-mini | not documented | ❌ fail | not documented | tools-forced [blocking]: fail (schema.tool-call) |

      ## Notes

      - chat × \`openai\` (partial): chat-basic [streaming]: fail (semantic.stream-agrees)
      - tools × \`gemini\` (partial): tools-parallel [blocking]: fail (semantic.tool-args)
      - tools × \`openai\` (fail): tools-forced [blocking]: fail (schema.tool-call)
      - structured-output × \`gemini\` (pass): so-schema [blocking]: xpass (semantic.json-schema)
      - embeddings × \`gemini\` (error): emb-basic [blocking]: error (wire.status)

      ## Failures (4)

      | target | model | feature | case | step | transport | check | status | details |
      |---|---|---|---|---|---|---|---|---|
      | gemini | text-embedding-004 | embeddings | emb-basic | create | blocking | wire.status | error | timeout after 30000 ms |
      | gemini | gemini-2.5-flash | tools | tools-parallel | create | blocking | semantic.tool-args | fail | /choices/0/message/tool_calls/0/function/arguments: expected JSON text, received "{city:" (truncated) |
      | openai | gpt-4o-mini | chat | chat-basic | create | streaming | semantic.stream-agrees | fail | /choices/0/finish_reason: expected "stop", received null |
      | openai | gpt-4o-mini | tools | tools-forced | create | blocking | schema.tool-call | fail | tool_calls missing |

      ## Declined without documentation (unsupported, not judged) (1)

      | target | model | feature | case | step | transport | check | status | details |
      |---|---|---|---|---|---|---|---|---|
      | gemini | gemini-2.5-flash | vision | vision-url | create | blocking | wire.status | unsupported | 400: image_url not supported |

      ## Warnings (1)

      | target | model | feature | case | step | transport | check | status | details |
      |---|---|---|---|---|---|---|---|---|
      | gemini | gemini-2.5-flash | chat | chat-basic | create | blocking | schema.refusal | warn | /choices/0/message/refusal: expected present (null), received absent |

      ## Unexpected passes (1)

      | target | model | feature | case | step | transport | check | status | details |
      |---|---|---|---|---|---|---|---|---|
      | gemini | gemini-2.5-flash | structured-output | so-schema | create | blocking | semantic.json-schema | xpass | ok<br>expectation: https://issuetracker.example/2 |
      "
    `);
  });

  test('terminal, without colour', () => {
    expect(renderTerminal(report, { color: false, reportPath: 'compat-report/report.md' })).toMatchInlineSnapshot(`
      "oai-compat 0.1.0, openai SDK 6.49.0, Node v20.18.1 · 2025-06-01T10:00:00.000Z → 2025-06-01T10:02:30.000Z · fixtures sha256:0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f (9 cases)
        gemini: https://generativelanguage.googleapis.com/v1beta/openai/ (replay); models: chat=gemini-2.5-flash, embedding=text-embedding-004
        openai: https://api.openai.com/v1 (replay); models: chat=gpt-4o-mini

      feature            gemini         openai
      models             untested       untested
      chat               pass (1 warn)  partial
      thinking           untested       untested
      streaming          untested       pass
      tools              partial        fail
      vision             unsupported    untested
      audio              untested       untested
      structured-output  pass           untested
      embeddings         error          untested
      batch              untested       untested
      images             untested       untested
      extra-body         untested       untested
      errors             untested       untested

      Failures:
        ERROR gemini text-embedding-004 embeddings/emb-basic/create [blocking] wire.status: timeout after 30000 ms
        FAIL gemini gemini-2.5-flash tools/tools-parallel/create [blocking] semantic.tool-args
            /choices/0/message/tool_calls/0/function/arguments: expected JSON text, received "{city:"
        FAIL openai gpt-4o-mini chat/chat-basic/create [streaming] semantic.stream-agrees
            /choices/0/finish_reason: expected "stop", received null
        FAIL openai gpt-4o-mini tools/tools-forced/create [blocking] schema.tool-call: tool_calls missing

      5 pass, 1 warn, 3 fail, 1 unsupported, 1 error, 1 skip, 1 xfail, 1 xpass · exit code 1 · details: compat-report/report.md
      "
    `);
  });

  test('terminal colour changes nothing but ANSI codes', () => {
    const coloured = renderTerminal(report, { color: true });
    expect(coloured).toContain('\x1b[31m');
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(renderTerminal(report, { color: false }));
  });

  test(`terminal lists at most ${MAX_FAILURES} failures`, () => {
    const many = Array.from({ length: 25 }, (_, i) => r({ case: `c${String(i).padStart(2, '0')}`, status: 'fail' }));
    const text = renderTerminal(buildReport({ ...INPUT, results: many }), { color: false });
    expect(text).toContain(`Failures (first ${MAX_FAILURES} of 25):`);
    expect(text).toContain('c19/');
    expect(text).not.toContain('c20/');
  });
});

test('writeReport writes report.json, report.md and report.html', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'oai-compat-write-'));
  try {
    const report = buildReport(INPUT);
    const out = join(dir, 'nested', 'out');
    expect(await writeReport(report, out)).toEqual({ json: join(out, 'report.json'), markdown: join(out, 'report.md'), html: join(out, 'report.html') });
    expect(await readFile(join(out, 'report.json'), 'utf8')).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(await readFile(join(out, 'report.md'), 'utf8')).toBe(renderMarkdown(report));
    expect(await readFile(join(out, 'report.html'), 'utf8')).toBe(renderHtml(report));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

describe('provenance', () => {
  test('the fixture digest is stable, and changes with any case content', () => {
    const digest = fixturesDigest(CASES, {});
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fixturesDigest([...CASES].reverse(), {})).toBe(digest);
    const changed = CASES.map((c, i) => (i === 0 ? { ...c, description: `${c.description}!` } : c));
    expect(fixturesDigest(changed, {})).not.toBe(digest);
    expect(fixturesDigest(CASES, { m: { mime: 'image/png', base64: 'AA==', data_url: 'data:image/png;base64,AA==' } })).not.toBe(digest);
  });

  test('every rendered header names the tool, SDK and Node versions and the fixture digest', () => {
    const report = buildReport(INPUT);
    for (const text of [renderMarkdown(report), renderTerminal(report, { color: false })]) {
      expect(text).toContain('oai-compat 0.1.0, openai SDK 6.49.0, Node v20.18.1');
      expect(text).toContain(`sha256:${'0f'.repeat(32)} (9 cases)`);
    }
  });
});
