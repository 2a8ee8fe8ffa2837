import { isObject } from '../params.js';
import type { Obj } from '../stages.js';
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
    description: 'total_tokens = prompt_tokens + completion_tokens + 7',
    chat: (a) => ({ ...a, usage: { ...a.usage, total_tokens: a.usage.total_tokens + 7 } }),
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
};
