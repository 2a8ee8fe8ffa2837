import type { Exchange, Finding, Severity } from '../core/types.js';
import { chunkFold, foldOf, streamDigest } from './stream-pass.js';

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

/** An error event of a stream: where it came, and what it said. */
type InBandError = { event: number; message: string };

const inBandFold = chunkFold<{ found?: InBandError }, InBandError | undefined>({
  name: 'in-band-error',
  init: () => ({}),
  step(state, value, event) {
    const error = (value as Json | null)?.error;
    if (state.found || !error || typeof error !== 'object') return;
    const message = (error as Json).message;
    state.found = { event, message: typeof message === 'string' ? message : JSON.stringify(error) };
  },
  finish: (state) => state.found,
});

/**
 * An error sent inside a 200 stream (`data: {"error": {...}}`, as OpenAI and OpenRouter do when
 * a generation fails mid-way): the event and its message. The SDK raises it as an APIError.
 */
export function inBandError(exchange: Exchange): InBandError | undefined {
  return exchange.stream ? foldOf(exchange, inBandFold) : undefined;
}

interface ToolCallAcc {
  id?: string;
  type?: string;
  /** Vendor data on the call (Gemini 3's thought signature), kept as a client that passes it on would. */
  extra_content?: unknown;
  function: { name: string; arguments: string };
}

interface ChoiceAcc {
  role?: string;
  content: string;
  refusal?: string;
  reasoning: string;
  finish_reason: unknown;
  tools: Map<string, ToolCallAcc>;
}

interface Reassembly {
  chunks: number;
  head?: Json;
  usage?: unknown;
  choices: Map<number, ChoiceAcc>;
  /** Tool-call deltas with neither index nor id, each a call of its own. */
  position: number;
}

const newReassembly = (): Reassembly => ({ chunks: 0, choices: new Map(), position: 0 });

function addChunk(acc: Reassembly, chunk: Json): void {
  acc.chunks++;
  acc.head ??= { id: chunk.id, created: chunk.created, model: chunk.model };
  if (chunk.usage) acc.usage = chunk.usage;
  for (const choice of (Array.isArray(chunk.choices) ? chunk.choices : []) as Json[]) {
    const index = typeof choice.index === 'number' ? choice.index : 0;
    let c = acc.choices.get(index);
    if (!c) acc.choices.set(index, (c = { content: '', reasoning: '', finish_reason: null, tools: new Map() }));
    const delta = (choice.delta ?? {}) as Json;
    if (typeof delta.role === 'string') c.role = delta.role;
    if (typeof delta.content === 'string') c.content += delta.content;
    if (typeof delta.refusal === 'string') c.refusal = (c.refusal ?? '') + delta.refusal;
    if (typeof delta.reasoning_content === 'string') c.reasoning += delta.reasoning_content;
    if (typeof delta.reasoning === 'string') c.reasoning += delta.reasoning;
    if (choice.finish_reason != null) c.finish_reason = choice.finish_reason;
    if (!Array.isArray(delta.tool_calls)) continue;
    for (const tc of delta.tool_calls as Json[]) {
      const key = typeof tc.index === 'number' ? `i${tc.index}` : tc.id ? `id:${String(tc.id)}` : `p${acc.position++}`;
      let call = c.tools.get(key);
      if (!call) c.tools.set(key, (call = { function: { name: '', arguments: '' } }));
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

function assembled(acc: Reassembly): Json {
  return {
    ...acc.head,
    object: 'chat.completion',
    choices: [...acc.choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => ({
        index,
        finish_reason: c.finish_reason,
        message: {
          role: c.role,
          content: c.refusal !== undefined && c.content === '' ? null : c.content,
          ...(c.refusal !== undefined ? { refusal: c.refusal } : {}),
          ...(c.reasoning ? { reasoning_content: c.reasoning } : {}),
          ...(c.tools.size ? { tool_calls: [...c.tools.values()] } : {}),
        },
      })),
    ...(acc.usage ? { usage: acc.usage } : {}),
  };
}

/**
 * Puts a chat stream back together the way a tolerant client would, independently of the SDK:
 * tool-call deltas are keyed by `index`, or by `id` when a vendor leaves `index` out, and
 * `usage` is the last one sent (vendors that repeat it per chunk send running values).
 */
export function reassembleStream(chunks: unknown[]): Json {
  const acc = newReassembly();
  for (const chunk of chunks) if (chunk && typeof chunk === 'object') addChunk(acc, chunk as Json);
  return assembled(acc);
}

/** The same, chunk by chunk in the stream pass: undefined for a stream without a JSON object chunk. */
const answerFold = chunkFold<Reassembly, Json | undefined>({
  name: 'answer',
  init: newReassembly,
  step: (acc, value, _event, chunk) => chunk >= 0 && addChunk(acc, value as Json),
  finish: (acc) => (acc.chunks > 0 ? assembled(acc) : undefined),
});

/**
 * The answer as an app would hold it: the JSON body of a blocking call, or the reassembled
 * stream. Undefined when there is nothing parseable.
 */
export function answerOf(exchange: Exchange): Json | undefined {
  if (exchange.stream) {
    return foldOf(exchange, answerFold);
  }
  const parsed = parseBody(exchange);
  return parsed.ok && parsed.value && typeof parsed.value === 'object' ? (parsed.value as Json) : undefined;
}

/**
 * Whether there is anything to check beyond the wire: a JSON body, or a stream with at least one
 * JSON payload. JSONL files are judged line by line, so they always are.
 */
export function isParseable(exchange: Exchange, jsonl: boolean): boolean {
  if (exchange.stream) return streamDigest(exchange).sse.jsonPayloads > 0;
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
