/**
 * validate on Google's real traffic: its findings agree with ../shared/notes/gemini-observed-shapes.md
 * (section numbers below), flag what the notes call a deviation, and leave alone what the notes
 * say matches OpenAI. The recordings sit beside the repo, not in a user's clone: skipped then.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { CheckResult, Finding } from '../src/core/types.js';
import { judgeCaptured } from '../src/passive/judge.js';
import { readCaptures } from '../src/passive/read.js';
import { ROOT } from './support/env.js';

const GEMINI_DIR = path.join(ROOT, '..', 'shared', 'recordings', 'har', 'gemini');
const available = existsSync(GEMINI_DIR);

type Found = Finding & { check: string };

describe.skipIf(!available)(
  available ? `Gemini recordings agree with the observed shapes (${GEMINI_DIR})` : `Gemini recordings: skipped, ${GEMINI_DIR} is not present (outside the repo)`,
  () => {
    /** Results per `<file name> #<entry>` (or `:<line>`). */
    const byExchange = new Map<string, CheckResult[]>();
    const findings = (key: string): Found[] => (byExchange.get(key) ?? []).flatMap((r) => (r.findings ?? []).map((f) => ({ check: r.check, ...f })));
    const keys = (pattern: RegExp) => [...byExchange.keys()].filter((k) => pattern.test(k));

    beforeAll(async () => {
      for (const c of readCaptures([GEMINI_DIR])) {
        const key = `${path.basename(c.source.file)}${'entry' in c.source ? ` #${c.source.entry}` : `:${c.source.line}`}`;
        byExchange.set(key, (await judgeCaptured(c)).results);
      }
    });

    test('every recording is read and judged', () => {
      expect(byExchange.size).toBe(15); // 13 HAR entries and 2 batch output lines
      expect(keys(/magentic__stream-/)).toHaveLength(8);
    });

    test('§7.1: the 2025-03 stream chunks carry no id', () => {
      for (const key of keys(/magentic__stream-/)) {
        expect(findings(key), key).toContainEqual(expect.objectContaining({ check: 'schema.chunks', path: 'chunk 0:/id', severity: 'must' }));
      }
    });

    test('§8: usage rides on every chunk: flagged as should (clients that sum it over-count), never summed', () => {
      for (const key of keys(/magentic__stream-text/)) {
        const usage = findings(key).filter((f) => f.check === 'semantic.stream-usage');
        expect(usage, key).toContainEqual(expect.objectContaining({ path: 'sse:usage', severity: 'should' }));
        expect(usage.filter((f) => f.severity === 'must'), key).toEqual([]);
      }
    });

    test('§4: streamed tool calls carry no index: the schema says so, and the SDK stream helper loses the call', () => {
      for (const key of keys(/magentic__stream-tool/)) {
        const f = findings(key);
        expect(f, key).toContainEqual(expect.objectContaining({ check: 'schema.chunks', path: 'chunk 0:/choices/0/delta/tool_calls/0/index', severity: 'must' }));
        expect(f, key).toContainEqual(expect.objectContaining({ check: 'sdk.stream-reassembly', path: '/choices/0/message/tool_calls', severity: 'must' }));
      }
    });

    test('§4: tool-call ids are empty in 2025 (should), and a function-call-<digits> id in 2026 is fine', () => {
      expect(findings('pydantic-ai__tool-calls-without-id__gemini-2.5-pro-preview-05-06__2025-06.har #0')).toContainEqual(
        expect.objectContaining({ check: 'semantic.tool-call-shape', path: '/choices/0/message/tool_calls/0/id', received: '""', severity: 'should' }),
      );
      const tool2026 = byExchange.get('pydantic-ai__tool-calls-without-id__gemini-2.5-pro__2026-01.har #0')!.find((r) => r.check === 'semantic.tool-call-shape');
      expect(tool2026?.status).toBe('pass');
    });

    test('§2: hidden thinking tokens in total_tokens are a should finding; a total that adds up is none', () => {
      for (const key of ['pydantic-ai__tool-calls-without-id__gemini-2.5-pro-preview-05-06__2025-06.har #0', 'pydantic-ai__tool-calls-without-id__gemini-2.5-pro-preview-05-06__2025-06.har #1', 'pydantic-ai__tool-calls-without-id__gemini-2.5-pro__2026-01.har #0']) {
        expect(findings(key).filter((f) => f.check === 'semantic.usage-arithmetic'), key).toEqual([expect.objectContaining({ path: '/usage/total_tokens', severity: 'should' })]);
      }
      expect(findings('pydantic-ai__tool-calls-without-id__gemini-2.5-pro__2026-01.har #1').filter((f) => f.check === 'semantic.usage-arithmetic')).toEqual([]);
    });

    test('§1, §8 (missing OpenAI fields, absent instead of null): blocking chat bodies get should findings only', () => {
      for (const key of keys(/^(pydantic-ai|helicone)/)) {
        const f = findings(key);
        expect(f.filter((x) => x.severity === 'must'), key).toEqual([]);
        expect(f, key).toContainEqual(expect.objectContaining({ check: 'schema.response', path: '/choices/0/message/refusal', severity: 'should' }));
      }
    });

    test('§13: what matches OpenAI is not flagged: [DONE], finish_reason stop with a forced tool, roles, tool types', () => {
      for (const key of keys(/magentic__stream-/)) {
        const results = byExchange.get(key)!;
        expect(results.find((r) => r.check === 'wire.sse-done')?.status, key).toBe('pass');
        expect(results.find((r) => r.check === 'wire.sse-framing')?.status, key).toBe('pass');
        const paths = findings(key).map((f) => f.path);
        expect(paths.some((p) => /finish_reason|role|\/type$/.test(p) && !/chunk \d+:\/choices\/0\/finish_reason/.test(p)), key).toBe(false);
      }
    });

    test('§9: batch output lines: no line id, created as a string, Google casing (no finish_reason, no usage tokens)', () => {
      for (const line of [1, 2]) {
        const f = findings(`cookbook-batch-output-lines.jsonl:${line}`).filter((x) => x.check === 'schema.response');
        const at = (p: string) => expect.objectContaining({ path: `line ${line}:${p}`, severity: 'must' });
        expect(f).toEqual(expect.arrayContaining([at('/id'), at('/response/body/created'), at('/response/body/choices/0/finish_reason'), at('/response/body/usage/prompt_tokens')]));
      }
    });

    test('what the captures cannot say is not judged: the Helicone stub has no real request', () => {
      const stub = byExchange.get('helicone-ai-gateway__wiremock-stub__chat-completion-success.har #0')!;
      const notJudged = stub.filter((r) => r.status === 'skip');
      expect(notJudged.length).toBeGreaterThan(0);
      for (const r of notJudged) expect(r.message).toMatch(/^not judged: the capture holds no real request/);
    });
  },
);
