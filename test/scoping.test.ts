import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Case } from '../src/fixtures/load.js';
import { withRequestDefaults } from '../src/runner/request-defaults.js';
import { startReferenceServer, type RunningServer } from '../src/server/index.js';
import { CASES, ROOT, caseById, makeEnv, referenceTarget, runBoth } from './support/env.js';

/** How a case is scoped to a target: extensions, values, waivers, request defaults, must_accept. */
describe('scoping cases to what a target offers', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startReferenceServer({ port: 0 });
  });
  afterAll(() => server.close());

  test('a target that offers no Google extension skips every Google-only case, with the reason, and runs the rest', async () => {
    const target = { ...referenceTarget(server.baseUrl), extensions: [] };
    const google = CASES.filter((c) => c.needs.length > 0);
    expect(google.length).toBeGreaterThan(10);
    for (const c of google) {
      const results = await runBoth(c, makeEnv(target));
      expect(results.map((r) => r.status), c.id).toEqual(c.transports.map(() => 'skip'));
      expect(results[0]!.message).toMatch(new RegExp(`needs the vendor extension ${c.needs[0]}, which reference does not offer \\(targets/reference.yaml: extensions\\)`));
    }
    const plain = await runBoth(caseById('chat-system-user'), makeEnv(target));
    expect(plain.every((r) => r.status === 'pass')).toBe(true);
  });

  test('OpenAI\'s own target offers no extension, so its Google-only cases are skipped without any hand-written claim', async () => {
    const { loadTarget } = await import('../src/targets/load.js');
    const openai = loadTarget('openai', `${ROOT}/targets`);
    expect(openai.extensions).toEqual([]);
    const results = await runBoth(caseById('extra-body-include-thoughts'), makeEnv({ ...openai, baseUrl: server.baseUrl }, { apiKey: 'unused' }));
    expect(results.map((r) => r.status)).toEqual(['skip', 'skip']);
  });

  test('a target naming an unknown extension is refused with the file, the field and the known ones', async () => {
    const { assertKnownExtensions } = await import('../src/targets/load.js');
    const { loadVocabulary } = await import('../src/fixtures/load.js');
    const { FIXTURES } = await import('./support/env.js');
    const target = { ...referenceTarget(server.baseUrl), extensions: ['google-thinking-config', 'google-cached-contnet'] };
    expect(() => assertKnownExtensions(target, loadVocabulary(FIXTURES).extensions)).toThrow(
      /targets\/reference\.yaml: field \/extensions\/1 names unknown extension "google-cached-contnet".*google-cached-content/,
    );
  });

  test('a case that needs a value the target does not give is skipped, naming the value', async () => {
    const target = { ...referenceTarget(server.baseUrl), values: {} };
    const results = await runBoth(caseById('extra-body-cached-content'), makeEnv(target));
    expect(results.map((r) => r.status)).toEqual(['skip', 'skip']);
    expect(results[0]!.message).toMatch(/needs \{\{values\.cached_content\}\}, which targets\/reference\.yaml does not give/);
  });

  test('a waived automatic check is reported as skip with the fixture\'s reason, and the others still run', async () => {
    const base = caseById('chat-system-user');
    const waived: Case = { ...base, steps: base.steps.map((s) => ({ ...s, waive: [{ check: 'semantic.stream-usage', reason: 'this step tests something else entirely' }] })) };
    const results = await runBoth(waived, makeEnv(referenceTarget(server.baseUrl)), ['blocking', 'streaming']);
    const usage = results.filter((r) => r.check === 'semantic.stream-usage');
    expect(usage.map((r) => [r.transport, r.status, r.message])).toEqual([['streaming', 'skip', 'waived by the fixture: this step tests something else entirely']]);
    expect(results.filter((r) => r.check !== 'semantic.stream-usage').every((r) => r.status === 'pass')).toBe(true);
  });

  test('request defaults go under every request that does not set them; max_tokens and max_completion_tokens count as one', () => {
    const defaults = { chat: { max_tokens: 256, temperature: 0 } };
    expect(withRequestDefaults({ messages: [] }, 'chat.completions.create', defaults)).toEqual({ max_tokens: 256, temperature: 0, messages: [] });
    expect(withRequestDefaults({ temperature: 1, max_completion_tokens: 9 }, 'chat.completions.parse', defaults)).toEqual({ temperature: 1, max_completion_tokens: 9 });
    expect(withRequestDefaults({ input: 'x' }, 'embeddings.create', defaults)).toEqual({ input: 'x' });
  });

  test('a target\'s request defaults reach the wire, and a run under them still passes', async () => {
    const target = { ...referenceTarget(server.baseUrl), requestDefaults: { chat: { max_tokens: 4 } } };
    const results = await runBoth(caseById('chat-system-user'), makeEnv(target), ['blocking']);
    // The cap cuts the answer: the case's own finish_reason check allows length, the token limit is honoured.
    expect(results.find((r) => r.check === 'semantic.token-limit')?.status).toBe('pass');
    expect(results.every((r) => r.status === 'pass')).toBe(true);
  });
});

describe('requests OpenAI accepts, and errors inside a stream', () => {
  test('a request OpenAI accepts, refused with a 400, is a fail on wire.status naming the answer, not unsupported', async () => {
    const server = await startReferenceServer({ port: 0, faults: ['reject-system-only'] });
    try {
      const results = await runBoth(caseById('chat-accepts-system-only'), makeEnv(referenceTarget(server.baseUrl)), ['blocking']);
      const status = results.find((r) => r.check === 'wire.status')!;
      expect(status.status).toBe('fail');
      expect(status.findings?.[0]?.received).toMatch(/^400: \* GenerateContentRequest.contents: contents is not specified/);
      expect(results.find((r) => r.check === 'semantic.assistant-content')?.status).toBe('skip');
    } finally {
      await server.close();
    }
  });

  test('an error event inside a 200 stream is an error with its message, not a parse failure', async () => {
    const server = await startReferenceServer({ port: 0, faults: ['sse-error-event'] });
    try {
      const results = await runBoth(caseById('streaming-hello'), makeEnv(referenceTarget(server.baseUrl)));
      expect(results.every((r) => r.status === 'error')).toBe(true);
      expect(results[0]!.message).toBe('the endpoint sent an error inside the 200 stream (event 1): The server had an error while processing your request.');
    } finally {
      await server.close();
    }
  });
});
