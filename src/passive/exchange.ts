import OpenAI from 'openai';
import type { Exchange, FeatureId, SdkOutcome, WireResponse } from '../core/types.js';
import type { Operation } from '../fixtures/load.js';
import { OPERATIONS } from '../operations/index.js';
import { sdkFailureOf } from '../runner/run-case.js';
import type { CapturedExchange } from './captured.js';

type Json = Record<string, unknown>;

/** An OpenAI endpoint as it appears in a URL path, and the ids its path carries. */
interface Route {
  method: string;
  /** Matched against the end of the path; the groups are path ids. */
  pattern: RegExp;
  operation: Operation;
  ids?: string[];
}

// Ids may hold slashes (Google's `models/gemini-2.0-flash`, `batches/...`): they take the rest of the path.
const ROUTES: Route[] = [
  { method: 'POST', pattern: /\/chat\/completions$/, operation: 'chat.completions.create' },
  { method: 'POST', pattern: /\/embeddings$/, operation: 'embeddings.create' },
  { method: 'POST', pattern: /\/images\/generations$/, operation: 'images.generate' },
  { method: 'GET', pattern: /\/models$/, operation: 'models.list' },
  { method: 'GET', pattern: /\/models\/(.+)$/, operation: 'models.retrieve', ids: ['model'] },
  { method: 'POST', pattern: /\/files$/, operation: 'files.create' },
  { method: 'GET', pattern: /\/files\/(.+)\/content$/, operation: 'files.content', ids: ['file_id'] },
  { method: 'POST', pattern: /\/batches$/, operation: 'batches.create' },
  { method: 'GET', pattern: /\/batches\/(.+)$/, operation: 'batches.retrieve', ids: ['batch_id'] },
];

/** The endpoints validate knows, for messages. */
export const KNOWN_ENDPOINTS = ROUTES.map((r) => `${r.method} ${r.pattern.source.replace(/\\/g, '').replace('(.+)', '{id}').replace('$', '')}`);

export interface Endpoint {
  operation: Operation;
  /** The URL up to the endpoint: what a client would use as its base URL. */
  baseUrl: string;
  /** Request parameters the path carries (`model`, `file_id`, `batch_id`). */
  pathParams: Json;
}

/** The operation a request calls, from its method and path; undefined for an endpoint this tool does not know. */
export function endpointOf(method: string, url: string): Endpoint | undefined {
  const parsed = new URL(url);
  const pathname = parsed.pathname.replace(/\/+$/, '');
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    // The leftmost match wins: the first `/models/` starts the id, so `models/models/x` keeps Google's prefix.
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const pathParams = Object.fromEntries((route.ids ?? []).map((id, i) => [id, decodeURIComponent(match[i + 1] ?? '')]));
    return { operation: route.operation, baseUrl: `${parsed.origin}${pathname.slice(0, match.index)}`, pathParams };
  }
  return undefined;
}

/** The request's JSON body, or undefined when there is none or it is not a JSON object (multipart uploads). */
export function requestJson(body: string | undefined): Json | undefined {
  if (!body) return undefined;
  try {
    const value = JSON.parse(body) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** The feature a captured call exercises, from what the request asks for (the first that fits). */
export function featureOf(operation: Operation, params: Json | undefined, status: number | undefined, stream: boolean): FeatureId {
  if (status !== undefined && status >= 400) return 'errors';
  switch (operation) {
    case 'models.list':
    case 'models.retrieve':
      return 'models';
    case 'embeddings.create':
      return 'embeddings';
    case 'images.generate':
      return 'images';
    case 'files.create':
    case 'files.content':
    case 'batches.create':
    case 'batches.retrieve':
      return 'batch';
    default:
      break;
  }
  const p = params ?? {};
  if (Array.isArray(p.tools) && p.tools.length > 0) return 'tools';
  const format = (p.response_format as Json | undefined)?.type;
  if (format === 'json_schema' || format === 'json_object') return 'structured-output';
  const parts = JSON.stringify(p.messages ?? []);
  if (parts.includes('"image_url"')) return 'vision';
  if (parts.includes('"input_audio"') || (Array.isArray(p.modalities) && p.modalities.includes('audio'))) return 'audio';
  if (p.reasoning_effort !== undefined || (p.extra_body as Json | undefined)?.google !== undefined) return 'thinking';
  return stream ? 'streaming' : 'chat';
}

const NULL_BODY = new Set([101, 204, 205, 304]);
// The captured body is already decoded and complete: these headers would describe other bytes.
const DROPPED = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/** A `fetch` that answers any request with the captured response, byte for byte. */
function replayFetch(response: WireResponse): typeof fetch {
  const answer = async (): Promise<Response> => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (DROPPED.has(name)) continue;
      try {
        headers.append(name, value);
      } catch {
        // A header value fetch refuses (bad bytes) says nothing about the body: leave it out.
      }
    }
    return new Response(NULL_BODY.has(response.status) ? null : response.body, { status: response.status, headers });
  };
  return Object.assign(answer, { Response: globalThis.Response }) as typeof fetch;
}

/**
 * What the official `openai` SDK makes of a captured response: the same call the suite would
 * make, answered with the captured bytes instead of the network.
 */
export async function sdkReplay(operation: Operation, params: Json, stream: boolean, response: WireResponse): Promise<SdkOutcome> {
  const client = new OpenAI({ apiKey: 'captured-traffic', baseURL: 'http://captured.invalid/v1', maxRetries: 0, fetch: replayFetch(response) });
  // files.create builds its upload from a fixture's spec, and the chat stream helper iterates the
  // request's messages: stand-ins where the capture lacks them, since only the answer matters here.
  let call = params;
  if (operation === 'files.create') call = { purpose: 'batch', ...params, file: { filename: 'captured.jsonl', jsonl: [] } };
  if (operation.startsWith('chat.') && !Array.isArray(params.messages)) call = { ...params, messages: [] };
  try {
    const result = await OPERATIONS[operation].invoke(client, call, stream);
    return { ok: true, value: result.value };
  } catch (error) {
    return sdkFailureOf(error, []);
  }
}

/** Whether the answer is a stream: the request says so, else the response's content type. */
export function isStreamed(operation: Operation, params: Json | undefined, response: WireResponse | undefined): boolean {
  if (!OPERATIONS[operation].streamable) return false;
  if (params && typeof params.stream === 'boolean') return params.stream && (response === undefined || response.status < 400);
  return (response?.headers['content-type'] ?? '').toLowerCase().startsWith('text/event-stream');
}

/** The Exchange the checks see, before the SDK outcome is known. */
export function baseExchange(c: CapturedExchange, operation: Operation, params: Json, stream: boolean): Exchange {
  return {
    operation,
    stream,
    params,
    ...(c.request ? { request: c.request } : {}),
    ...(c.response ? { response: c.response } : {}),
    sdk: { ok: false, error: { name: 'NotRun', message: 'the SDK has not seen this response yet' } },
    ...(c.transportError ? { transportError: c.transportError } : {}),
    durationMs: c.durationMs,
  };
}
