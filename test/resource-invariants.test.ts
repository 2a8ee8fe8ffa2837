import { describe, expect, test } from 'vitest';
import { batchCounts } from '../src/checks/invariants/batch.js';
import { embeddingsShape } from '../src/checks/invariants/embeddings.js';
import { imageData } from '../src/checks/invariants/images.js';
import type { CheckContext } from '../src/checks/types.js';
import type { Exchange } from '../src/core/types.js';
import { encodePng } from '../src/media/png.js';

const floats = [0.25, -0.5, 0.75];
const base64Of = (v: number[]) => {
  const b = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => b.writeFloatLE(x, i * 4));
  return b.toString('base64');
};

/** A recorded exchange as the HAR reader builds it: no SDK value, the body judged as sent. */
function recorded(operation: string, params: Record<string, unknown>, body: unknown, wireRequest?: Record<string, unknown>): CheckContext {
  const exchange: Exchange = {
    operation,
    stream: false,
    params,
    request: { method: 'POST', url: 'https://api.example/v1/x', headers: {}, ...(wireRequest ? { body: JSON.stringify(wireRequest) } : {}) },
    response: { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    sdk: { ok: false, error: { name: 'NotRun', message: 'recorded traffic' } },
    durationMs: 0,
  };
  return { exchange, params: {}, transport: 'blocking' };
}

const embeddingsBody = (embedding: unknown) => ({ object: 'list', model: 'm', data: [{ object: 'embedding', index: 0, embedding }], usage: { prompt_tokens: 1, total_tokens: 1 } });

describe('semantic.embeddings judges the encoding that was asked for on the wire', () => {
  test('an answer to encoding_format base64 is decoded as little-endian float32, not judged as floats (OpenAI recordings)', () => {
    const ctx = recorded('embeddings.create', { input: 'hi', encoding_format: 'base64', dimensions: 3 }, embeddingsBody(base64Of(floats)));
    expect(embeddingsShape.run(ctx)).toEqual([]);
    expect(embeddingsShape.note!(ctx)).toBe('encoding: base64 (request)');
  });

  test("the SDK's default base64 request makes floats on the wire a finding (the SDK decodes them into garbage)", () => {
    const ctx = recorded('embeddings.create', { input: 'hi' }, embeddingsBody(floats), { input: 'hi', encoding_format: 'base64' });
    expect(embeddingsShape.run(ctx)).toMatchObject([{ path: '/data/0/embedding', severity: 'must', expected: expect.stringContaining('SDK default') }]);
    expect(embeddingsShape.note!(ctx)).toBe('encoding: base64 (SDK default)');
  });

  test('a float request with floats passes; base64 bytes that are not whole floats do not', () => {
    expect(embeddingsShape.run(recorded('embeddings.create', { input: 'hi' }, embeddingsBody(floats)))).toEqual([]);
    const ragged = Buffer.from([1, 2, 3, 4, 5]).toString('base64');
    expect(embeddingsShape.run(recorded('embeddings.create', { input: 'hi', encoding_format: 'base64' }, embeddingsBody(ragged)))).toMatchObject([{ expected: expect.stringContaining('multiple of 4') }]);
  });
});

describe('semantic.image-data', () => {
  const image = (w: number, h: number) => encodePng(w, h, () => [1, 2, 3, 255]).toString('base64');
  test('checks the requested size and the url form', () => {
    const ok = recorded('images.generate', { prompt: 'p', size: '8x4' }, { created: 1, data: [{ b64_json: image(8, 4) }] });
    expect(imageData.run(ok)).toEqual([]);
    const wrongSize = recorded('images.generate', { prompt: 'p', size: '8x8' }, { created: 1, data: [{ b64_json: image(8, 4) }] });
    expect(imageData.run(wrongSize)).toMatchObject([{ expected: 'a 8x8 image (the requested size)', received: '8x4' }]);
    const noUrl = recorded('images.generate', { prompt: 'p', response_format: 'url' }, { created: 1, data: [{ b64_json: image(1, 1) }] });
    expect(imageData.run(noUrl)).toMatchObject([{ path: '/data/0/url' }]);
  });
});

describe('semantic.batch-counts', () => {
  const batch = (status: string, counts: object) => recorded('batches.retrieve', { batch_id: 'b' }, { id: 'b', object: 'batch', status, request_counts: counts });
  test('counts add up once completed, and never exceed total', () => {
    expect(batchCounts.run(batch('in_progress', { total: 2, completed: 1, failed: 0 }))).toEqual([]);
    expect(batchCounts.run(batch('completed', { total: 2, completed: 1, failed: 0 }))).toHaveLength(1);
    expect(batchCounts.run(batch('in_progress', { total: 1, completed: 1, failed: 1 }))).toHaveLength(1);
    expect(batchCounts.run(batch('completed', { total: '2', completed: 2, failed: 0 }))).toMatchObject([{ path: '/request_counts/total' }]);
  });
});
