/**
 * The shapes a request takes on its way through the reference server: the parsed request, the
 * chat request and answer, batch and file records, and the reply before it is serialised. Types
 * only, imported by every other module and importing none, so src/server has no import circle.
 * Faults (faults/) are transformations of exactly these stages.
 */
import type { IncomingHttpHeaders } from 'node:http';

export type Obj = Record<string, unknown>;

/** One request, as handlers and request faults see it. `path` is relative to /v1. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** The parsed JSON body; undefined when there is none or it does not parse (see `invalidJson`). */
  json: unknown;
  invalidJson: boolean;
  authorized: boolean;
  /** Set by a request fault that refuses the request outright, as a vendor's stricter validation does. */
  rejected?: { status: number; message: string; param: string | null; headers?: Record<string, string> };
  /** Set by a rate-limit fault: answered 429 with this Retry-After, ahead of auth as a gateway's limiter is. */
  throttled?: { retryAfter: string };
}

/**
 * What a handler answers, before faults transform it and `writeReply` serialises it. The
 * optional fields exist for faults: each one is a deviation the writer knows how to produce.
 */
interface ReplyBase {
  status: number;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Destroy the socket before anything is written: a reset before any header. */
  resetBeforeHeaders?: boolean;
  /** Write nothing at all and keep the connection open until the client gives up. */
  withholdHeaders?: boolean;
}
export interface JsonReply extends ReplyBase {
  kind: 'json';
  body: unknown;
  contentType?: string;
  /** Send only the first half of the serialised body. */
  cutInHalf?: boolean;
}
export interface SseReply extends ReplyBase {
  kind: 'sse';
  chunks: Obj[];
  contentType?: string;
  /** Whether `data: [DONE]` ends the stream. */
  done: boolean;
  /** What ends each event: a blank line on the wire is `\n\n`. */
  eventEnd: string;
  /** Destroy the socket after this many events. */
  truncateAfter?: number;
  /** After this many events send nothing more, keeping the connection open until the client gives up. */
  stallAfter?: number;
  /** Raw SSE text sent after the chunks (and after `[DONE]` when `done`): for faults that add events. */
  trailer?: string;
}
export interface BytesReply extends ReplyBase {
  kind: 'bytes';
  body: Buffer;
  contentType: string;
}
export type Reply = JsonReply | SseReply | BytesReply;

export interface ChatMessage {
  role: string;
  /** The text parts, joined by newlines. */
  text: string;
  /** One sentence per image or audio part. */
  media: string[];
  /** An assistant message's tool calls, as sent back. */
  toolCalls: ToolCall[];
}
export interface FunctionTool {
  name: string;
  parameters: unknown;
}
export type ToolChoice = 'none' | 'auto' | 'required' | { name: string };
export type ResponseFormat = { type: 'text' } | { type: 'json_object' } | { type: 'json_schema'; schema: unknown };

export interface Thinking {
  budget: number;
  includeThoughts: boolean;
}

/** A validated chat completion request, reduced to what the reference model looks at. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  n: number;
  stream: boolean;
  includeUsage: boolean;
  tools: FunctionTool[];
  toolChoice: ToolChoice;
  /** parallel_tool_calls (default true). */
  parallelToolCalls: boolean;
  responseFormat: ResponseFormat;
  thinking: Thinking;
  maxTokens?: number;
  /** Stop sequences: the text ends before the first of them. */
  stop: string[];
  /** Google's extra_body.google.cached_content, when the request names a known cache. */
  cachedTokens: number;
  promptTokens: number;
  /** Hash of messages and tools: tool call ids derive from it, so stream and blocking agree. */
  conversation: string;
}

export type FinishReason = 'stop' | 'tool_calls' | 'length';

export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
  /** Gemini 3's thought signature (extra_content.google.thought_signature). */
  signature?: string;
}

/** OpenAI's `CompletionUsage`. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: { reasoning_tokens: number; audio_tokens: number; accepted_prediction_tokens: number; rejected_prediction_tokens: number };
}

/** What the reference model answers, before it is rendered as a completion or as stream chunks. */
export interface ChatAnswer {
  /** Thought summary, sent as `<thought>…</thought>` before the text (Gemini's include_thoughts). */
  thought: string | null;
  /** Null for a tool-call answer or a refusal. */
  text: string | null;
  /** Why the model declines to answer (OpenAI's message.refusal); null otherwise. */
  refusal: string | null;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
}

export type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

export interface InputLine {
  custom_id: string;
  method: 'POST';
  url: string;
  body: Obj;
}
export interface OutputLine {
  id: string;
  custom_id: string;
  response: { status_code: number; request_id: string; body: unknown };
  error: null;
}
export interface BatchRecord {
  batch: Obj & { id: string; status: BatchStatus; endpoint: string };
  lines: InputLine[];
}

export interface FileObject {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: 'processed';
  expires_at: null;
  status_details: null;
}
export interface StoredFile {
  meta: FileObject;
  content: Buffer;
}
