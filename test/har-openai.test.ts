/**
 * OpenAI's own recorded traffic is the standard: every response in shared/recordings/har/openai
 * goes through every automatic check that can judge a recorded exchange (wire, schema and the
 * semantic invariants; the sdk checks need a live SDK call, the request-aware ones a recorded
 * request body), exactly as a live exchange would, and must produce no finding at all. The recordings live beside the repo (not in it), so a user's clone skips
 * this file with a message.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { CHECKS } from '../src/checks/index.js';
import type { CheckContext } from '../src/checks/types.js';
import type { Exchange } from '../src/core/types.js';
import type { Operation } from '../src/fixtures/load.js';
import { ROOT } from './support/env.js';

const HAR_DIR = path.join(ROOT, '..', 'shared', 'recordings', 'har');
const OPENAI_DIR = path.join(HAR_DIR, 'openai');
const available = existsSync(OPENAI_DIR);

interface HarEntry {
  _framingStripped?: boolean;
  request: { method: string; url: string; postData?: { text?: string } };
  response: { status: number; headers: { name: string; value: string }[]; content: { mimeType?: string; text?: string } };
}

function operationOf(method: string, pathname: string): Operation | undefined {
  if (method === 'POST' && pathname.endsWith('/chat/completions')) return 'chat.completions.create';
  if (method === 'POST' && pathname.endsWith('/embeddings')) return 'embeddings.create';
  if (method === 'POST' && pathname.endsWith('/images/generations')) return 'images.generate';
  if (method === 'GET' && pathname.endsWith('/models')) return 'models.list';
  if (method === 'GET' && /\/models\/[^/]+$/.test(pathname)) return 'models.retrieve';
  return undefined;
}

interface Recorded {
  name: string;
  ctx: CheckContext;
  /** Framing was lost when the traffic was recorded: the SSE wire checks cannot judge it. */
  framingStripped: boolean;
  /** The request body was not recorded: the request-aware checks cannot judge it. */
  noRequest: boolean;
}

function load(): Recorded[] {
  return readdirSync(OPENAI_DIR)
    .filter((file) => file.endsWith('.har'))
    .sort()
    .flatMap((file) => {
      const entries = (JSON.parse(readFileSync(path.join(OPENAI_DIR, file), 'utf8')) as { log: { entries: HarEntry[] } }).log.entries;
      return entries.map((entry, i): Recorded => {
        const { request, response } = entry;
        const pathname = new URL(request.url).pathname;
        const headers = Object.fromEntries(response.headers.map((h) => [h.name.toLowerCase(), h.value]));
        headers['content-type'] ??= response.content.mimeType ?? '';
        const exchange: Exchange = {
          operation: operationOf(request.method, pathname) ?? '(unknown)',
          stream: (response.content.mimeType ?? '').startsWith('text/event-stream'),
          params: request.postData?.text ? (JSON.parse(request.postData.text) as Record<string, unknown>) : {},
          request: { method: request.method, url: request.url, headers: {} },
          response: { status: response.status, headers, body: response.content.text ?? '' },
          sdk: { ok: false, error: { name: 'NotRun', message: 'recorded traffic: no SDK call' } },
          durationMs: 0,
        };
        return {
          name: `openai/${file} #${i}: ${request.method} ${pathname} ${response.status}`,
          ctx: { exchange, params: {}, transport: exchange.stream ? 'streaming' : 'blocking', ...(response.status >= 400 ? { expectError: { status: response.status } } : {}) },
          framingStripped: entry._framingStripped === true,
          noRequest: !request.postData?.text,
        };
      });
    });
}

const title = available
  ? `OpenAI's recorded responses pass every automatic check that can judge them (${OPENAI_DIR})`
  : `OpenAI's recorded responses: skipped, ${HAR_DIR} is not present (it sits outside the repo, not in a user's clone)`;

describe.skipIf(!available)(title, () => {
  const recorded = available ? load() : [];
  const PASSIVE = CHECKS.filter((c) => c.auto && c.level !== 'sdk');

  test('enough entries to mean something', () => {
    expect(recorded.length).toBeGreaterThanOrEqual(15);
  });

  for (const { name, ctx, framingStripped, noRequest } of recorded) {
    test(name, () => {
      expect(ctx.exchange.operation, 'a recorded endpoint this suite does not know').not.toBe('(unknown)');
      const applicable = PASSIVE.filter((c) => c.appliesTo(ctx) && !(framingStripped && c.id.startsWith('wire.sse')) && !(noRequest && c.needsRequest));
      expect(applicable.some((c) => c.level === 'schema')).toBe(true);
      if (ctx.exchange.operation.startsWith('chat.') && !ctx.expectError) expect(applicable.some((c) => c.level === 'semantic')).toBe(true);
      const findings = applicable.flatMap((c) => c.run(ctx).map((f) => ({ check: c.id, ...f })));
      expect(findings).toEqual([]);
    });
  }
});
