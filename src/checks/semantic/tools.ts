import type { Finding } from '../../core/types.js';
import { answerOf, finding, firstMessage, noAnswer } from '../answer.js';
import { semanticCheck } from '../types.js';
import { validateAgainst } from './json-schema.js';

type Json = Record<string, unknown>;

export const toolCall = semanticCheck('semantic.tool-call', 'The answer calls a declared tool (params.name, if given) with JSON arguments valid against its parameters schema.', ({ exchange, params }) => {
  const message = firstMessage(answerOf(exchange));
  if (!message) return noAnswer();
  const calls = message.tool_calls as Json[] | undefined;
  if (!Array.isArray(calls) || calls.length === 0) return [finding('/choices/0/message/tool_calls', 'at least one tool call', calls, 'must')];
  const declared = new Map(((exchange.params.tools ?? []) as Json[]).map((t) => [(t.function as Json).name as string, (t.function as Json).parameters]));
  return calls.flatMap((call, i): Finding[] => {
    const at = `/choices/0/message/tool_calls/${i}`;
    const fn = (call.function ?? {}) as Json;
    const out: Finding[] = [];
    if (call.type !== 'function') out.push(finding(`${at}/type`, '"function"', call.type, 'must'));
    if (typeof call.id !== 'string' || call.id === '') out.push(finding(`${at}/id`, 'a non-empty id to answer with tool_call_id', call.id, 'should'));
    const name = String(fn.name);
    if (params.name && name !== params.name) out.push(finding(`${at}/function/name`, String(params.name), fn.name, 'must'));
    if (!declared.has(name)) return [...out, finding(`${at}/function/name`, `one of ${[...declared.keys()].join(', ')}`, fn.name, 'must')];
    let args: unknown;
    try {
      args = JSON.parse(String(fn.arguments));
    } catch (error) {
      return [...out, finding(`${at}/function/arguments`, 'a JSON object', fn.arguments, 'must', (error as Error).message)];
    }
    return [...out, ...validateAgainst(declared.get(name) ?? {}, args, `${at}/function/arguments`)];
  });
}, { behaviour: true });

export const jsonOutput = semanticCheck('semantic.json-output', 'The content is JSON valid against the json_schema the request asked for.', ({ exchange }) => {
  const message = firstMessage(answerOf(exchange));
  if (!message) return noAnswer();
  let value: unknown;
  try {
    value = JSON.parse(String(message.content));
  } catch (error) {
    return [finding('/choices/0/message/content', 'JSON text', message.content, 'must', (error as Error).message)];
  }
  const format = exchange.params.response_format as Json | undefined;
  const schema = (format?.json_schema as Json | undefined)?.schema;
  return schema ? validateAgainst(schema, value, '/choices/0/message/content') : [];
}, { behaviour: true });
