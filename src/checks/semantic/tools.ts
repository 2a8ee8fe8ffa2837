import type { Finding } from '../../core/types.js';
import { answerOf, finding, firstMessage, noAnswer } from '../answer.js';
import { invariant, isChatAnswer, semanticCheck } from '../types.js';
import { validateAgainst } from './json-schema.js';

type Json = Record<string, unknown>;

export const toolCall = semanticCheck('semantic.tool-call', 'The answer calls a tool (params.name, if given) with arguments valid against its declared parameters schema.', ({ exchange, params }) => {
  const message = firstMessage(answerOf(exchange));
  if (!message) return noAnswer();
  const calls = message.tool_calls as Json[] | undefined;
  if (!Array.isArray(calls) || calls.length === 0) return [finding('/choices/0/message/tool_calls', 'at least one tool call', calls, 'must')];
  if (params.count !== undefined && calls.length !== params.count) {
    return [finding('/choices/0/message/tool_calls', `${String(params.count)} call(s)`, calls.length, 'must')];
  }
  // Shape, ids and names are semantic.tool-call-shape's; this check judges what the model chose.
  const declared = new Map(((exchange.params.tools ?? []) as Json[]).map((t) => [(t.function as Json).name as string, (t.function as Json).parameters]));
  return calls.flatMap((call, i): Finding[] => {
    const at = `/choices/0/message/tool_calls/${i}`;
    const fn = (call.function ?? {}) as Json;
    const name = String(fn.name);
    if (params.name && name !== params.name) return [finding(`${at}/function/name`, String(params.name), fn.name, 'must')];
    if (!declared.has(name)) return [];
    let args: unknown;
    try {
      args = JSON.parse(String(fn.arguments));
    } catch {
      return [];
    }
    return validateAgainst(declared.get(name) ?? {}, args, `${at}/function/arguments`);
  });
}, { behaviour: true });

/** The JSON mode a request asked for, with the schema for json_schema. */
function jsonMode(params: Record<string, unknown>): { type: 'json_schema'; schema?: unknown } | { type: 'json_object' } | undefined {
  const format = params.response_format as Json | undefined;
  if (format?.type === 'json_object') return { type: 'json_object' };
  if (format?.type === 'json_schema') return { type: 'json_schema', schema: (format.json_schema as Json | undefined)?.schema };
  return undefined;
}

export const jsonOutput = invariant(
  'semantic.json-output',
  'With response_format json_schema or json_object, every answer (but a refusal or a cut one) is a JSON object, valid against the requested schema (strict: no extra properties).',
  (ctx) => isChatAnswer(ctx) && jsonMode(ctx.exchange.params) !== undefined,
  ({ exchange }) => {
    const mode = jsonMode(exchange.params)!;
    const choices = (answerOf(exchange)?.choices ?? []) as Json[];
    if (choices.length === 0) return noAnswer();
    return choices.flatMap((choice, i): Finding[] => {
      const message = (choice.message ?? {}) as Json;
      const at = `/choices/${i}/message/content`;
      if (typeof message.refusal === 'string' && message.refusal) return [];
      if (choice.finish_reason === 'length') return [];
      let value: unknown;
      try {
        value = JSON.parse(String(message.content));
      } catch (error) {
        return [finding(at, 'JSON text, nothing around it (no prose, no code fences)', message.content, 'must', (error as Error).message)];
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) return [finding(at, 'a JSON object', message.content, 'must')];
      return mode.type === 'json_schema' && mode.schema ? validateAgainst(mode.schema, value, at) : [];
    });
  },
);
