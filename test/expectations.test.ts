import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { CHECK_IDS } from '../src/checks/index.js';
import type { CheckResult } from '../src/core/types.js';
import { applyExpectations, loadExpectations } from '../src/expectations/apply.js';
import type { Expectation } from '../src/types/generated/expectations.js';
import { CASES, ROOT } from './support/env.js';

const known = (targetId: string) => ({ targetId, caseIds: new Set(CASES.map((c) => c.id)), checkIds: CHECK_IDS });

const result = (over: Partial<CheckResult>): CheckResult => ({
  target: 'gemini', model: 'gemini-2.5-flash', feature: 'errors', case: 'errors-bad-api-key', step: 'ask', check: 'schema.error',
  level: 'schema', severity: 'must', transport: 'blocking', status: 'fail', message: 'm', durationMs: 1, ...over,
});

describe('applying expectations', () => {
  const expectations: Expectation[] = [
    { case: 'errors-bad-api-key', check: 'schema.error', expected: ['fail'], link: 'https://example.com/bug' },
    { case: 'tools-get-weather-auto', transport: 'streaming', expected: ['fail', 'pass'], link: 'https://example.com/flaky' },
    { case: 'chat-system-user', models: ['other-model'], expected: ['fail'], link: 'https://example.com/model' },
  ];

  test('a known failure becomes xfail and keeps its link', () => {
    const [r] = applyExpectations([result({})], expectations);
    expect(r).toMatchObject({ status: 'xfail', expectation: 'https://example.com/bug' });
  });

  test('an unexpected pass becomes xpass', () => {
    expect(applyExpectations([result({ status: 'pass' })], expectations)[0]!.status).toBe('xpass');
  });

  test('a known intermittent passes quietly or fails as xfail', () => {
    const base = { case: 'tools-get-weather-auto', transport: 'streaming' as const, check: 'sdk.stream-reassembly' };
    expect(applyExpectations([result({ ...base, status: 'pass' })], expectations)[0]!.status).toBe('pass');
    expect(applyExpectations([result({ ...base, status: 'fail' })], expectations)[0]!.status).toBe('xfail');
    expect(applyExpectations([result({ ...base, transport: 'blocking', status: 'fail' })], expectations)[0]!.status).toBe('fail');
  });

  test('a known unsupported feature stays unsupported, with the link', () => {
    const e: Expectation[] = [{ case: 'batch-chat-lifecycle', step: 'upload', expected: ['unsupported'], link: 'https://example.com/doc' }];
    const [r] = applyExpectations([result({ case: 'batch-chat-lifecycle', step: 'upload', check: 'wire.status', status: 'unsupported' })], e);
    expect(r).toMatchObject({ status: 'unsupported', expectation: 'https://example.com/doc' });
  });

  test('a status not expected stays as it is, and the model condition is honoured', () => {
    expect(applyExpectations([result({ status: 'error' })], expectations)[0]!.status).toBe('error');
    expect(applyExpectations([result({ case: 'chat-system-user', check: 'wire.status' })], expectations)[0]!.status).toBe('fail');
    expect(applyExpectations([result({ case: 'chat-system-user', check: 'wire.status', model: 'other-model' })], expectations)[0]!.status).toBe('xfail');
  });
});

describe('expectation files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oai-expect-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the gemini expectations name real cases and checks', () => {
    const loaded = loadExpectations(path.join(ROOT, 'expectations', 'gemini.yaml'), 'expectations/gemini.yaml', known('gemini'));
    expect(loaded.length).toBeGreaterThan(3);
  });

  test.for([
    { text: 'target: gemini\nexpectations:\n  - { case: no-such-case, expected: [fail], link: "https://x.dev" }\n', message: 'field /expectations/0/case names unknown case "no-such-case"' },
    { text: 'target: gemini\nexpectations:\n  - { case: chat-system-user, expected: [fail] }\n', message: 'field /expectations/0/link' },
    { text: 'target: openai\nexpectations: []\n', message: 'it is for target "openai", but the run is against "gemini"' },
  ])('a bad file is refused: $message', ({ text, message }) => {
    const file = path.join(dir, 'e.yaml');
    writeFileSync(file, text);
    expect(() => loadExpectations(file, 'e.yaml', known('gemini'))).toThrow(message);
  });
});
