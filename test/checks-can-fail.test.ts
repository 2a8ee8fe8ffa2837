import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHECKS } from '../src/checks/index.js';
import type { CheckResult, Transport } from '../src/core/types.js';
import { startReferenceServer, type RunningServer } from '../src/server/index.js';
import { runCase } from '../src/runner/run-case.js';
import { CASES, caseById, makeEnv, referenceTarget, runBoth } from './support/env.js';

/**
 * Every check must be able to fail. For each check: a reference-server fault that breaks it,
 * the case and transport that meet the fault, and the status the check must then report
 * (`warn` for findings that are only `should`).
 */
const PROOFS: { check: string; fault: string; case: string; transport: Transport; expect: 'fail' | 'warn' }[] = [
  { check: 'wire.status', fault: 'auth-ignored', case: 'errors-bad-api-key', transport: 'blocking', expect: 'fail' },
  { check: 'wire.content-type', fault: 'json-content-type', case: 'chat-system-user', transport: 'blocking', expect: 'fail' },
  { check: 'wire.json-body', fault: 'garbage-body', case: 'chat-system-user', transport: 'blocking', expect: 'fail' },
  { check: 'wire.sse-framing', fault: 'sse-bad-framing', case: 'streaming-hello', transport: 'streaming', expect: 'fail' },
  { check: 'wire.sse-done', fault: 'sse-no-done', case: 'streaming-hello', transport: 'streaming', expect: 'fail' },
  { check: 'schema.response', fault: 'created-string', case: 'chat-system-user', transport: 'blocking', expect: 'fail' },
  { check: 'schema.chunks', fault: 'tool-delta-no-index', case: 'tools-get-weather-auto', transport: 'streaming', expect: 'fail' },
  { check: 'schema.error', fault: 'error-array', case: 'errors-unknown-model', transport: 'blocking', expect: 'fail' },
  { check: 'sdk.result', fault: 'json-content-type', case: 'embeddings-single-input', transport: 'blocking', expect: 'fail' },
  { check: 'sdk.parse-helper', fault: 'empty-content', case: 'structured-parse-helper', transport: 'blocking', expect: 'fail' },
  { check: 'sdk.error', fault: 'error-array', case: 'errors-bad-api-key', transport: 'blocking', expect: 'fail' },
  { check: 'sdk.stream-reassembly', fault: 'tool-delta-no-index', case: 'tools-get-weather-auto', transport: 'streaming', expect: 'fail' },
  { check: 'semantic.assistant-content', fault: 'empty-content', case: 'chat-system-user', transport: 'streaming', expect: 'fail' },
  { check: 'semantic.finish-reason', fault: 'finish-reason-stop', case: 'tools-get-weather-auto', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.usage', fault: 'usage-missing', case: 'streaming-include-usage', transport: 'streaming', expect: 'fail' },
  { check: 'semantic.stream-agrees', fault: 'stream-disagrees', case: 'chat-system-user', transport: 'streaming', expect: 'fail' },
  { check: 'semantic.reasoning-budget', fault: 'reasoning-over-budget', case: 'thinking-reasoning-effort-low', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.thought-summary', fault: 'no-thoughts', case: 'extra-body-include-thoughts', transport: 'streaming', expect: 'fail' },
  { check: 'semantic.tool-call', fault: 'tool-args-invalid', case: 'tools-get-weather-auto', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.json-output', fault: 'json-output-invalid', case: 'structured-json-schema', transport: 'streaming', expect: 'fail' },
  { check: 'semantic.embeddings', fault: 'embedding-wrong-dimensions', case: 'embeddings-several-inputs', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.image-data', fault: 'image-not-image', case: 'images-generate-b64', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.model-id', fault: 'model-id-mismatch', case: 'models-retrieve', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.model-list', fault: 'models-prefix', case: 'models-list', transport: 'blocking', expect: 'warn' },
  { check: 'semantic.batch-status', fault: 'batch-fails', case: 'batch-chat-lifecycle', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.batch-results', fault: 'batch-lost-line', case: 'batch-chat-lifecycle', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.usage-arithmetic', fault: 'usage-mismatch', case: 'chat-system-user', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.stream-constancy', fault: 'stream-id-changes', case: 'streaming-hello', transport: 'streaming', expect: 'fail' },
  { check: 'semantic.stream-choices', fault: 'stream-double-finish', case: 'streaming-hello', transport: 'streaming', expect: 'fail' },
  { check: 'semantic.stream-usage', fault: 'usage-after-done', case: 'streaming-include-usage', transport: 'streaming', expect: 'fail' },
  { check: 'semantic.tool-call-shape', fault: 'tool-name-undeclared', case: 'tools-get-weather-auto', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.tool-call-deltas', fault: 'tool-delta-no-index', case: 'tools-get-weather-auto', transport: 'streaming', expect: 'fail' },
  { check: 'semantic.tool-choice-honoured', fault: 'tool-choice-ignored', case: 'tools-choice-none', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.choice-count', fault: 'n-ignored', case: 'chat-n-two', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.token-limit', fault: 'max-tokens-ignored', case: 'chat-max-tokens', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.stop-sequence', fault: 'stop-ignored', case: 'chat-stop-sequence', transport: 'streaming', expect: 'fail' },
  { check: 'semantic.thoughts-requested', fault: 'thoughts-unrequested', case: 'thinking-reasoning-effort-low', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.refusal', fault: 'refusal-in-content', case: 'structured-refusal', transport: 'streaming', expect: 'fail' },
  { check: 'semantic.thought-signature', fault: 'thought-signature-missing', case: 'thinking-thought-signatures', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.embeddings-agree', fault: 'embeddings-base64-big-endian', case: 'embeddings-base64-matches-float', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.batch-counts', fault: 'batch-counts-inconsistent', case: 'batch-chat-lifecycle', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.list-contains', fault: 'batches-list-empty', case: 'batch-list-and-cancel', transport: 'blocking', expect: 'fail' },
  { check: 'semantic.answer-mentions', fault: 'image-misread', case: 'vision-red-square-is-red', transport: 'streaming', expect: 'fail' },
];

function brief(results: CheckResult[]): string {
  return results.map((r) => `${r.step}/${r.check} [${r.transport}] ${r.status} ${r.message}`).join('\n');
}

describe('the reference server passes every case', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startReferenceServer({ port: 0 });
  });
  afterAll(() => server.close());

  test.for(CASES.map((c) => ({ id: c.id })))('$id passes every check', async ({ id }) => {
    const results = await runBoth(caseById(id), makeEnv(referenceTarget(server.baseUrl)));
    const notPassing = results.filter((r) => r.status !== 'pass');
    expect(brief(notPassing)).toBe('');
    expect(results.length).toBeGreaterThan(3);
  });
});

describe('every check fails when the server breaks it', () => {
  test('every check has a proof', () => {
    expect(CHECKS.map((c) => c.id).filter((id) => !PROOFS.some((p) => p.check === id))).toEqual([]);
  });

  test.for(PROOFS)('$check fails under fault $fault', async (proof) => {
    const server = await startReferenceServer({ port: 0, faults: [proof.fault] });
    try {
      // A streaming run compares itself with the blocking one, so that runs first.
      const results = await runBoth(caseById(proof.case), makeEnv(referenceTarget(server.baseUrl)), ['blocking', proof.transport]);
      const mine = results.filter((r) => r.check === proof.check && r.transport === proof.transport);
      expect(mine.map((r) => r.status), brief(results)).toContain(proof.expect);
      const failing = mine.find((r) => r.status === proof.expect)!;
      expect(failing.message).not.toBe('');
      expect(failing.findings?.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});

describe('endpoint trouble is an error result, and the run goes on', () => {
  test.for([
    { fault: 'http-500', case: 'chat-system-user', transport: 'blocking' as const, message: /HTTP 500/ },
    { fault: 'http-500', case: 'errors-bad-api-key', transport: 'blocking' as const, message: /HTTP 500/ },
    { fault: 'sse-truncate', case: 'streaming-hello', transport: 'streaming' as const, message: /terminated|closed|socket|aborted/i },
  ])('$fault gives error results', async ({ fault, case: id, transport, message }) => {
    const server = await startReferenceServer({ port: 0, faults: [fault] });
    try {
      const results = await runBoth(caseById(id), makeEnv(referenceTarget(server.baseUrl)), [transport]);
      expect(results.length).toBeGreaterThan(0);
      expect(results.every((r) => r.status === 'error'), brief(results)).toBe(true);
      expect(results[0]!.message).toMatch(message);
    } finally {
      await server.close();
    }
  });

  test('a garbage body fails the wire check, and the checks that need a parsed body are error', async () => {
    const server = await startReferenceServer({ port: 0, faults: ['garbage-body'] });
    try {
      const results = await runBoth(caseById('chat-system-user'), makeEnv(referenceTarget(server.baseUrl)), ['blocking']);
      expect(results.find((r) => r.check === 'wire.json-body')?.status).toBe('fail');
      const beyondWire = results.filter((r) => r.level !== 'wire');
      expect(beyondWire.length).toBeGreaterThan(2);
      expect(beyondWire.every((r) => r.status === 'error' && r.message.startsWith('not checked')), brief(beyondWire)).toBe(true);
    } finally {
      await server.close();
    }
  });

  test('a request that times out is an error naming the timeout', async () => {
    const server = await startReferenceServer({ port: 0, faults: ['slow'] });
    try {
      const env = { ...makeEnv(referenceTarget(server.baseUrl)), timeoutMs: 300 };
      const results = await runBoth(caseById('models-list'), env);
      expect(results.map((r) => r.status)).toEqual(['error', 'error']);
      expect(results[0]!.message).toMatch(/timed? ?out/i);
    } finally {
      await server.close();
    }
  });

  test('a declined feature (clean 4xx) is unsupported, not fail', async () => {
    const server = await startReferenceServer({ port: 0, faults: ['unknown-model-400'] });
    try {
      const target = { ...referenceTarget(server.baseUrl), models: { ...referenceTarget(server.baseUrl).models, image: 'no-such-image-model' } };
      const results = await runBoth(caseById('images-generate-b64'), makeEnv(target));
      expect(results.map((r) => r.status)).toEqual(['unsupported']);
      expect(results[0]!.message).toMatch(/^HTTP 400: /);
    } finally {
      await server.close();
    }
  });

  test('a 404 for the model is a configuration error, not unsupported', async () => {
    const server = await startReferenceServer({ port: 0 });
    try {
      const target = { ...referenceTarget(server.baseUrl), models: { ...referenceTarget(server.baseUrl).models, image: 'no-such-image-model' } };
      const results = await runBoth(caseById('images-generate-b64'), makeEnv(target));
      expect(results.map((r) => r.status)).toEqual(['error']);
      expect(results[0]!.message).toMatch(/^HTTP 404 for the model "no-such-image-model": .*fix models\.image in targets\/reference\.yaml or --models image=NAME/);
    } finally {
      await server.close();
    }
  });

  test('a 500 that says "not supported" is the vendor refusing the feature with the wrong status, not transient trouble', async () => {
    const server = await startReferenceServer({ port: 0, faults: ['image-input-500'] });
    try {
      const results = await runBoth(caseById('vision-image-data-url'), makeEnv(referenceTarget(server.baseUrl)), ['blocking']);
      const status = results.find((r) => r.check === 'wire.status')!;
      expect(status.status).toBe('unsupported');
      expect(status.message).toMatch(/HTTP 500: image input is not supported.*with a 5xx instead of a 4xx/);
      expect(status.findings?.[0]).toMatchObject({ path: 'status', severity: 'should' });
    } finally {
      await server.close();
    }
  });
});

describe('polling a batch', () => {
  test("a stuck batch is given up after the target's max_polls, as an error naming the bound", async () => {
    const server = await startReferenceServer({ port: 0, faults: ['batch-stuck'] });
    try {
      const results = await runBoth(caseById('batch-chat-lifecycle'), makeEnv(referenceTarget(server.baseUrl)));
      const wait = results.find((r) => r.step === 'wait' && r.check === 'wire.status')!;
      expect(wait.status).toBe('error');
      expect(wait.message).toMatch(/polling gave up after 10 polls .*status is still "in_progress"/);
    } finally {
      await server.close();
    }
  });

  test('a status outside the spec enum stops polling at once with a schema finding', async () => {
    const server = await startReferenceServer({ port: 0, faults: ['batch-status-unknown'] });
    try {
      const target = { ...referenceTarget(server.baseUrl), poll: { interval_ms: 0, max_polls: 1000 } };
      const started = performance.now();
      const results = await runBoth(caseById('batch-chat-lifecycle'), makeEnv(target));
      expect(performance.now() - started).toBeLessThan(5000);
      const wait = results.filter((r) => r.step === 'wait');
      expect(wait.find((r) => r.check === 'schema.response')).toMatchObject({ status: 'fail', message: expect.stringMatching(/status.*"running"/) });
      expect(wait.find((r) => r.check === 'semantic.batch-status')?.status).toBe('fail');
    } finally {
      await server.close();
    }
  });

  test('with resume_later, a batch still running is saved beside the recordings and verified by the next run', async () => {
    const server = await startReferenceServer({ port: 0 });
    const dir = mkdtempSync(path.join(tmpdir(), 'oai-compat-pending-'));
    try {
      const target = { ...referenceTarget(server.baseUrl), poll: { interval_ms: 0, max_polls: 1, resume_later: true } };
      const first = await runCase(caseById('batch-chat-lifecycle'), 'blocking', makeEnv(target, { recordingsDir: dir }));
      const pending = path.join(dir, 'reference', 'pending', 'batch-chat-lifecycle.blocking.json');
      expect(first.find((r) => r.step === 'wait')).toMatchObject({ check: 'case', status: 'skip', message: expect.stringMatching(/^not judged yet: polling gave up after 1 polls/) });
      expect(first.some((r) => r.step === 'results')).toBe(false);
      expect(JSON.parse(readFileSync(pending, 'utf8'))).toMatchObject({ case: 'batch-chat-lifecycle', step: 'wait' });

      const second = await runCase(caseById('batch-chat-lifecycle'), 'blocking', makeEnv(target, { recordingsDir: dir }));
      expect(second.filter((r) => r.step === 'upload' || r.step === 'create').map((r) => r.status)).toEqual(['skip', 'skip']);
      const judged = second.filter((r) => r.step === 'wait' || r.step === 'results');
      expect(judged.length).toBeGreaterThan(4);
      expect(brief(judged.filter((r) => r.status !== 'pass'))).toBe('');
      expect(existsSync(pending)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await server.close();
    }
  });
});
