import { decodeSse, splitOpenAiStream } from '../sse/index.js';
import type { Exchange, Finding, Severity } from '../core/types.js';

/** Text that describes what was received (a count, an absence), shown as is rather than as a JSON value. */
export class Described {
  constructor(readonly text: string) {}
}

export const described = (text: string) => new Described(text);

/** Short rendering of a value for findings: JSON, cut to 80 characters; described text as is. */
export function show(value: unknown): string {
  if (value instanceof Described) return value.text;
  if (value === undefined) return '(missing)';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function finding(path: string, expected: string, received: unknown, severity: Severity, note?: string): Finding {
  return { path, expected, received: show(received), severity, ...(note ? { note } : {}) };
}

type Json = Record<string, unknown>;

const jsonCache = new WeakMap<Exchange, { ok: boolean; value?: unknown; error?: string }>();

/** The response body parsed as JSON (cached per exchange). */
export function parseBody(exchange: Exchange): { ok: boolean; value?: unknown; error?: string } {
  let parsed = jsonCache.get(exchange);
  if (!parsed) {
    try {
      parsed = { ok: true, value: JSON.parse(exchange.response?.body ?? '') };
    } catch (error) {
      parsed = { ok: false, error: (error as Error).message };
    }
    jsonCache.set(exchange, parsed);
  }
  return parsed;
}

export interface JsonLine {
  /** 1-based line number in the file. */
  number: number;
  text: string;
  value?: unknown;
  error?: string;
}

const linesCache = new WeakMap<Exchange, JsonLine[]>();

/** The non-empty lines of a JSONL body, each parsed (cached per exchange). */
export function jsonLines(exchange: Exchange): JsonLine[] {
  let lines = linesCache.get(exchange);
  if (!lines) {
    lines = (exchange.response?.body ?? '').split('\n').flatMap((text, i): JsonLine[] => {
      if (!text.trim()) return [];
      try {
        return [{ number: i + 1, text, value: JSON.parse(text) as unknown }];
      } catch (error) {
        return [{ number: i + 1, text, error: (error as Error).message }];
      }
    });
    linesCache.set(exchange, lines);
  }
  return lines;
}

const streamCache = new WeakMap<Exchange, ReturnType<typeof decodeStream>>();

function decodeStream(body: string) {
  const { events, problems } = decodeSse(body);
  return { events, problems, ...splitOpenAiStream(events) };
}

/** The SSE body decoded: events, problems, JSON payloads and the [DONE] sentinel (cached). */
export function streamOf(exchange: Exchange): ReturnType<typeof decodeStream> {
  let decoded = streamCache.get(exchange);
  if (!decoded) {
    decoded = decodeStream(exchange.response?.body ?? '');
    streamCache.set(exchange, decoded);
  }
  return decoded;
}

/** The JSON payloads of a stream, in order: the chunks as a client receives them. */
export function chunksOf(exchange: Exchange): Json[] {
  return streamOf(exchange).payloads.flatMap((p) => (p.json && typeof p.json === 'object' ? [p.json as Json] : []));
}

/**
 * An error sent inside a 200 stream (`data: {"error": {...}}`, as OpenAI and OpenRouter do when
 * a generation fails mid-way): the event and its message. The SDK raises it as an APIError.
 */
export function inBandError(exchange: Exchange): { event: number; message: string } | undefined {
  if (!exchange.stream) return undefined;
  for (const p of streamOf(exchange).payloads) {
    const error = (p.json as Json | undefined)?.error;
    if (error && typeof error === 'object') {
      const message = (error as Json).message;
      return { event: p.index, message: typeof message === 'string' ? message : JSON.stringify(error) };
    }
  }
  return undefined;
}

interface ToolCallAcc {
  id?: string;
  type?: string;
  /** Vendor data on the call (Gemini 3's thought signature), kept as a client that passes it on would. */
  extra_content?: unknown;
  function: { name: string; arguments: string };
}

/**
 * Puts a chat stream back together the way a tolerant client would, independently of the SDK:
 * tool-call deltas are keyed by `index`, or by `id` when a vendor leaves `index` out, and
 * `usage` is the last one sent (vendors that repeat it per chunk send running values).
 */
export function reassembleStream(chunks: unknown[]): Json {
  const choices = new Map<number, { role?: string; content: string; refusal?: string; reasoning: string; finish_reason: unknown; tools: Map<string, ToolCallAcc> }>();
  let usage: unknown;
  let head: Json = {};
  let position = 0;
  for (const chunk of chunks as Json[]) {
    if (!chunk || typeof chunk !== 'object') continue;
    if (Object.keys(head).length === 0) head = { id: chunk.id, created: chunk.created, model: chunk.model };
    if (chunk.usage) usage = chunk.usage;
    for (const choice of (Array.isArray(chunk.choices) ? chunk.choices : []) as Json[]) {
      const index = typeof choice.index === 'number' ? choice.index : 0;
      let acc = choices.get(index);
      if (!acc) choices.set(index, (acc = { content: '', reasoning: '', finish_reason: null, tools: new Map() }));
      const delta = (choice.delta ?? {}) as Json;
      if (typeof delta.role === 'string') acc.role = delta.role;
      if (typeof delta.content === 'string') acc.content += delta.content;
      if (typeof delta.refusal === 'string') acc.refusal = (acc.refusal ?? '') + delta.refusal;
      for (const field of ['reasoning_content', 'reasoning']) if (typeof delta[field] === 'string') acc.reasoning += delta[field];
      if (choice.finish_reason != null) acc.finish_reason = choice.finish_reason;
      for (const tc of (Array.isArray(delta.tool_calls) ? delta.tool_calls : []) as Json[]) {
        const key = typeof tc.index === 'number' ? `i${tc.index}` : tc.id ? `id:${String(tc.id)}` : `p${position++}`;
        let call = acc.tools.get(key);
        if (!call) acc.tools.set(key, (call = { function: { name: '', arguments: '' } }));
        // An empty id is kept as sent (Gemini 2025 sends ""), so checks see it rather than none.
        if (typeof tc.id === 'string' && (tc.id !== '' || call.id === undefined)) call.id = tc.id;
        if (tc.type) call.type = String(tc.type);
        if (tc.extra_content !== undefined) call.extra_content = tc.extra_content;
        const fn = (tc.function ?? {}) as Json;
        if (typeof fn.name === 'string' && fn.name) call.function.name = fn.name;
        if (typeof fn.arguments === 'string') call.function.arguments += fn.arguments;
      }
    }
  }
  return {
    ...head,
    object: 'chat.completion',
    choices: [...choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, acc]) => ({
        index,
        finish_reason: acc.finish_reason,
        message: {
          role: acc.role,
          content: acc.refusal !== undefined && acc.content === '' ? null : acc.content,
          ...(acc.refusal !== undefined ? { refusal: acc.refusal } : {}),
          ...(acc.reasoning ? { reasoning_content: acc.reasoning } : {}),
          ...(acc.tools.size ? { tool_calls: [...acc.tools.values()] } : {}),
        },
      })),
    ...(usage ? { usage } : {}),
  };
}

const answerCache = new WeakMap<Exchange, Json | undefined>();

/**
 * The answer as an app would hold it: the JSON body of a blocking call, or the reassembled
 * stream. Undefined when there is nothing parseable.
 */
export function answerOf(exchange: Exchange): Json | undefined {
  if (exchange.stream) {
    // Several checks read the answer of a stream: it is put together once per exchange.
    if (!answerCache.has(exchange)) {
      const chunks = chunksOf(exchange);
      answerCache.set(exchange, chunks.length > 0 ? reassembleStream(chunks) : undefined);
    }
    return answerCache.get(exchange);
  }
  const parsed = parseBody(exchange);
  return parsed.ok && parsed.value && typeof parsed.value === 'object' ? (parsed.value as Json) : undefined;
}

/**
 * Whether there is anything to check beyond the wire: a JSON body, or a stream with at least one
 * JSON payload. JSONL files are judged line by line, so they always are.
 */
export function isParseable(exchange: Exchange, jsonl: boolean): boolean {
  if (exchange.stream) return streamOf(exchange).payloads.some((p) => p.json !== undefined);
  return jsonl || parseBody(exchange).ok;
}

/** What the app got: the SDK's value when the SDK coped, else the answer from the raw body. */
export function valueOf(exchange: Exchange): unknown {
  return exchange.sdk.ok ? exchange.sdk.value : answerOf(exchange);
}

/** A finding for a check that had no answer to look at. */
export function noAnswer(severity: Severity = 'must'): Finding[] {
  return [finding('/', 'a JSON answer to check', described('(none)'), severity, 'the response could not be parsed; see the wire checks')];
}

export function firstMessage(answer: Json | undefined): Json | undefined {
  const choices = answer?.choices;
  return Array.isArray(choices) ? ((choices[0] as Json | undefined)?.message as Json | undefined) : undefined;
}
