import { CREATED } from '../ids.js';
import type { ChatAnswer, ChatRequest, Obj, ToolCall } from '../stages.js';
import { contentOf } from './answer.js';

/** Gemini 3's place for a thought signature: the call's extra_content. */
const signed = (call: ToolCall) => (call.signature ? { extra_content: { google: { thought_signature: call.signature } } } : {});

const toolCallJson = (call: ToolCall) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments }, ...signed(call) });

/** A blocking `chat.completion` with `n` identical choices. */
export function completionBody(answer: ChatAnswer, req: ChatRequest, id: string): Obj {
  const message = {
    role: 'assistant',
    content: contentOf(answer),
    ...(answer.toolCalls.length ? { tool_calls: answer.toolCalls.map(toolCallJson) } : {}),
    refusal: answer.refusal,
    annotations: [],
  };
  return {
    id,
    object: 'chat.completion',
    created: CREATED,
    model: req.model,
    choices: Array.from({ length: req.n }, (_, index) => ({ index, message, logprobs: null, finish_reason: answer.finishReason })),
    usage: answer.usage,
    service_tier: 'default',
    system_fingerprint: null,
  };
}

/** The same answer as `chat.completion.chunk`s, framed the way OpenAI streams it. */
export function completionChunks(answer: ChatAnswer, req: ChatRequest, id: string): Obj[] {
  const head = { id, object: 'chat.completion.chunk', created: CREATED, model: req.model, service_tier: 'default', system_fingerprint: null };
  const chunk = (choices: Obj[], usage: unknown = null): Obj => ({ ...head, choices, ...(req.includeUsage ? { usage } : {}) });
  const deltas = answerDeltas(answer);
  const chunks = Array.from({ length: req.n }, (_, index) => [
    ...deltas.map((delta) => chunk([{ index, delta, logprobs: null, finish_reason: null }])),
    chunk([{ index, delta: {}, logprobs: null, finish_reason: answer.finishReason }]),
  ]).flat();
  if (req.includeUsage) chunks.push(chunk([], answer.usage));
  return chunks;
}

function answerDeltas(answer: ChatAnswer): Obj[] {
  if (answer.toolCalls.length) {
    return answer.toolCalls.flatMap((call, index) => [
      {
        ...(index === 0 ? { role: 'assistant', content: null } : {}),
        tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' }, ...signed(call) }],
        ...(index === 0 ? { refusal: null } : {}),
      },
      ...pieces(call.arguments, 2).map((fragment) => ({ tool_calls: [{ index, function: { arguments: fragment } }] })),
    ]);
  }
  if (answer.refusal !== null) return [{ role: 'assistant', content: null, refusal: '' }, ...pieces(answer.refusal, 2).map((refusal) => ({ refusal }))];
  return [
    { role: 'assistant', content: '', refusal: null },
    ...(answer.thought === null ? [] : [{ content: `<thought>${answer.thought}</thought>` }]),
    ...pieces(answer.text ?? '', 3).map((content) => ({ content })),
  ];
}

/** Split text into at least `min` pieces (fewer only when it has fewer characters), ~24 characters each. */
function pieces(text: string, min: number): string[] {
  const chars = [...text];
  const count = Math.min(chars.length, Math.max(min, Math.ceil(chars.length / 24)));
  return Array.from({ length: count }, (_, i) =>
    chars.slice(Math.round((i * chars.length) / count), Math.round(((i + 1) * chars.length) / count)).join(''),
  );
}
