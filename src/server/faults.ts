import type { ChatAnswer } from './chat/answer.js';
import type { ChatRequest } from './chat/request.js';
import { serverError } from './errors.js';
import type { ApiRequest, JsonReply, Reply, SseReply } from './http.js';
import { MODEL_IDS } from './models.js';
import { geminiBatchBody, geminiErrorBody, mapChoices, wholeToolCalls } from './gemini-shapes.js';
import { isObject, type Obj } from './params.js';
import type { BatchStatus, OutputLine } from './routes/batches.js';

/**
 * A named deviation the reference server can inject. Each fault is one small transformation at
 * one of the stages a request passes: the parsed request, the chat answer, the batch state
 * machine, the batch output lines, or the reply before it is serialised.
 */
export interface Fault {
  description: string;
  request?: (req: ApiRequest) => ApiRequest;
  chat?: (answer: ChatAnswer, req: ChatRequest) => ChatAnswer;
  batchStatus?: (next: BatchStatus) => BatchStatus;
  batchOutput?: (lines: OutputLine[]) => OutputLine[];
  /** `op` names the operation that answered, e.g. `chat.completions` (see the routes). */
  reply?: (reply: Reply, op: string) => Reply;
}

const onJson = (f: (r: JsonReply) => Reply) => (r: Reply) => (r.kind === 'json' ? f(r) : r);
const onSse = (f: (r: SseReply) => Reply) => (r: Reply) => (r.kind === 'sse' ? f(r) : r);
const onOk = (op: string, f: (r: JsonReply) => Reply) => (r: Reply, at: string) => (at === op && r.kind === 'json' && r.status === 200 ? f(r) : r);

/** Apply `f` to every JSON value a reply carries: the body, or each stream chunk. */
function mapPayloads(r: Reply, f: (value: unknown) => unknown): Reply {
  if (r.kind === 'json') return { ...r, body: f(r.body) };
  if (r.kind === 'sse') return { ...r, chunks: r.chunks.map((c) => f(c) as Obj) };
  return r;
}

const DROP = Symbol('drop');
/** Rebuild a JSON value bottom-up; `visit` may replace or DROP each object member. */
function walk(value: unknown, visit: (key: string, value: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, visit));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).flatMap(([k, v]) => {
      const out = visit(k, walk(v, visit));
      return out === DROP ? [] : [[k, out]];
    }),
  );
}

const isUsageChunk = (c: Obj) => Array.isArray(c.choices) && c.choices.length === 0 && c.usage != null;
const NOT_AN_IMAGE = Buffer.from('This is not an image.\n');

/** Every fault, in the order they are applied. */
export const FAULTS: Record<string, Fault> = {
  'http-500': {
    description: 'every /v1 endpoint answers 500 with an OpenAI error body (type server_error)',
    reply: () => serverError(),
  },
  'auth-ignored': {
    description: 'any API key (or none) is accepted',
    request: (req) => ({ ...req, authorized: true }),
  },
  'json-content-type': {
    description: 'JSON responses say Content-Type: text/plain',
    reply: onJson((r) => ({ ...r, contentType: 'text/plain' })),
  },
  'garbage-body': {
    description: 'blocking 200 JSON bodies are cut in half',
    reply: onJson((r) => (r.status === 200 ? { ...r, cutInHalf: true } : r)),
  },
  'sse-content-type': {
    description: 'streams say Content-Type: application/json',
    reply: onSse((r) => ({ ...r, contentType: 'application/json' })),
  },
  'sse-no-done': {
    description: 'streams end without data: [DONE]',
    reply: onSse((r) => ({ ...r, done: false })),
  },
  'sse-bad-framing': {
    description: 'SSE events end with a single \\n instead of a blank line',
    reply: onSse((r) => ({ ...r, eventEnd: '\n' })),
  },
  'sse-truncate': {
    description: 'streams send the first chunk, then the socket is destroyed',
    reply: onSse((r) => ({ ...r, truncateAfter: 1 })),
  },
  'tool-delta-no-index': {
    description: 'streamed tool calls arrive whole in one delta, without index (Gemini)',
    reply: onSse((r) => ({ ...r, chunks: wholeToolCalls(r.chunks) })),
  },
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
  'stream-disagrees': {
    description: 'streams end with finish_reason length while the blocking answer says stop/tool_calls',
    reply: onSse((r) => ({
      ...r,
      chunks: r.chunks.map((c) => mapChoices(c, (choice) => (choice.finish_reason == null ? choice : { ...choice, finish_reason: 'length' }))),
    })),
  },
  'usage-mismatch': {
    description: 'total_tokens = prompt_tokens + completion_tokens + 7',
    chat: (a) => ({ ...a, usage: { ...a.usage, total_tokens: a.usage.total_tokens + 7 } }),
  },
  'usage-missing': {
    description: 'no usage in blocking chat answers, no usage chunk in streams',
    reply: (r, op) => {
      if (op !== 'chat.completions') return r;
      if (r.kind === 'sse') return { ...r, chunks: r.chunks.filter((c) => !isUsageChunk(c)) };
      if (r.kind === 'json' && r.status === 200 && isObject(r.body)) {
        const { usage: _, ...body } = r.body;
        return { ...r, body };
      }
      return r;
    },
  },
  'usage-every-chunk': {
    description: 'streams carry usage on every chunk and have no choices: [] usage chunk (Gemini)',
    reply: onSse((r) => {
      const usageChunk = r.chunks.find(isUsageChunk);
      if (!usageChunk) return r;
      return { ...r, chunks: r.chunks.filter((c) => c !== usageChunk).map((c) => ({ ...c, usage: usageChunk.usage })) };
    }),
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
  'embedding-wrong-dimensions': {
    description: 'embeddings ignore dimensions and the first vector is one element longer than the others',
    request: (req) => {
      if (!req.path.endsWith('/embeddings') || !isObject(req.json)) return req;
      const { dimensions: _, ...json } = req.json;
      return { ...req, json };
    },
    reply: onOk('embeddings', (r) => {
      const body = r.body as { data: Obj[] };
      const [first, ...others] = body.data;
      const e = first.embedding;
      const longer = Array.isArray(e) ? [...e, 0] : Buffer.concat([Buffer.from(e as string, 'base64'), Buffer.alloc(4)]).toString('base64');
      return { ...r, body: { ...body, data: [{ ...first, embedding: longer }, ...others] } };
    }),
  },
  'image-not-image': {
    description: 'generated images (b64_json and url) are bytes that are not an image',
    reply: (r, op) => {
      if (op === 'images.content' && r.kind === 'bytes') return { ...r, body: NOT_AN_IMAGE };
      if (op !== 'images.generate' || r.kind !== 'json' || r.status !== 200) return r;
      const body = r.body as { data: Obj[] };
      const data = body.data.map((d) => (d.b64_json ? { ...d, b64_json: NOT_AN_IMAGE.toString('base64') } : d));
      return { ...r, body: { ...body, data } };
    },
  },
  'model-id-mismatch': {
    description: 'GET /models/{id} answers with another model id',
    reply: onOk('models.retrieve', (r) => {
      const body = r.body as Obj;
      return { ...r, body: { ...body, id: MODEL_IDS.find((id) => id !== body.id) } };
    }),
  },
  'models-prefix': {
    description: 'model ids in list/retrieve carry a models/ prefix, which requests may also use (Gemini)',
    request: (req) => ({
      ...req,
      path: req.path.replace(/^\/v1\/models\/models(\/|%2F)/i, '/v1/models/'),
      json: isObject(req.json) && typeof req.json.model === 'string' ? { ...req.json, model: req.json.model.replace(/^models\//, '') } : req.json,
    }),
    reply: (r, op) => {
      if (r.kind !== 'json' || r.status !== 200) return r;
      const prefix = (m: Obj) => ({ ...m, id: `models/${m.id}` });
      const body = r.body as Obj;
      if (op === 'models.retrieve') return { ...r, body: prefix(body) };
      if (op === 'models.list') return { ...r, body: { ...body, data: (body.data as Obj[]).map(prefix) } };
      return r;
    },
  },
  'unknown-model-400': {
    description: 'an unknown model is answered with 400 instead of 404',
    reply: onJson((r) => (r.status === 404 && isObject(r.body) && isObject(r.body.error) && r.body.error.code === 'model_not_found' ? { ...r, status: 400 } : r)),
  },
  'error-array': {
    description: 'error bodies as Gemini sends them: [{"error":{"code":<status>,"message","status":"INVALID_ARGUMENT"|...}}]',
    reply: onJson((r) => {
      if (r.status < 400 || !isObject(r.body) || !isObject(r.body.error)) return r;
      return { ...r, body: geminiErrorBody(r.status, String(r.body.error.message)) };
    }),
  },
  'created-string': {
    description: 'every created / created_at value is serialised as a string',
    reply: (r) => mapPayloads(r, (v) => walk(v, (k, x) => ((k === 'created' || k === 'created_at') && typeof x === 'number' ? String(x) : x))),
  },
  'omit-nullable': {
    description: 'every key whose value is null is left out, recursively, in all JSON bodies and chunks (Gemini)',
    reply: (r) => mapPayloads(r, (v) => walk(v, (_, x) => (x === null ? DROP : x))),
  },
  'batch-output-camelcase': {
    description: 'batch output bodies Gemini-style: finishReason, promptTokens..., created as a string, no choices index',
    batchOutput: (lines) => lines.map((l) => ({ ...l, response: { ...l.response, body: geminiBatchBody(l.response.body) } })),
  },
  'batch-stuck': {
    description: 'a batch never leaves in_progress',
    batchStatus: (next) => (next === 'completed' ? 'in_progress' : next),
  },
  'batch-fails': {
    description: 'a batch ends failed instead of completed',
    batchStatus: (next) => (next === 'completed' ? 'failed' : next),
  },
  'batch-lost-line': {
    description: 'the batch output has one line fewer than the input while request_counts says all completed',
    batchOutput: (lines) => lines.slice(0, -1),
  },
  slow: {
    description: 'every response is delayed by 3000 ms',
    reply: (r) => ({ ...r, delayMs: 3000 }),
  },
};

export interface Profile {
  description: string;
  faults: string[];
}

export const PROFILES: Record<string, Profile> = {
  openai: { description: 'OpenAI behaviour, no faults', faults: [] },
  gemini: {
    description: "Gemini's OpenAI-compatible endpoint as recorded (shared/notes/gemini-observed-shapes.md)",
    faults: ['omit-nullable', 'tool-delta-no-index', 'usage-every-chunk', 'error-array', 'models-prefix', 'batch-output-camelcase'],
  },
};

/** The active faults of one server, applied in FAULTS order at each stage. */
export class FaultPipeline {
  private readonly active: Fault[];

  constructor(readonly names: string[]) {
    this.active = names.map((n) => FAULTS[n]);
  }
  request(req: ApiRequest): ApiRequest {
    return this.active.reduce((r, f) => f.request?.(r) ?? r, req);
  }
  chat(answer: ChatAnswer, req: ChatRequest): ChatAnswer {
    return this.active.reduce((a, f) => f.chat?.(a, req) ?? a, answer);
  }
  batchStatus(next: BatchStatus): BatchStatus {
    return this.active.reduce((s, f) => f.batchStatus?.(s) ?? s, next);
  }
  batchOutput(lines: OutputLine[]): OutputLine[] {
    return this.active.reduce((l, f) => f.batchOutput?.(l) ?? l, lines);
  }
  reply(reply: Reply, op: string): Reply {
    return this.active.reduce((r, f) => f.reply?.(r, op) ?? r, reply);
  }
}

/** The faults of a profile plus extra ones; throws listing the valid names on an unknown name. */
export function resolveFaults(profile = 'openai', extra: string[] = []): FaultPipeline {
  if (!Object.hasOwn(PROFILES, profile)) {
    throw new Error(`Unknown profile "${profile}". Valid profiles: ${Object.keys(PROFILES).join(', ')}`);
  }
  const unknown = extra.filter((name) => !Object.hasOwn(FAULTS, name));
  if (unknown.length) {
    throw new Error(`Unknown fault ${unknown.map((n) => `"${n}"`).join(', ')}. Valid faults: ${Object.keys(FAULTS).join(', ')}`);
  }
  const wanted = new Set([...PROFILES[profile].faults, ...extra]);
  return new FaultPipeline(Object.keys(FAULTS).filter((name) => wanted.has(name)));
}
