import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CheckResult } from '../src/core/types.js';
import { startReferenceServer, type RunningServer } from '../src/server/index.js';
import { caseById, makeEnv, referenceTarget, runBoth } from './support/env.js';
import { filesUnder } from './support/files.js';

const SECRET = 'sk-test-recording-secret-4f9a2c71e0';
const CASE_IDS = ['chat-system-user', 'tools-round-trip', 'embeddings-single-input', 'batch-chat-lifecycle', 'errors-bad-api-key'];


const statuses = (results: CheckResult[]) => results.map((r) => `${r.case}/${r.step}/${r.check}/${r.transport}: ${r.status}`);

describe('record, then replay', () => {
  let server: RunningServer;
  let dir: string;
  const recorded: CheckResult[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'oai-recordings-'));
    server = await startReferenceServer({ port: 0, apiKey: SECRET });
    const env = makeEnv(referenceTarget(server.baseUrl), { mode: 'record', recordingsDir: dir, apiKey: SECRET });
    for (const id of CASE_IDS) recorded.push(...(await runBoth(caseById(id), env)));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('recording passes like a live run', () => {
    expect(recorded.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(recorded.length).toBeGreaterThan(20);
  });

  test('the recordings never contain the API key, in any encoding', () => {
    const files = filesUnder(dir);
    expect(files.length).toBe(CASE_IDS.length + 2); // chat and the round trip record a streaming run too
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));
      expect(text).not.toMatch(/authorization/i);
      const decodedBodies = [...text.matchAll(/"body": "([A-Za-z0-9+/=_-]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'));
      for (const body of decodedBodies) expect(body).not.toContain(SECRET);
    }
  });

  test('replay gives the same results and makes no connection', async () => {
    const before = server.requestCount();
    const env = makeEnv(referenceTarget(server.baseUrl), { mode: 'replay', recordingsDir: dir, apiKey: undefined });
    const replayed: CheckResult[] = [];
    for (const id of CASE_IDS) replayed.push(...(await runBoth(caseById(id), env)));
    expect(server.requestCount()).toBe(before);
    expect(statuses(replayed)).toEqual(statuses(recorded));
  });

  test('replay of a second run starts each recording from its first response', async () => {
    const env = makeEnv(referenceTarget(server.baseUrl), { mode: 'replay', recordingsDir: dir, apiKey: undefined });
    const again = await runBoth(caseById('batch-chat-lifecycle'), env);
    expect(again.filter((r) => r.status !== 'pass')).toEqual([]);
  });

  test('a missing recording fails that case with a message naming it', async () => {
    const env = makeEnv(referenceTarget(server.baseUrl), { mode: 'replay', recordingsDir: dir, apiKey: undefined });
    const results = await runBoth(caseById('models-list'), env);
    expect(results).toHaveLength(1);
    expect(results[0]!.status).toBe('error');
    expect(results[0]!.message).toMatch(/Failed to replay case models-list \[blocking\]: no recording at .*models-list\.blocking\.json.*--mode record/);
  });

  test('a request that is not in the recording fails with a message naming the request', async () => {
    const env = makeEnv({ ...referenceTarget(server.baseUrl), models: { ...referenceTarget(server.baseUrl).models, chat: 'another-model' } }, { mode: 'replay', recordingsDir: dir, apiKey: undefined });
    const before = server.requestCount();
    const results = await runBoth(caseById('chat-system-user'), env, ['blocking']);
    expect(server.requestCount()).toBe(before);
    expect(results[0]!.status).toBe('error');
    expect(results[0]!.message).toMatch(/Failed to replay POST \/v1\/chat\/completions: no recording matches this request/);
  });
});
