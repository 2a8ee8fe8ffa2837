import type { Finding } from '../../core/types.js';
import { answerOf, described, finding, firstMessage, noAnswer, show, streamOf } from '../answer.js';
import { semanticCheck, type CheckDef } from '../types.js';

type Json = Record<string, unknown>;

export const assistantContent = semanticCheck('semantic.assistant-content', 'The first choice is an assistant message with non-empty text content.', ({ exchange }) => {
  const message = firstMessage(answerOf(exchange));
  if (!message) return noAnswer();
  const findings: Finding[] = [];
  if (message.role !== 'assistant') findings.push(finding('/choices/0/message/role', '"assistant"', message.role, 'must'));
  if (typeof message.content !== 'string' || message.content.trim() === '') {
    findings.push(finding('/choices/0/message/content', 'non-empty text', message.content, 'must'));
  }
  return findings;
}, { behaviour: true });

export const finishReason = semanticCheck('semantic.finish-reason', 'Every choice ends with one of the finish_reason values the case allows (params.in).', ({ exchange, params }) => {
  const allowed = (params.in as string[] | undefined) ?? ['stop'];
  const choices = (answerOf(exchange)?.choices ?? []) as Json[];
  if (choices.length === 0) return noAnswer();
  return choices.flatMap((c, i) =>
    allowed.includes(String(c.finish_reason)) ? [] : [finding(`/choices/${i}/finish_reason`, `one of ${allowed.join(', ')}`, c.finish_reason, 'must')],
  );
}, { behaviour: true });

const int = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

export const usage = semanticCheck('semantic.usage', 'usage is reported (for streams: once, when include_usage is set) and total = prompt + completion.', ({ exchange }) => {
  const findings: Finding[] = [];
  if (exchange.stream) {
    const withUsage = streamOf(exchange).payloads.filter((p) => (p.json as Json | undefined)?.usage);
    if (withUsage.length > 1) {
      findings.push(finding('sse:usage', 'usage once, on a final chunk with choices: []', described(`usage on ${withUsage.length} chunks`), 'should', 'clients that add up usage per chunk over-count'));
    }
  }
  const u = answerOf(exchange)?.usage as Json | undefined;
  if (!u) return [...findings, finding('/usage', 'a usage object', undefined, 'must')];
  for (const field of ['prompt_tokens', 'completion_tokens', 'total_tokens']) {
    if (!int(u[field])) findings.push(finding(`/usage/${field}`, 'a non-negative integer', u[field], 'must'));
  }
  if (findings.some((f) => f.severity === 'must')) return findings;
  const sum = (u.prompt_tokens as number) + (u.completion_tokens as number);
  const total = u.total_tokens as number;
  if (total < sum) findings.push(finding('/usage/total_tokens', `at least prompt + completion = ${sum}`, total, 'must'));
  if (total > sum) findings.push(finding('/usage/total_tokens', `prompt + completion = ${sum}`, total, 'should', 'tokens counted only in the total (e.g. hidden thinking)'));
  return findings;
});

export const streamAgrees: CheckDef = {
  id: 'semantic.stream-agrees',
  level: 'semantic',
  severity: 'must',
  description: 'The reassembled stream has the shape of the blocking answer: choices, finish_reason, tool calls, text.',
  auto: true,
  appliesTo: (ctx) => ctx.exchange.stream && !ctx.expectError && ctx.exchange.operation === 'chat.completions.create' && ctx.blockingPeer?.response?.status === 200,
  run({ exchange, blockingPeer }) {
    const streamed = answerOf(exchange);
    const blocking = answerOf(blockingPeer!);
    if (!streamed || !blocking) return noAnswer();
    const a = (blocking.choices ?? []) as Json[];
    const b = (streamed.choices ?? []) as Json[];
    if (a.length !== b.length) return [finding('/choices', `${a.length} choice(s), as blocking`, described(`${b.length}`), 'must')];
    return a.flatMap((choice, i) => {
      const other = b[i]!;
      const out: Finding[] = [];
      if (choice.finish_reason !== other.finish_reason) {
        out.push(finding(`/choices/${i}/finish_reason`, `${show(choice.finish_reason)}, as blocking`, other.finish_reason, 'must'));
      }
      const names = (m: Json) => ((m.tool_calls ?? []) as Json[]).map((t) => (t.function as Json | undefined)?.name);
      const [ma, mb] = [choice.message as Json, other.message as Json];
      if (show(names(ma)) !== show(names(mb))) out.push(finding(`/choices/${i}/message/tool_calls`, `${show(names(ma))}, as blocking`, names(mb), 'must'));
      if (Boolean(ma.content) !== Boolean(mb.content)) {
        out.push(finding(`/choices/${i}/message/content`, ma.content ? 'text, as blocking' : 'no text, as blocking', mb.content, 'must'));
      }
      return out;
    });
  },
};

export const reasoningBudget = semanticCheck('semantic.reasoning-budget', 'Reasoning tokens stay within the documented budget for the requested effort (params.max).', ({ exchange, params }) => {
  const u = answerOf(exchange)?.usage as Json | undefined;
  if (!u) return [finding('/usage', 'a usage object with reasoning tokens', undefined, 'must')];
  const details = u.completion_tokens_details as Json | undefined;
  const hidden = Number(u.total_tokens) - Number(u.prompt_tokens) - Number(u.completion_tokens);
  const reasoning = typeof details?.reasoning_tokens === 'number' ? details.reasoning_tokens : hidden > 0 ? hidden : undefined;
  if (reasoning === undefined) {
    return [finding('/usage/completion_tokens_details/reasoning_tokens', 'the reasoning token count', described('(not reported)'), 'should')];
  }
  const max = Number(params.max);
  return reasoning <= max ? [] : [finding('/usage/completion_tokens_details/reasoning_tokens', `at most ${max}`, reasoning, 'must')];
}, { behaviour: true });

export const thoughtSummary = semanticCheck('semantic.thought-summary', 'With include_thoughts, a thought summary comes back (reasoning_content, reasoning, or a <thought> block).', ({ exchange }) => {
  const message = firstMessage(answerOf(exchange));
  if (!message) return noAnswer();
  const fields = ['reasoning_content', 'reasoning'].filter((f) => typeof message[f] === 'string' && (message[f] as string).trim());
  if (fields.length > 0) return [];
  if (typeof message.content === 'string' && /<thought>[\s\S]*?\S[\s\S]*?<\/thought>/.test(message.content)) return [];
  return [finding('/choices/0/message', 'a thought summary (reasoning_content, reasoning, or <thought>...</thought> in content)', message.content, 'must')];
}, { behaviour: true });
