import { invalid, notFound } from '../errors.js';
import { hashOf, tokens } from '../ids.js';
import { requireModel } from '../models.js';
import { isObject, optionalInt, requireBody } from '../params.js';
import { describeAudio, describeImage } from './media.js';
import { signatureOf } from './answer.js';
import { readThinking, signsToolCalls } from './thinking.js';
import type { ChatMessage, ChatRequest, FunctionTool, Obj, ResponseFormat, ToolCall, ToolChoice } from '../stages.js';

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'];

export function readChatRequest(json: unknown): ChatRequest {
  const body = requireBody(json);
  const model = requireModel(body.model, 'chat');
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw invalid("Invalid 'messages': expected a non-empty array.", 'messages', 'invalid_value');
  }
  const stream = body.stream === true;
  if (body.stream_options != null && !stream) {
    throw invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options', 'invalid_value');
  }
  checkParameterTypes(body);
  const tools = readTools(body.tools);
  const cachedTokens = readCachedContent(body);
  const limitKey = body.max_completion_tokens != null ? 'max_completion_tokens' : body.max_tokens != null ? 'max_tokens' : undefined;
  const messages = body.messages.map(readMessage);
  if (signsToolCalls(model)) requireSignatures(messages);
  return {
    model,
    messages,
    n: optionalInt(body, 'n', 1, 8, 1),
    stream,
    includeUsage: isObject(body.stream_options) && body.stream_options.include_usage === true,
    tools,
    toolChoice: readToolChoice(body.tool_choice, tools),
    parallelToolCalls: body.parallel_tool_calls !== false,
    responseFormat: readResponseFormat(body.response_format),
    thinking: readThinking(body, model),
    maxTokens: limitKey ? optionalInt(body, limitKey, 1, 1_000_000, 1) : undefined,
    stop: readStop(body.stop),
    cachedTokens,
    promptTokens: tokens(JSON.stringify(body.messages)) + (tools.length ? tokens(JSON.stringify(body.tools)) : 0) + cachedTokens,
    conversation: hashOf(JSON.stringify(body.messages), JSON.stringify(body.tools ?? null)),
  };
}

function readMessage(message: unknown, i: number): ChatMessage {
  const bad = (what: string) => invalid(`Invalid 'messages[${i}]': ${what}.`, `messages[${i}]`, 'invalid_value');
  if (!isObject(message) || typeof message.role !== 'string' || !ROLES.includes(message.role)) throw bad(`expected an object with a role among ${ROLES.join(', ')}`);
  const { role, content } = message;
  const toolCalls = role === 'assistant' ? readSentToolCalls(message.tool_calls, bad) : [];
  if (content == null) {
    if (role !== 'assistant') throw bad('content is required');
    return { role, text: '', media: [], toolCalls };
  }
  if (typeof content === 'string') return { role, text: content, media: [], toolCalls };
  if (!Array.isArray(content)) throw bad('content must be a string or an array of parts');
  const text: string[] = [];
  const media: string[] = [];
  for (const part of content as Obj[]) {
    if (part?.type === 'text' && typeof part.text === 'string') text.push(part.text);
    else if (part?.type === 'image_url' && isObject(part.image_url)) media.push(describeImage(part.image_url));
    else if (part?.type === 'input_audio') media.push(describeAudio(part.input_audio));
    else throw bad(`unsupported content part ${JSON.stringify(part?.type ?? null)}`);
  }
  return { role, text: text.join('\n'), media, toolCalls };
}

/** The tool calls of an assistant message sent back, with the thought signature each carries. */
function readSentToolCalls(calls: unknown, bad: (what: string) => Error): ToolCall[] {
  if (calls == null) return [];
  if (!Array.isArray(calls)) throw bad('tool_calls must be an array');
  return calls.map((call) => {
    const fn = isObject(call) && isObject(call.function) ? call.function : undefined;
    if (!isObject(call) || typeof call.id !== 'string' || !fn || typeof fn.name !== 'string' || typeof fn.arguments !== 'string') {
      throw bad('each tool call needs an id, and a function with a name and arguments (a string)');
    }
    const google = isObject(call.extra_content) && isObject(call.extra_content.google) ? call.extra_content.google : {};
    return { id: call.id, name: fn.name, arguments: fn.arguments, ...(typeof google.thought_signature === 'string' ? { signature: google.thought_signature } : {}) };
  });
}

/** What OpenAI rejects with 400 when a parameter has the wrong type or is out of range. */
const PARAMETER_TYPES: Record<string, (v: unknown) => boolean> = {
  temperature: (v) => typeof v === 'number' && v >= 0 && v <= 2,
  top_p: (v) => typeof v === 'number' && v >= 0 && v <= 1,
  presence_penalty: (v) => typeof v === 'number' && v >= -2 && v <= 2,
  frequency_penalty: (v) => typeof v === 'number' && v >= -2 && v <= 2,
  seed: Number.isInteger,
  logprobs: (v) => typeof v === 'boolean',
  top_logprobs: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 20,
  parallel_tool_calls: (v) => typeof v === 'boolean',
  store: (v) => typeof v === 'boolean',
  user: (v) => typeof v === 'string',
  prompt_cache_key: (v) => typeof v === 'string',
  safety_identifier: (v) => typeof v === 'string',
  service_tier: (v) => typeof v === 'string' && ['auto', 'default', 'flex', 'scale', 'priority'].includes(v),
  metadata: (v) => isObject(v) && Object.values(v).every((x) => typeof x === 'string'),
};

function checkParameterTypes(body: Obj): void {
  for (const [key, valid] of Object.entries(PARAMETER_TYPES)) {
    if (body[key] != null && !valid(body[key])) throw invalid(`Invalid value for '${key}': ${JSON.stringify(body[key])}.`, key, 'invalid_value');
  }
}

function readStop(stop: unknown): string[] {
  if (stop == null) return [];
  const list = typeof stop === 'string' ? [stop] : stop;
  if (!Array.isArray(list) || list.length > 4 || !list.every((s) => typeof s === 'string' && s !== '')) {
    throw invalid("Invalid 'stop': expected a string or an array of up to 4 strings.", 'stop', 'invalid_value');
  }
  return list;
}

/** The one cache the reference server knows (Google's extra_body.google.cached_content) and what it holds. */
export const REFERENCE_CACHE = { name: 'cachedContents/oai-compat-reference', tokens: 1024 };

function readCachedContent(body: Obj): number {
  const google = isObject(body.extra_body) && isObject(body.extra_body.google) ? body.extra_body.google : {};
  const name = google.cached_content;
  if (name === undefined) return 0;
  if (name !== REFERENCE_CACHE.name) throw notFound(`CachedContent not found: ${JSON.stringify(name)}.`, 'extra_body.google.cached_content');
  return REFERENCE_CACHE.tokens;
}

/** Gemini 3 rejects a turn whose earlier tool calls come back without the signature they were given. */
function requireSignatures(messages: ChatMessage[]): void {
  messages.forEach((m, i) => {
    m.toolCalls.forEach((call, j) => {
      if (call.signature !== signatureOf(call)) {
        throw invalid(
          `Function call is missing a thought_signature in functionCall parts (messages[${i}].tool_calls[${j}]: send back extra_content.google.thought_signature unchanged).`,
          `messages[${i}].tool_calls[${j}].extra_content`,
          'invalid_value',
        );
      }
    });
  });
}

function readTools(tools: unknown): FunctionTool[] {
  if (tools == null) return [];
  const valid =
    Array.isArray(tools) &&
    tools.every((t) => isObject(t) && t.type === 'function' && isObject(t.function) && typeof t.function.name === 'string');
  if (!valid) throw invalid("Invalid 'tools': expected an array of {type: 'function', function: {name, parameters}}.", 'tools', 'invalid_value');
  return (tools as { function: Obj }[]).map((t) => ({
    name: t.function.name as string,
    parameters: t.function.parameters ?? { type: 'object', properties: {} },
  }));
}

function readToolChoice(choice: unknown, tools: FunctionTool[]): ToolChoice {
  if (choice == null) return 'auto';
  if (!tools.length) throw invalid("Invalid 'tool_choice': only allowed when 'tools' are specified.", 'tool_choice', 'invalid_value');
  if (choice === 'none' || choice === 'auto' || choice === 'required') return choice;
  const name = isObject(choice) && choice.type === 'function' && isObject(choice.function) ? choice.function.name : undefined;
  if (typeof name !== 'string' || !tools.some((t) => t.name === name)) {
    throw invalid("Invalid 'tool_choice': expected 'none', 'auto', 'required' or a function named in 'tools'.", 'tool_choice', 'invalid_value');
  }
  return { name };
}

function readResponseFormat(format: unknown): ResponseFormat {
  if (format == null) return { type: 'text' };
  const type = isObject(format) ? format.type : undefined;
  if (type === 'text' || type === 'json_object') return { type };
  if (type === 'json_schema') {
    const spec = (format as Obj).json_schema;
    if (!isObject(spec) || typeof spec.name !== 'string') {
      throw invalid("Missing required parameter: 'response_format.json_schema.name'.", 'response_format.json_schema', 'missing_required_parameter');
    }
    return { type, schema: spec.schema ?? {} };
  }
  throw invalid("Invalid 'response_format.type': expected 'text', 'json_object' or 'json_schema'.", 'response_format', 'invalid_value');
}
