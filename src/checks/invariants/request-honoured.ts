import type { Finding } from '../../core/types.js';
import { answerOf, described, finding } from '../answer.js';
import { invariant, isChatAnswer } from '../types.js';

type Json = Record<string, unknown>;

const choicesOf = (answer: Json | undefined) => (Array.isArray(answer?.choices) ? (answer!.choices as Json[]) : []);
const messageOf = (choice: Json) => (choice?.message ?? {}) as Json;
const callsOf = (choice: Json) => (Array.isArray(messageOf(choice).tool_calls) ? (messageOf(choice).tool_calls as Json[]) : []);

export const toolChoiceHonoured = invariant(
  'semantic.tool-choice-honoured',
  'tool_choice and parallel_tool_calls are honoured: none gives no call, required at least one, a named function only that one; parallel_tool_calls false at most one call.',
  (ctx) => isChatAnswer(ctx) && Array.isArray(ctx.exchange.params.tools) && (ctx.exchange.params.tool_choice !== undefined || ctx.exchange.params.parallel_tool_calls === false),
  ({ exchange }) => {
    const { tool_choice: choice, parallel_tool_calls: parallel } = exchange.params;
    const named = ((choice as Json | undefined)?.function as Json | undefined)?.name;
    return choicesOf(answerOf(exchange)).flatMap((c, i): Finding[] => {
      const calls = callsOf(c);
      const at = `/choices/${i}/message/tool_calls`;
      const out: Finding[] = [];
      if (choice === 'none' && calls.length > 0) out.push(finding(at, 'no tool call (tool_choice none)', described(`${calls.length} call(s)`), 'must'));
      if ((choice === 'required' || named) && calls.length === 0) out.push(finding(at, `a tool call (tool_choice ${named ? JSON.stringify(named) : 'required'})`, described('(none)'), 'must'));
      if (typeof named === 'string') {
        calls.forEach((call, j) => {
          const name = (call.function as Json | undefined)?.name;
          if (name !== named) out.push(finding(`${at}/${j}/function/name`, JSON.stringify(named), name, 'must', 'tool_choice names this function'));
        });
      }
      if (parallel === false && calls.length > 1) out.push(finding(at, 'at most one call (parallel_tool_calls false)', described(`${calls.length} calls`), 'must'));
      return out;
    });
  },
);

export const choiceCount = invariant(
  'semantic.choice-count',
  'The answer has n choices (1 when n is not set), indexed 0..n-1.',
  isChatAnswer,
  ({ exchange }) => {
    const n = typeof exchange.params.n === 'number' ? exchange.params.n : 1;
    const choices = choicesOf(answerOf(exchange));
    const indexes = choices.map((c) => c?.index);
    const expected = Array.from({ length: n }, (_, i) => i);
    if (choices.length !== n) return [finding('/choices', `${n} choice(s)${n > 1 ? ` (n: ${n})` : ''}`, described(`${choices.length}`), 'must')];
    return JSON.stringify(indexes) === JSON.stringify(expected) ? [] : [finding('/choices/*/index', JSON.stringify(expected), indexes, 'must')];
  },
);

/** The completion-token limit the request set, under either name. */
function tokenLimit(params: Record<string, unknown>): number | undefined {
  const limit = params.max_completion_tokens ?? params.max_tokens;
  return typeof limit === 'number' ? limit : undefined;
}

export const tokenLimitHonoured = invariant(
  'semantic.token-limit',
  'With max_tokens or max_completion_tokens, completion_tokens (per choice) stays within the limit.',
  (ctx) => isChatAnswer(ctx) && tokenLimit(ctx.exchange.params) !== undefined,
  ({ exchange }) => {
    const limit = tokenLimit(exchange.params)!;
    const answer = answerOf(exchange);
    const usage = answer?.usage as Json | undefined;
    const n = Math.max(1, choicesOf(answer).length);
    if (typeof usage?.completion_tokens !== 'number') return [];
    const allowed = limit * n;
    return usage.completion_tokens <= allowed
      ? []
      : [finding('/usage/completion_tokens', `at most ${allowed} (the limit ${limit}${n > 1 ? ` for each of ${n} choices` : ''})`, usage.completion_tokens, 'must')];
  },
);

const stopsOf = (params: Record<string, unknown>): string[] => {
  const stop = params.stop;
  return (typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop : []).filter((s): s is string => typeof s === 'string' && s !== '');
};

export const stopSequence = invariant(
  'semantic.stop-sequence',
  'With stop sequences, no answer text contains one (generation stops before it).',
  (ctx) => isChatAnswer(ctx) && stopsOf(ctx.exchange.params).length > 0,
  ({ exchange }) => {
    const stops = stopsOf(exchange.params);
    return choicesOf(answerOf(exchange)).flatMap((c, i) => {
      const content = messageOf(c).content;
      const hit = typeof content === 'string' ? stops.find((s) => content.includes(s)) : undefined;
      return hit === undefined ? [] : [finding(`/choices/${i}/message/content`, `text without the stop sequence ${JSON.stringify(hit)}`, content, 'must')];
    });
  },
);
