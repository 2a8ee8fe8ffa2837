import { invalid } from '../errors.js';
import { hashOf, tokens } from '../ids.js';
import { requireModel } from '../models.js';
import { isObject, optionalInt, requireBody } from '../params.js';
import { describeAudio, describeImage } from './media.js';
import { readThinking } from './thinking.js';
import type { ChatMessage, ChatRequest, FunctionTool, ResponseFormat, ToolChoice, Obj } from '../stages.js';

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
  const tools = readTools(body.tools);
  const limitKey = body.max_completion_tokens != null ? 'max_completion_tokens' : body.max_tokens != null ? 'max_tokens' : undefined;
  return {
    model,
    messages: body.messages.map(readMessage),
    n: optionalInt(body, 'n', 1, 8, 1),
    stream,
    includeUsage: isObject(body.stream_options) && body.stream_options.include_usage === true,
    tools,
    toolChoice: readToolChoice(body.tool_choice, tools),
    responseFormat: readResponseFormat(body.response_format),
    thinking: readThinking(body, model),
    maxTokens: limitKey ? optionalInt(body, limitKey, 1, 1_000_000, 1) : undefined,
    promptTokens: tokens(JSON.stringify(body.messages)) + (tools.length ? tokens(JSON.stringify(body.tools)) : 0),
    conversation: hashOf(JSON.stringify(body.messages), JSON.stringify(body.tools ?? null)),
  };
}

function readMessage(message: unknown, i: number): ChatMessage {
  const bad = (what: string) => invalid(`Invalid 'messages[${i}]': ${what}.`, `messages[${i}]`, 'invalid_value');
  if (!isObject(message) || typeof message.role !== 'string' || !ROLES.includes(message.role)) throw bad(`expected an object with a role among ${ROLES.join(', ')}`);
  const { role, content } = message;
  if (content == null) {
    if (role !== 'assistant') throw bad('content is required');
    return { role, text: '', media: [] };
  }
  if (typeof content === 'string') return { role, text: content, media: [] };
  if (!Array.isArray(content)) throw bad('content must be a string or an array of parts');
  const text: string[] = [];
  const media: string[] = [];
  for (const part of content as Obj[]) {
    if (part?.type === 'text' && typeof part.text === 'string') text.push(part.text);
    else if (part?.type === 'image_url' && isObject(part.image_url)) media.push(describeImage(part.image_url.url));
    else if (part?.type === 'input_audio') media.push(describeAudio(part.input_audio));
    else throw bad(`unsupported content part ${JSON.stringify(part?.type ?? null)}`);
  }
  return { role, text: text.join('\n'), media };
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
