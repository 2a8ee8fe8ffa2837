import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REFERENCE_API_KEY, startReferenceServer, type RunningServer } from '../src/server/index.js';
import type { ResolvedTarget } from '../src/targets/load.js';
import { startCorruptingProxy, type SeenRequest } from './support/corrupting-proxy.js';
import { caseById, makeEnv, referenceTarget, runBoth } from './support/env.js';

/** How a target reaches a real server: the auth style, its own headers, a base URL per operation family. */
describe('target requests', () => {
  let server: RunningServer;
  const seen: SeenRequest[] = [];
  const other: SeenRequest[] = [];
  let proxy: Awaited<ReturnType<typeof startCorruptingProxy>>;
  let embeddingsProxy: Awaited<ReturnType<typeof startCorruptingProxy>>;
  beforeAll(async () => {
    server = await startReferenceServer();
    proxy = await startCorruptingProxy(new URL(server.baseUrl).origin, 'none', seen);
    embeddingsProxy = await startCorruptingProxy(new URL(server.baseUrl).origin, 'none', other);
  });
  afterAll(async () => {
    await proxy.close();
    await embeddingsProxy.close();
    await server.close();
  });
  const target = (extra: Partial<ResolvedTarget>): ResolvedTarget => ({ ...referenceTarget(`${proxy.url}/v1`), ...extra });

  test.for([
    { style: 'bearer', header: 'authorization', value: `Bearer ${REFERENCE_API_KEY}` },
    { style: 'api-key', header: 'api-key', value: REFERENCE_API_KEY },
    { style: 'x-goog-api-key', header: 'x-goog-api-key', value: REFERENCE_API_KEY },
  ] as const)('auth style $style sends the key in $header only', async ({ style, header, value }) => {
    seen.length = 0;
    const results = await runBoth(caseById('chat-system-user'), makeEnv(target({ authStyle: style })), ['blocking']);
    expect(results.filter((r) => r.status !== 'pass' && r.status !== 'skip')).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    for (const request of seen) {
      expect(request.headers[header]).toBe(value);
      for (const otherHeader of ['authorization', 'api-key', 'x-goog-api-key'].filter((h) => h !== header)) expect(request.headers[otherHeader]).toBeUndefined();
    }
  });

  test('target headers are sent, from the file or from the environment, and an env value is redacted like the key', async () => {
    seen.length = 0;
    process.env.OAI_COMPAT_TEST_GATEWAY_KEY = 'gw-secret-value-0123456789';
    try {
      const env = makeEnv(target({ headers: { 'HTTP-Referer': 'https://example.org/app', 'x-portkey-api-key': { env: 'OAI_COMPAT_TEST_GATEWAY_KEY' } } }));
      const results = await runBoth(caseById('chat-system-user'), env, ['blocking']);
      expect(results.filter((r) => r.status !== 'pass' && r.status !== 'skip')).toEqual([]);
      expect(seen[0]!.headers['http-referer']).toBe('https://example.org/app');
      expect(seen[0]!.headers['x-portkey-api-key']).toBe('gw-secret-value-0123456789');
      // What the run kept of the request (the blocking exchange, kept for its streaming peer): the value is gone.
      const kept = [...env.peers.values()].map((e) => e.request!.headers);
      expect(kept).toHaveLength(1);
      expect(kept[0]).toMatchObject({ 'http-referer': 'https://example.org/app', 'x-portkey-api-key': '[REDACTED]' });
    } finally {
      delete process.env.OAI_COMPAT_TEST_GATEWAY_KEY;
    }
  });

  test('an operation family with its own base URL goes there, the rest to base_url', async () => {
    seen.length = 0;
    other.length = 0;
    const t = target({ baseUrls: { embeddings: `${embeddingsProxy.url}/v1` } });
    const results = [...(await runBoth(caseById('embeddings-single-input'), makeEnv(t))), ...(await runBoth(caseById('chat-system-user'), makeEnv(t), ['blocking']))];
    expect(results.filter((r) => r.status !== 'pass' && r.status !== 'skip')).toEqual([]);
    expect(other.map((r) => r.path)).toEqual(['/v1/embeddings']);
    expect(seen.map((r) => r.path)).toEqual(['/v1/chat/completions']);
  });
});
