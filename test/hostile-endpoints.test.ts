import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CheckResult, Mode, Transport } from '../src/core/types.js';
import { startReferenceServer } from '../src/server/index.js';
import { caseById, makeEnv, referenceTarget, runBoth } from './support/env.js';

/**
 * An endpoint that misbehaves at the HTTP level: for each, a reference-server fault reproduces
 * it, the affected case is `error` with a short reason (never a hang, never a `fail` of the
 * feature, never a page of HTML), and a case the fault does not touch still passes.
 */
const HOSTILE: { fault: string; case: string; transport: Transport; status: 'error' | 'pass'; reason: RegExp; modes?: Mode[]; timeoutMs?: number }[] = [
  { fault: 'http-502-html', case: 'chat-system-user', transport: 'blocking', status: 'error', reason: /^HTTP 502: an HTML page titled "502 Bad Gateway" \(\d+ bytes\)$/ },
  { fault: 'bad-gzip', case: 'chat-system-user', transport: 'blocking', status: 'error', reason: /invalid gzip/ },
  { fault: 'huge-body', case: 'chat-system-user', transport: 'blocking', status: 'error', reason: /the response body is 50\.0 MB: only the first 8\.0 MB of an exchange are kept/, timeoutMs: 30_000 },
  { fault: 'sse-stall', case: 'streaming-hello', transport: 'streaming', status: 'error', reason: /the response stalled: no data for 1000 ms/, modes: ['live', 'record'], timeoutMs: 1000 },
  { fault: 'headers-never-sent', case: 'chat-system-user', transport: 'blocking', status: 'error', reason: /timed out after 1000 ms|no response headers within 1000 ms/, modes: ['live', 'record'], timeoutMs: 1000 },
  { fault: 'reset-before-headers', case: 'chat-system-user', transport: 'blocking', status: 'error', reason: /closed or reset|socket|terminated/i },
  { fault: 'sse-error-event', case: 'streaming-hello', transport: 'streaming', status: 'error', reason: /error inside the 200 stream \(event 1\): The server had an error/ },
  { fault: 'rate-limit', case: 'chat-system-user', transport: 'blocking', status: 'error', reason: /^HTTP 429: Rate limit reached.*still rate-limited after 2 retries, waiting 1000 ms, 1000 ms as Retry-After asked/ },
  // A 429 where an error is expected is no verdict on the error handling: error, not fail.
  { fault: 'rate-limit', case: 'errors-unknown-model', transport: 'blocking', status: 'error', reason: /^HTTP 429/ },
  // Retries that get through pass, and say so.
  { fault: 'rate-limit-once', case: 'chat-system-user', transport: 'blocking', status: 'pass', reason: /^answered after 1 retry on 429, waiting 1000 ms as Retry-After asked$/ },
];

/** The wire.status result of the case's first step: where the reason of the trouble is. */
const statusOf = (results: CheckResult[]) => results.find((r) => r.check === 'wire.status' && r.step === results[0]?.step);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'oai-hostile-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('hostile endpoints: the affected case is error with its reason, the rest still passes', () => {
  test.for(HOSTILE.flatMap((h) => (h.modes ?? ['live']).map((mode) => ({ ...h, mode }))))(
    '$fault on $case [$transport] ($mode)',
    { timeout: 60_000 },
    async ({ fault, case: id, transport, status, reason, mode, timeoutMs = 10_000 }) => {
      const server = await startReferenceServer({ faults: [fault] });
      try {
        const env = { ...makeEnv(referenceTarget(server.baseUrl), { mode, recordingsDir: path.join(tmp, fault, mode) }), timeoutMs };
        const results = await runBoth(caseById(id), env, [transport]);
        const wire = statusOf(results);
        expect(wire?.status, JSON.stringify(results, null, 1)).toBe(status);
        expect(wire?.message).toMatch(reason);
        expect(wire!.message.length).toBeLessThan(400);
        if (status === 'error') expect(results.every((r) => r.status !== 'fail' && r.status !== 'pass')).toBe(true);
        // The faults touch chat only: embeddings still pass through the same server (with a loaded machine's margin).
        const other = await runBoth(caseById('embeddings-single-input'), { ...env, timeoutMs: 10_000 });
        expect(other.filter((r) => r.status !== 'pass' && r.status !== 'skip')).toEqual([]);
      } finally {
        await server.close();
      }
    },
  );
});

describe('a body larger than what is kept', () => {
  test('is cut off at the cap for the checks and the SDK alike: nothing holds the whole 50 MB', async () => {
    const { createCapturingFetch, MAX_KEPT_BYTES } = await import('../src/transport/capture.js');
    const { Agent } = await import('undici');
    const server = await startReferenceServer({ faults: ['huge-body'] });
    const agent = new Agent();
    try {
      const calls: Parameters<typeof createCapturingFetch>[1] = [];
      const fetch = createCapturingFetch(agent, calls);
      const res = await fetch(`${server.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-oai-compat-reference', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'ref-chat', messages: [{ role: 'user', content: 'Hello!' }] }),
      });
      // The SDK's read stops at the cap instead of taking the whole body into memory.
      await expect(res.text()).rejects.toThrow();
      const captured = await calls[0]!.response;
      expect(captured.body.length).toBeLessThanOrEqual(MAX_KEPT_BYTES);
      expect(captured.fullBytes).toBeGreaterThan(MAX_KEPT_BYTES * 5);
    } finally {
      await agent.close();
      await server.close();
    }
  });
});
