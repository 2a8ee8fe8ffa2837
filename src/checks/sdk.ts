import { isDeepStrictEqual } from 'node:util';
import type { Finding } from '../core/types.js';
import { answerOf, described, finding, firstMessage, show } from './answer.js';
import { expectedStatuses, type CheckDef } from './types.js';

type Json = Record<string, unknown>;

function sdkFailure(error: { name: string; message: string }): Finding[] {
  return [finding('sdk', 'the openai SDK accepts the response', described(`${error.name}: ${error.message}`), 'must')];
}

export const sdkResult: CheckDef = {
  id: 'sdk.result',
  level: 'sdk',
  severity: 'must',
  description: 'The official openai SDK call succeeds and returns an object (for streams: iterates and reassembles).',
  auto: true,
  appliesTo: (ctx) => !ctx.expectError && ctx.exchange.operation !== 'chat.completions.parse',
  run({ exchange }) {
    if (!exchange.sdk.ok) return sdkFailure(exchange.sdk.error);
    const value = exchange.sdk.value;
    const expected = exchange.operation === 'files.content' ? 'string' : 'object';
    return typeof value === expected && value !== null ? [] : [finding('sdk', `an ${expected}`, value, 'must')];
  },
};

export const sdkParseHelper: CheckDef = {
  id: 'sdk.parse-helper',
  level: 'sdk',
  severity: 'must',
  description: "The SDK's chat.completions.parse helper returns message.parsed equal to the JSON content.",
  auto: true,
  appliesTo: (ctx) => !ctx.expectError && ctx.exchange.operation === 'chat.completions.parse',
  run({ exchange }) {
    if (!exchange.sdk.ok) return sdkFailure(exchange.sdk.error);
    const message = firstMessage(exchange.sdk.value as Json);
    if (message?.parsed == null) return [finding('/choices/0/message/parsed', 'the parsed object', message?.parsed, 'must')];
    let fromContent: unknown;
    try {
      fromContent = JSON.parse(String(message.content));
    } catch {
      return [finding('/choices/0/message/content', 'JSON text', message.content, 'must')];
    }
    return isDeepStrictEqual(message.parsed, fromContent)
      ? []
      : [finding('/choices/0/message/parsed', show(fromContent), message.parsed, 'must', 'parsed differs from the content')];
  },
};

export const sdkError: CheckDef = {
  id: 'sdk.error',
  level: 'sdk',
  severity: 'must',
  description: 'For an error answer the SDK raises an APIError with the right status and the body\'s message.',
  auto: true,
  appliesTo: (ctx) => ctx.expectError !== undefined,
  run({ exchange, expectError }) {
    const statuses = expectedStatuses(expectError!);
    if (exchange.sdk.ok) return [finding('sdk', `an APIError with status ${statuses.join(' or ')}`, described('the call succeeded'), 'must')];
    const { status, body, name, message } = exchange.sdk.error;
    const findings: Finding[] = [];
    if (status === undefined || !statuses.includes(status)) findings.push(finding('sdk:status', statuses.join(' or '), status ?? described('(no status)'), 'must'));
    const inner = body as Json | undefined;
    if (typeof inner?.message !== 'string') {
      findings.push(finding('sdk:error.message', 'the error message, read from the body', described(`${name}: ${message}`), 'must', 'the SDK could not read the error body'));
    }
    if (expectError!.type && inner?.type !== expectError!.type) findings.push(finding('sdk:error.type', expectError!.type, inner?.type, 'should'));
    if (expectError!.code && inner?.code !== expectError!.code) findings.push(finding('sdk:error.code', expectError!.code, inner?.code, 'should'));
    if (expectError!.param && inner?.param !== expectError!.param) findings.push(finding('sdk:error.param', `${JSON.stringify(expectError!.param)}, the parameter at fault`, inner?.param, 'should'));
    return findings;
  },
};

function toolSignature(message: Json | undefined): string[] {
  const calls = (message?.tool_calls ?? []) as Json[];
  return calls.map((c) => {
    const fn = (c.function ?? {}) as Json;
    return `${String(fn.name)}(${String(fn.arguments)})`;
  });
}

export const sdkStreamReassembly: CheckDef = {
  id: 'sdk.stream-reassembly',
  level: 'sdk',
  severity: 'must',
  description: "The SDK's stream helper reassembles the same content and tool calls that the chunks carry.",
  auto: true,
  appliesTo: (ctx) => ctx.exchange.stream && !ctx.expectError,
  run({ exchange }) {
    if (!exchange.sdk.ok) return sdkFailure(exchange.sdk.error);
    const ours = firstMessage(answerOf(exchange));
    const sdks = firstMessage(exchange.sdk.value as Json);
    const findings: Finding[] = [];
    if ((ours?.content || null) !== (sdks?.content || null)) {
      findings.push(finding('/choices/0/message/content', show(ours?.content), sdks?.content, 'must', 'SDK reassembly differs from the chunks'));
    }
    const want = toolSignature(ours);
    const got = toolSignature(sdks);
    if (!isDeepStrictEqual(want, got)) {
      findings.push(finding('/choices/0/message/tool_calls', show(want), got, 'must', 'tool calls lost or merged by the SDK stream helper'));
    }
    return findings;
  },
};
