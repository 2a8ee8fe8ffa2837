/**
 * OpenAI's own recorded traffic is the standard: every body in shared/recordings/har/openai
 * must validate against its wire schema with zero findings. The recordings live beside the
 * repo (not in it), so a plain clone skips this file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test, expect } from 'vitest';
import type { Finding } from '../src/core/types.js';
import { validateWire, type WireSchemaName } from '../src/schema/registry.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const HAR_DIR = join(REPO_ROOT, '../shared/recordings/har');
const OPENAI_DIR = join(HAR_DIR, 'openai');
const available = existsSync(OPENAI_DIR);

interface HarEntry {
  request: { method: string; url: string };
  response: { status: number; content: { mimeType?: string; text?: string } };
}

interface Checked {
  name: string;
  schema: WireSchemaName | undefined;
  /** The JSON payloads: the body, or each SSE `data:` payload of a stream. */
  payloads: string[];
}

function schemaFor(method: string, path: string, status: number, stream: boolean): WireSchemaName | undefined {
  if (status >= 400) return 'error';
  if (method === 'POST' && path.endsWith('/chat/completions')) return stream ? 'chat-completion-chunk' : 'chat-completion';
  if (method === 'POST' && path.endsWith('/embeddings')) return 'embeddings-response';
  if (method === 'POST' && path.endsWith('/images/generations')) return 'images-response';
  if (method === 'GET' && path.endsWith('/models')) return 'model-list';
  if (method === 'GET' && /\/models\/[^/]+$/.test(path)) return 'model';
  return undefined;
}

/** Events are separated by blank lines; an event's `data:` lines join with newlines. */
function ssePayloads(text: string): string[] {
  return text
    .split(/\r?\n\r?\n/)
    .map((event) =>
      event
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n'),
    )
    .filter((data) => data !== '' && data !== '[DONE]');
}

function loadEntries(): Checked[] {
  return readdirSync(OPENAI_DIR)
    .filter((file) => file.endsWith('.har'))
    .sort()
    .flatMap((file) => {
      const entries = (JSON.parse(readFileSync(join(OPENAI_DIR, file), 'utf8')) as { log: { entries: HarEntry[] } }).log.entries;
      return entries.map(({ request, response }, i): Checked => {
        const path = new URL(request.url).pathname;
        const stream = (response.content.mimeType ?? '').startsWith('text/event-stream');
        const text = response.content.text ?? '';
        return {
          name: `openai/${file} #${i}: ${request.method} ${path} ${response.status}`,
          schema: schemaFor(request.method, path, response.status, stream),
          payloads: stream ? ssePayloads(text) : [text],
        };
      });
    });
}

/** Findings of every payload; stream findings are prefixed with the event number. */
function check({ schema, payloads }: Checked & { schema: WireSchemaName }): Finding[] {
  return payloads.flatMap((payload, i) =>
    validateWire(schema, JSON.parse(payload)).map((f) => (payloads.length > 1 ? { ...f, path: `sse:event ${i + 1} ${f.path}` } : f)),
  );
}

const title = available
  ? `OpenAI recordings (${OPENAI_DIR}) validate against the wire schemas`
  : `OpenAI recordings: skipped, ${HAR_DIR} is not present (it sits outside the repo)`;

describe.skipIf(!available)(title, () => {
  const entries = available ? loadEntries() : [];

  test('enough entries to mean something', () => {
    expect(entries.length).toBeGreaterThanOrEqual(15);
  });

  for (const entry of entries) {
    test(`${entry.name} → ${entry.schema ?? '(no schema)'}`, () => {
      const { schema } = entry;
      if (!schema) throw new Error(`No wire schema maps to ${entry.name}`);
      expect(entry.payloads.length).toBeGreaterThan(0);
      expect(check({ ...entry, schema })).toEqual([]);
    });
  }
});
