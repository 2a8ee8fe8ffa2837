import { instanceOf } from '../json-instance.js';
import { isObject } from '../params.js';
import type { ChatAnswer, Obj } from '../stages.js';
import type { Fault } from './pipeline.js';

/** Faults of the chat answer: what the reference model says, before it is rendered as a completion or as chunks. */
export const chatFaults: Record<string, Fault> = {
  'tool-args-invalid': {
    description: 'tool call arguments are {} plus an unexpected key: required properties missing',
    chat: (a) => ({ ...a, toolCalls: a.toolCalls.map((c) => ({ ...c, arguments: '{"unexpected_key":true}' })) }),
  },
  'finish-reason-stop': {
    description: 'tool-call answers end with finish_reason stop instead of tool_calls',
    chat: (a) => (a.finishReason === 'tool_calls' ? { ...a, finishReason: 'stop' } : a),
  },
  'json-output-invalid': {
    description: 'structured output (json_schema) omits the first required property',
    chat: (a, req) => {
      const schema = req.responseFormat.type === 'json_schema' ? req.responseFormat.schema : undefined;
      const first = isObject(schema) && Array.isArray(schema.required) ? schema.required[0] : undefined;
      if (a.text === null || typeof first !== 'string') return a;
      try {
        const { [first]: _, ...rest } = JSON.parse(a.text) as Obj;
        return { ...a, text: JSON.stringify(rest) };
      } catch {
        return a; // text cut by max_tokens is already not JSON
      }
    },
  },
  'empty-content': {
    description: 'the assistant text is ""',
    chat: (a) => (a.text === null ? a : { ...a, thought: null, text: '' }),
  },
  'usage-mismatch': {
    description: 'total_tokens = prompt_tokens + completion_tokens - 1',
    chat: (a) => ({ ...a, usage: { ...a.usage, total_tokens: a.usage.total_tokens - 1 } }),
  },
  'usage-hidden-reasoning': {
    description: 'reasoning tokens are counted in total_tokens only: completion_tokens leaves them out, no details (Gemini)',
    chat: (a) => {
      const { completion_tokens_details: details, prompt_tokens_details: _, ...rest } = a.usage;
      return { ...a, usage: { ...rest, completion_tokens: rest.completion_tokens - details.reasoning_tokens } as ChatAnswer['usage'] };
    },
  },
  'reasoning-over-budget': {
    description: 'reasoning_tokens = thinking budget + 1000',
    chat: (a, req) => {
      const reasoning = req.thinking.budget + 1000;
      const extra = reasoning - a.usage.completion_tokens_details.reasoning_tokens;
      return {
        ...a,
        usage: {
          ...a.usage,
          completion_tokens: a.usage.completion_tokens + extra,
          total_tokens: a.usage.total_tokens + extra,
          completion_tokens_details: { ...a.usage.completion_tokens_details, reasoning_tokens: reasoning },
        },
      };
    },
  },
  'no-thoughts': {
    description: 'extra_body.google.thinking_config.include_thoughts is ignored',
    chat: (a) => ({ ...a, thought: null }),
  },
  'tool-name-undeclared': {
    description: 'tool calls name a function the request did not declare',
    chat: (a) => ({ ...a, toolCalls: a.toolCalls.map((c) => ({ ...c, name: `${c.name}_v2` })) }),
  },
  'tool-choice-ignored': {
    description: "tool_choice none is ignored: the model calls the first tool anyway (Ollama)",
    chat: (a, req) => {
      const tool = req.tools[0];
      if (req.toolChoice !== 'none' || !tool) return a;
      return { ...a, text: null, thought: null, finishReason: 'tool_calls', toolCalls: [{ id: 'call_tool_choice_ignored', name: tool.name, arguments: JSON.stringify(instanceOf(tool.parameters)) }] };
    },
  },
  'thoughts-unrequested': {
    description: 'answers carry a <thought> summary in content although include_thoughts was not requested',
    chat: (a, req) => (a.text === null || req.thinking.includeThoughts ? a : { ...a, thought: 'Thinking out loud, unasked.' }),
  },
  'refusal-in-content': {
    description: 'a refusal comes as ordinary content, with refusal null',
    chat: (a) => (a.refusal === null ? a : { ...a, text: a.refusal, refusal: null }),
  },
  'thought-signature-missing': {
    description: 'tool calls carry no thought signature (Gemini 3 style models)',
    chat: (a) => ({ ...a, toolCalls: a.toolCalls.map(({ signature: _, ...c }) => c) }),
  },
};
