import type { Finding } from '../../core/types.js';
import { answerOf, described, finding, firstMessage, noAnswer, show } from '../answer.js';
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

export const usage = semanticCheck('semantic.usage', 'usage is reported: in the answer, or for a stream on its final chunk (its arithmetic is semantic.usage-arithmetic\'s).', ({ exchange }) => {
  const u = answerOf(exchange)?.usage as Json | undefined;
  if (u && typeof u === 'object' && typeof u.total_tokens === 'number') return [];
  return [finding('/usage', exchange.stream ? 'a usage object on the final chunk' : 'a usage object', u, 'must')];
});

export const refusal = semanticCheck('semantic.refusal', 'A request the model declines comes back as message.refusal (text) with content null, not as ordinary content.', ({ exchange }) => {
  const message = firstMessage(answerOf(exchange));
  if (!message) return noAnswer();
  const findings: Finding[] = [];
  if (typeof message.refusal !== 'string' || message.refusal.trim() === '') findings.push(finding('/choices/0/message/refusal', 'the refusal text', message.refusal, 'must'));
  if (message.content !== null && message.content !== undefined && message.content !== '') findings.push(finding('/choices/0/message/content', 'null (the answer is a refusal)', message.content, 'must'));
  return findings;
}, { behaviour: true });

/** The thought signatures of a message: Gemini 3 puts one on each tool call, in extra_content.google. */
function signaturesOf(message: Json): unknown[] {
  const calls = (Array.isArray(message.tool_calls) ? message.tool_calls : []) as Json[];
  return calls.map((c) => ((c.extra_content as Json | undefined)?.google as Json | undefined)?.thought_signature);
}

export const thoughtSignature = semanticCheck('semantic.thought-signature', 'Each tool call carries a thought signature (extra_content.google.thought_signature), to be sent back with the call.', ({ exchange }) => {
  const message = firstMessage(answerOf(exchange));
  if (!message) return noAnswer();
  const signatures = signaturesOf(message);
  if (signatures.length === 0) return [finding('/choices/0/message/tool_calls', 'a tool call with a thought signature', message.tool_calls, 'must')];
  return signatures.flatMap((sig, i) =>
    typeof sig === 'string' && sig !== '' ? [] : [finding(`/choices/0/message/tool_calls/${i}/extra_content/google/thought_signature`, 'an opaque signature string', sig, 'must')],
  );
});

/** Streamed usage may differ a little from the blocking answer's (sampling); beyond this it is another answer. */
const USAGE_TOLERANCE = 0.2;

function usageDiffers(a: unknown, b: unknown, field: string): boolean {
  const [x, y] = [Number((a as Json | undefined)?.[field]), Number((b as Json | undefined)?.[field])];
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  return Math.abs(x - y) > Math.max(8, USAGE_TOLERANCE * Math.max(x, y));
}

export const streamAgrees: CheckDef = {
  id: 'semantic.stream-agrees',
  level: 'semantic',
  severity: 'must',
  description: 'The reassembled stream has the shape of the blocking answer: choices, role, finish_reason, tool calls, text, and usage within tolerance.',
  auto: true,
  appliesTo: (ctx) => ctx.exchange.stream && !ctx.expectError && ctx.exchange.operation === 'chat.completions.create' && ctx.blockingPeer?.response?.status === 200,
  run({ exchange, blockingPeer }) {
    const streamed = answerOf(exchange);
    const blocking = answerOf(blockingPeer!);
    if (!streamed || !blocking) return noAnswer();
    const a = (blocking.choices ?? []) as Json[];
    const b = (streamed.choices ?? []) as Json[];
    if (a.length !== b.length) return [finding('/choices', `${a.length} choice(s), as blocking`, described(`${b.length}`), 'must')];
    const findings = a.flatMap((choice, i) => {
      const other = b[i]!;
      const out: Finding[] = [];
      if (choice.finish_reason !== other.finish_reason) {
        out.push(finding(`/choices/${i}/finish_reason`, `${show(choice.finish_reason)}, as blocking`, other.finish_reason, 'must'));
      }
      const names = (m: Json) => ((m.tool_calls ?? []) as Json[]).map((t) => (t.function as Json | undefined)?.name);
      const [ma, mb] = [choice.message as Json, other.message as Json];
      if (ma.role !== mb.role) out.push(finding(`/choices/${i}/message/role`, `${show(ma.role)}, as blocking`, mb.role, 'must'));
      if (show(names(ma)) !== show(names(mb))) out.push(finding(`/choices/${i}/message/tool_calls`, `${show(names(ma))}, as blocking`, names(mb), 'must'));
      if (Boolean(ma.content) !== Boolean(mb.content)) {
        out.push(finding(`/choices/${i}/message/content`, ma.content ? 'text, as blocking' : 'no text, as blocking', mb.content, 'must'));
      }
      return out;
    });
    // Usage only when the stream was asked for it and both carry it.
    for (const field of ['prompt_tokens', 'completion_tokens']) {
      if (usageDiffers(blocking.usage, streamed.usage, field)) {
        findings.push(finding(`/usage/${field}`, `${show((blocking.usage as Json)[field])} (as blocking, within ${USAGE_TOLERANCE * 100} %)`, (streamed.usage as Json)[field], 'should'));
      }
    }
    return findings;
  },
};

export const reasoningBudget = semanticCheck('semantic.reasoning-budget', 'Reasoning tokens stay within the documented budget for the requested effort (params.max; params.min when thinking cannot be off).', ({ exchange, params }) => {
  const u = answerOf(exchange)?.usage as Json | undefined;
  if (!u) return [finding('/usage', 'a usage object with reasoning tokens', undefined, 'must')];
  const details = u.completion_tokens_details as Json | undefined;
  const hidden = Number(u.total_tokens) - Number(u.prompt_tokens) - Number(u.completion_tokens);
  const reasoning = typeof details?.reasoning_tokens === 'number' ? details.reasoning_tokens : hidden > 0 ? hidden : undefined;
  if (reasoning === undefined) {
    return [finding('/usage/completion_tokens_details/reasoning_tokens', 'the reasoning token count', described('(not reported)'), 'should')];
  }
  const max = params.max === undefined ? Infinity : Number(params.max);
  const min = params.min === undefined ? 0 : Number(params.min);
  if (reasoning > max) return [finding('/usage/completion_tokens_details/reasoning_tokens', `at most ${max}`, reasoning, 'must')];
  return reasoning < min ? [finding('/usage/completion_tokens_details/reasoning_tokens', `at least ${min} (thinking cannot be turned off)`, reasoning, 'must')] : [];
}, { behaviour: true });

export const thoughtSummary = semanticCheck('semantic.thought-summary', 'With include_thoughts, a thought summary comes back (reasoning_content, reasoning, or a <thought> block).', ({ exchange }) => {
  const message = firstMessage(answerOf(exchange));
  if (!message) return noAnswer();
  const fields = ['reasoning_content', 'reasoning'].filter((f) => typeof message[f] === 'string' && (message[f] as string).trim());
  if (fields.length > 0) return [];
  if (typeof message.content === 'string' && /<thought>[\s\S]*?\S[\s\S]*?<\/thought>/.test(message.content)) return [];
  return [finding('/choices/0/message', 'a thought summary (reasoning_content, reasoning, or <thought>...</thought> in content)', message.content, 'must')];
}, { behaviour: true });
