import type { Finding } from '../../core/types.js';
import { answerOf, finding } from '../answer.js';
import { chunkFold, foldOf } from '../stream-pass.js';
import { invariant, isChatAnswer } from '../types.js';

type Json = Record<string, unknown>;

/** The names of the function tools the request declared. */
export function declaredTools(params: Record<string, unknown>): string[] {
  const tools = Array.isArray(params.tools) ? (params.tools as Json[]) : [];
  return tools.flatMap((t) => {
    const name = (t?.function as Json | undefined)?.name;
    return typeof name === 'string' ? [name] : [];
  });
}

/** Every tool call of every choice of the answer (for streams: as reassembled from the deltas). */
function toolCallsOf(answer: Json | undefined): { at: string; call: Json }[] {
  const choices = Array.isArray(answer?.choices) ? (answer!.choices as Json[]) : [];
  return choices.flatMap((choice, c) => {
    const calls = (choice?.message as Json | undefined)?.tool_calls;
    return Array.isArray(calls) ? (calls as Json[]).map((call, i) => ({ at: `/choices/${c}/message/tool_calls/${i}`, call })) : [];
  });
}

export const toolCallShape = invariant(
  'semantic.tool-call-shape',
  "Every tool call: a non-empty id unique in its message, type function, a declared tool's name, and arguments a string that parses as a JSON object.",
  (ctx) => isChatAnswer(ctx) && toolCallsOf(answerOf(ctx.exchange)).length > 0,
  ({ exchange }) => {
    const declared = declaredTools(exchange.params);
    const calls = toolCallsOf(answerOf(exchange));
    const ids = new Map<string, string>();
    return calls.flatMap(({ at, call }): Finding[] => {
      const out: Finding[] = [];
      const fn = (call.function ?? {}) as Json;
      if (typeof call.id !== 'string' || call.id === '') {
        out.push(finding(`${at}/id`, 'a non-empty id to answer with tool_call_id', call.id, 'should', 'a tool message cannot refer to this call'));
      } else {
        const message = at.replace(/\/tool_calls\/\d+$/, '');
        const key = `${message} ${call.id}`;
        if (ids.has(key)) out.push(finding(`${at}/id`, `an id unique in the message (${ids.get(key)} has it too)`, call.id, 'must'));
        ids.set(key, at);
      }
      if (call.type !== 'function') out.push(finding(`${at}/type`, '"function"', call.type, 'must'));
      if (!declared.includes(String(fn.name))) {
        out.push(finding(`${at}/function/name`, declared.length ? `one of the declared tools: ${declared.join(', ')}` : 'no tool call (the request declared no tools)', fn.name, 'must'));
      }
      if (typeof fn.arguments !== 'string') {
        out.push(finding(`${at}/function/arguments`, 'a string of JSON', fn.arguments, 'must', 'the openai SDKs expect a string'));
        return out;
      }
      let args: unknown;
      try {
        args = JSON.parse(fn.arguments);
      } catch (error) {
        return [...out, finding(`${at}/function/arguments`, 'JSON text', fn.arguments, 'must', (error as Error).message)];
      }
      if (!args || typeof args !== 'object' || Array.isArray(args)) out.push(finding(`${at}/function/arguments`, 'a JSON object', fn.arguments, 'must'));
      return out;
    });
  },
);

interface CallTrack {
  id?: unknown;
  name?: unknown;
}

interface DeltaTrack {
  /** Whether any chunk had tool-call deltas. */
  seen: boolean;
  calls: Map<string, CallTrack>;
  findings: Finding[];
}

const deltasFold = chunkFold<DeltaTrack, { seen: boolean; findings: Finding[] }>({
  name: 'tool-call-deltas',
  init: () => ({ seen: false, calls: new Map(), findings: [] }),
  step(state, value, _event, i) {
    const choices = i >= 0 ? (value as Json).choices : undefined;
    if (!Array.isArray(choices)) return;
    for (const choice of choices as Json[]) {
      const deltas = (choice?.delta as Json | undefined)?.tool_calls;
      if (!Array.isArray(deltas)) continue;
      state.seen = true;
      (deltas as Json[]).forEach((d, j) => {
        const at = `chunk ${i}:/choices[${String(choice.index)}]/delta/tool_calls/${j}`;
        if (typeof d?.index !== 'number' || !Number.isInteger(d.index)) {
          state.findings.push(finding(`${at}/index`, 'an integer index', d?.index, 'must', 'clients assemble calls by index; the openai SDK stream helper drops or merges them'));
          return;
        }
        const key = `${String(choice.index)}/${d.index}`;
        const name = (d.function as Json | undefined)?.name;
        const seen = state.calls.get(key);
        if (!seen) {
          state.calls.set(key, { id: d.id, name });
          return;
        }
        if (d.id !== undefined && d.id !== null && d.id !== '') {
          state.findings.push(finding(`${at}/id`, seen.id === d.id ? 'the id on the first delta only' : `the call's id ${JSON.stringify(seen.id)}, unchanged`, d.id, seen.id === d.id ? 'should' : 'must'));
        }
        if (typeof name === 'string' && name !== '') {
          state.findings.push(finding(`${at}/function/name`, 'the name on the first delta only', name, 'should', 'clients that concatenate deltas repeat the name'));
        }
      });
    }
  },
  finish: ({ seen, findings }) => ({ seen, findings }),
});

export const toolCallDeltas = invariant(
  'semantic.tool-call-deltas',
  'Streamed tool calls: an integer index on every tool-call delta; id and name on the first delta of a call only, never changed.',
  (ctx) => isChatAnswer(ctx) && ctx.exchange.stream && foldOf(ctx.exchange, deltasFold).seen,
  ({ exchange }) => foldOf(exchange, deltasFold).findings,
);
