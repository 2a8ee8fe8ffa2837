import { hashOf, idFrom, tokens } from '../ids.js';
import { instanceOf } from '../json-instance.js';
import type { ChatAnswer, ChatMessage, ChatRequest, FinishReason, ToolCall } from '../stages.js';
import { reasoningTokens, signsToolCalls } from './thinking.js';

/** Requests the reference model declines, as a real one would (OpenAI answers these with message.refusal). */
const DECLINED = /\bphishing\b/i;
const REFUSAL = "I'm sorry, but I can't help with that request.";

/** The thought signature the reference model (Gemini 3 style) puts on a tool call, derived from the call so it can be verified statelessly. */
export function signatureOf(call: Pick<ToolCall, 'id' | 'name' | 'arguments'>): string {
  return Buffer.from(hashOf('thought-signature', call.id, call.name, call.arguments), 'hex').toString('base64');
}

export function answerChat(req: ChatRequest): ChatAnswer {
  const last = req.messages[req.messages.length - 1];
  const named = typeof req.toolChoice === 'object' ? req.toolChoice.name : undefined;
  let reasoning = reasoningTokens(req.thinking.budget);
  let thought: string | null = null;
  let text: string | null = null;
  let refusal: string | null = null;
  let toolCalls: ToolCall[] = [];
  let finishReason: FinishReason = 'stop';

  if (last.role === 'user' && DECLINED.test(last.text)) {
    refusal = REFUSAL;
  } else if (req.tools.length && req.toolChoice !== 'none' && last.role === 'user') {
    toolCalls = callTools(req, named);
    // OpenAI ends a forced (named) tool call with `stop`.
    finishReason = named ? 'stop' : 'tool_calls';
  } else {
    text =
      last.role === 'tool'
        ? `The tool returned ${clip(last.text)}. Based on that result, this is the final answer.`
        : req.responseFormat.type === 'json_schema'
          ? JSON.stringify(instanceOf(req.responseFormat.schema))
          : req.responseFormat.type === 'json_object'
            ? JSON.stringify({ answer: quoteOf(lastUser(req.messages)), source: 'oai-compat reference model' })
            : explain(lastUser(req.messages));
    if (req.thinking.includeThoughts && reasoning > 0) {
      thought = `The user wrote "${quoteOf(lastUser(req.messages))}". I will answer with the reference explanation.`;
    }
    const stopAt = Math.min(...req.stop.map((s) => text!.indexOf(s)).filter((i) => i >= 0));
    if (Number.isFinite(stopAt)) text = text.slice(0, stopAt);
    if (req.maxTokens !== undefined) {
      reasoning = Math.min(reasoning, req.maxTokens);
      const room = (req.maxTokens - reasoning) * 4;
      const chars = [...text];
      if (chars.length > room) {
        text = chars.slice(0, room).join('');
        finishReason = 'length';
      }
    }
  }
  const visible = tokens(contentOf({ thought, text }) ?? refusal ?? '') + toolCalls.reduce((sum, c) => sum + tokens(c.arguments), 0);
  const completion = visible * req.n + reasoning;
  return {
    thought,
    text,
    refusal,
    toolCalls,
    finishReason,
    usage: {
      prompt_tokens: req.promptTokens,
      completion_tokens: completion,
      total_tokens: req.promptTokens + completion,
      prompt_tokens_details: { cached_tokens: req.cachedTokens, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
  };
}

/**
 * The calls the reference model makes: the named tool, else one call per declared tool when
 * parallel calls are allowed and the user asks about several things ("and"), else the first tool.
 */
function callTools(req: ChatRequest, named: string | undefined): ToolCall[] {
  const several = !named && req.parallelToolCalls && req.tools.length === 1 && /\band\b/i.test(req.messages.at(-1)!.text);
  const tool = req.tools.find((t) => t.name === named) ?? req.tools[0]!;
  const count = several ? 2 : 1;
  return Array.from({ length: count }, (_, i) => {
    const call = { id: idFrom('call_', req.conversation, tool.name, String(i)), name: tool.name, arguments: JSON.stringify(instanceOf(tool.parameters, i)) };
    return signsToolCalls(req.model) ? { ...call, signature: signatureOf(call) } : call;
  });
}

/** The message content: the thought (if any) followed by the text; null for tool calls. */
export function contentOf(answer: Pick<ChatAnswer, 'thought' | 'text'>): string | null {
  if (answer.text === null) return null;
  return (answer.thought === null ? '' : `<thought>${answer.thought}</thought>`) + answer.text;
}

function lastUser(messages: ChatMessage[]): ChatMessage | undefined {
  return messages.findLast((m) => m.role === 'user');
}

function quoteOf(message: ChatMessage | undefined): string {
  const words = message?.text.split(/\s+/).filter(Boolean) ?? [];
  return words.slice(0, 8).join(' ') + (words.length > 8 ? ' …' : '');
}

function explain(user: ChatMessage | undefined): string {
  const quote = quoteOf(user);
  return [
    ...(quote ? [`You asked: "${quote}".`] : []),
    ...(user?.media ?? []),
    'This is the deterministic answer of the oai-compat reference model: the same request always gets these same words.',
  ].join(' ');
}

function clip(text: string): string {
  const chars = [...text];
  return JSON.stringify(chars.length > 120 ? chars.slice(0, 120).join('') + '…' : text);
}
