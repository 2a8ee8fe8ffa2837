import { OPERATIONS } from '../operations/index.js';
import type { Operation } from '../fixtures/load.js';
import type { Finding } from '../core/types.js';
import { validateWire } from '../schema/registry.js';
import { jsonLines, noAnswer, parseBody } from './answer.js';
import { chunkFold, foldOf, streamDigest } from './stream-pass.js';
import type { CheckDef } from './types.js';

const prefixed = (prefix: string, findings: Finding[]) => findings.map((f) => ({ ...f, path: `${prefix}${f.path}` }));

export const schemaResponse: CheckDef = {
  id: 'schema.response',
  level: 'schema',
  severity: 'must',
  description: 'The response object matches its OpenAI schema (every line, for JSONL files).',
  auto: true,
  appliesTo: (ctx) => !ctx.exchange.stream && !ctx.expectError,
  run({ exchange }) {
    const op = OPERATIONS[exchange.operation as Operation];
    if (op.body === 'jsonl') {
      // Unparseable lines are wire.json-body's to report.
      return jsonLines(exchange).flatMap((line) => (line.error ? [] : prefixed(`line ${line.number}:`, validateWire(op.schema, line.value))));
    }
    const parsed = parseBody(exchange);
    return parsed.ok ? validateWire(op.schema, parsed.value) : noAnswer();
  },
};

/** Each payload validated as it passes; only the findings are kept. */
const chunkSchemaFold = chunkFold<Finding[], Finding[]>({
  name: 'schema.chunks',
  init: () => [],
  step(findings, value, event) {
    const found = validateWire('chat-completion-chunk', value);
    if (found.length > 0) findings.push(...prefixed(`chunk ${event}:`, found));
  },
  finish: (findings) => findings,
});

export const schemaChunks: CheckDef = {
  id: 'schema.chunks',
  level: 'schema',
  severity: 'must',
  description: 'Every stream chunk matches the chat.completion.chunk schema.',
  auto: true,
  appliesTo: (ctx) => ctx.exchange.stream && !ctx.expectError,
  run({ exchange }) {
    return streamDigest(exchange).sse.jsonPayloads === 0 ? noAnswer() : foldOf(exchange, chunkSchemaFold);
  },
};

export const schemaError: CheckDef = {
  id: 'schema.error',
  level: 'schema',
  severity: 'must',
  description: 'An error answer carries an OpenAI error body: {"error": {"message", "type", "param", "code"}}.',
  auto: true,
  appliesTo: (ctx) => ctx.expectError !== undefined,
  run({ exchange }) {
    const parsed = parseBody(exchange);
    return parsed.ok ? validateWire('error', parsed.value) : noAnswer();
  },
};
