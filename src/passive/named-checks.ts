import { getCheck } from '../checks/index.js';
import { answerOf, firstMessage } from '../checks/answer.js';
import type { CheckDef } from '../checks/types.js';
import type { Exchange } from '../core/types.js';

type Json = Record<string, unknown>;

/**
 * Checks a fixture names (not automatic) whose verdict a captured request decides on its own:
 * the request says what the answer must be. `when` reads the request; a capture without one
 * makes these "not judged". Each `when` tests the operation first, so only the checks that
 * would have applied say so. Automatic checks need no entry: validate runs every one that applies.
 */
export const REQUEST_DECIDED: readonly { def: CheckDef; when(exchange: Exchange): boolean }[] = [
  {
    // Declared tools and a forced or actual call: the call must name one of them, with valid arguments.
    def: getCheck('semantic.tool-call'),
    when: (x) => {
      if (x.operation !== 'chat.completions.create') return false;
      const { tools, tool_choice: choice } = x.params;
      if (!Array.isArray(tools) || tools.length === 0 || choice === 'none') return false;
      const calls = firstMessage(answerOf(x))?.tool_calls;
      return choice === 'required' || (typeof choice === 'object' && choice !== null) || (Array.isArray(calls) && calls.length > 0);
    },
  },
  {
    // base64 vectors are strings by request: the SDK hands them on as they came.
    def: getCheck('semantic.embeddings'),
    when: (x) => x.operation === 'embeddings.create' && x.params.encoding_format !== 'base64',
  },
  {
    def: getCheck('semantic.usage'),
    when: (x) =>
      x.operation === 'chat.completions.create' && (!x.stream || (x.params.stream_options as Json | undefined)?.include_usage === true),
  },
  { def: getCheck('semantic.model-id'), when: (x) => x.operation === 'models.retrieve' },
  { def: getCheck('semantic.model-list'), when: (x) => x.operation === 'models.list' },
  {
    def: getCheck('semantic.image-data'),
    when: (x) => x.operation === 'images.generate' && (x.params.response_format === 'b64_json' || JSON.stringify(answerOf(x)?.data ?? []).includes('"b64_json"')),
  },
];
