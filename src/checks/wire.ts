import type { Finding } from '../core/types.js';
import { OPERATIONS } from '../operations/index.js';
import type { Operation } from '../fixtures/load.js';
import { described, finding, jsonLines, parseBody } from './answer.js';
import { streamDigest } from './stream-pass.js';
import { expectedStatuses, type CheckContext, type CheckDef } from './types.js';

const isStream = (ctx: CheckContext) => ctx.exchange.stream && !ctx.expectError;
const bodyKind = (ctx: CheckContext) => OPERATIONS[ctx.exchange.operation as Operation]?.body ?? 'json';

export const wireStatus: CheckDef = {
  id: 'wire.status',
  level: 'wire',
  severity: 'must',
  description: 'HTTP status: 200 for a success, the documented status for an expected error.',
  auto: true,
  appliesTo: () => true,
  run({ exchange, expectError }) {
    const status = exchange.response!.status;
    if (expectError) return expectedStatuses(expectError).includes(status) ? [] : [finding('status', expectedStatuses(expectError).join(' or '), status, 'must')];
    if (status === 200) return [];
    return [finding('status', '200', status, status >= 200 && status < 300 ? 'should' : 'must')];
  },
};

export const wireContentType: CheckDef = {
  id: 'wire.content-type',
  level: 'wire',
  severity: 'must',
  description: 'Content-Type: application/json for JSON bodies and errors, text/event-stream for streams.',
  auto: true,
  appliesTo: (ctx) => ctx.expectError !== undefined || bodyKind(ctx) === 'json',
  run(ctx) {
    const received = ctx.exchange.response!.headers['content-type'];
    const expected = isStream(ctx) ? 'text/event-stream' : 'application/json';
    return received?.toLowerCase().startsWith(expected) ? [] : [finding('header:content-type', expected, received, 'must')];
  },
};

export const wireJsonBody: CheckDef = {
  id: 'wire.json-body',
  level: 'wire',
  severity: 'must',
  description: 'The body is well-formed JSON (one object per line for JSONL files).',
  auto: true,
  appliesTo: (ctx) => !isStream(ctx),
  run(ctx) {
    if (bodyKind(ctx) === 'jsonl' && !ctx.expectError) {
      return jsonLines(ctx.exchange).flatMap((line) => (line.error ? [finding(`line ${line.number}`, 'a JSON object', line.text, 'must', line.error)] : []));
    }
    const parsed = parseBody(ctx.exchange);
    return parsed.ok ? [] : [finding('body', 'well-formed JSON', ctx.exchange.response!.body, 'must', parsed.error)];
  },
};

export const wireSseFraming: CheckDef = {
  id: 'wire.sse-framing',
  level: 'wire',
  severity: 'must',
  description: 'Server-sent events framed as `data: <json>` lines ending in a blank line; every payload is JSON.',
  auto: true,
  appliesTo: isStream,
  run({ exchange }) {
    const { problems, badPayloads, events } = streamDigest(exchange).sse;
    const findings: Finding[] = problems.map((p) =>
      finding(`sse:line ${p.line}`, p.kind === 'comment' ? 'no comment lines' : 'well-formed SSE', p.raw, p.kind === 'comment' ? 'should' : 'must', p.message),
    );
    if (events === 0) findings.push(finding('sse', 'at least one `data:` event', exchange.response!.body, 'must'));
    for (const p of badPayloads) findings.push(finding(`sse:event ${p.event}`, 'a JSON payload', p.data, 'must', p.error));
    return findings;
  },
};

export const wireSseDone: CheckDef = {
  id: 'wire.sse-done',
  level: 'wire',
  severity: 'must',
  description: 'The stream ends with `data: [DONE]` and nothing after it.',
  auto: true,
  appliesTo: isStream,
  run({ exchange }) {
    const { done } = streamDigest(exchange).sse;
    if (!done.seen) return [finding('sse:end', 'data: [DONE]', described('(the stream ended without it)'), 'must')];
    return done.trailing > 0 ? [finding('sse:end', 'nothing after [DONE]', described(`${done.trailing} more event(s)`), 'should')] : [];
  },
};
