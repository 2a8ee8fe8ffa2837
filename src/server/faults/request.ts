import { isObject } from '../params.js';
import type { ApiRequest, Obj } from '../stages.js';
import { keyOf } from '../auth.js';
import type { Fault } from './pipeline.js';
import { omitKeys } from './shape.js';

const chatBody = (req: ApiRequest) => (req.path === '/v1/chat/completions' && isObject(req.json) ? req.json : undefined);

/** A chat completion request's JSON body changed by `f`; other requests unchanged. */
const editChat = (f: (body: Obj) => Obj) => (req: ApiRequest) => {
  const body = chatBody(req);
  return body ? { ...req, json: f(body) } : req;
};


/** Refuse a chat request with a 400 when `why` names a reason (Gemini's wording, from public reports). */
const rejectChat = (why: (body: Obj) => { message: string; param: string | null } | undefined) => (req: ApiRequest) => {
  const body = chatBody(req);
  const reason = body && why(body);
  return reason ? { ...req, rejected: { status: 400, ...reason } } : req;
};

/** Chat requests seen once by rate-limit-once, by server (host), path and body. */
const seenOnce = new Set<string>();

const messagesOf = (body: Obj) => (Array.isArray(body.messages) ? (body.messages as Obj[]) : []);

/** Faults of the parsed request, before any handler sees it. */
export const requestFaults: Record<string, Fault> = {
  'rate-limit': {
    description: 'every chat request is answered 429 with Retry-After: 1, ahead of auth (a rate limiter in front)',
    request: (req) => (req.path === '/v1/chat/completions' ? { ...req, throttled: { retryAfter: '1' } } : req),
  },
  'rate-limit-once': {
    description: 'the first of each distinct chat request is answered 429 with Retry-After: 1; the same request again is answered',
    request: (req) => {
      if (req.path !== '/v1/chat/completions') return req;
      const key = `${String(req.headers.host)} ${req.raw.toString('utf8')}`;
      if (seenOnce.has(key)) return req;
      seenOnce.add(key);
      return { ...req, throttled: { retryAfter: '1' } };
    },
  },
  'echo-key': {
    description: 'every request is refused 401, echoing its API key raw in the message, base64 in a header, percent-encoded in a URL',
    request: (req) => {
      const key = keyOf(req.headers) ?? '';
      const url = `https://reference.invalid/keys?key=${encodeURIComponent(key)}`;
      return {
        ...req,
        rejected: {
          status: 401,
          message: `Incorrect API key provided: ${key}. Manage keys at ${url}`,
          param: null,
          headers: { 'x-echo-credentials': `Basic ${Buffer.from(`user:${key}`).toString('base64')}`, link: `<${url}>; rel="help"` },
        },
      };
    },
  },
  'auth-ignored': {
    description: 'any API key (or none) is accepted',
    request: (req) => ({ ...req, authorized: true }),
  },
  'n-ignored': {
    description: 'chat requests ignore n: one choice comes back (llama.cpp)',
    request: editChat((body) => omitKeys(body, 'n')),
  },
  'max-tokens-ignored': {
    description: 'chat requests ignore max_tokens and max_completion_tokens',
    request: editChat((body) => omitKeys(body, 'max_tokens', 'max_completion_tokens')),
  },
  'stop-ignored': {
    description: 'chat requests ignore stop sequences',
    request: editChat((body) => omitKeys(body, 'stop')),
  },
  'reject-system-only': {
    description: 'a conversation of only system messages is refused with 400 (Gemini)',
    request: rejectChat((body) =>
      messagesOf(body).length > 0 && messagesOf(body).every((m) => m.role === 'system' || m.role === 'developer')
        ? { message: '* GenerateContentRequest.contents: contents is not specified', param: 'messages' }
        : undefined,
    ),
  },
  'reject-empty-text': {
    description: 'a message whose content is "" is refused with 400 (Gemini)',
    request: rejectChat((body) =>
      messagesOf(body).some((m) => m.content === '') ? { message: 'Unable to submit request because it has an empty text parameter.', param: 'messages' } : undefined,
    ),
  },
  'reject-null-refusal': {
    description: 'an assistant message sent back with refusal: null (as the SDKs return it) is refused with 400 (Gemini)',
    request: rejectChat((body) =>
      messagesOf(body).some((m) => 'refusal' in m && m.refusal === null) ? { message: 'Value is not a string: null', param: 'messages' } : undefined,
    ),
  },
  'reject-tool-message-without-name': {
    description: 'a tool message without the non-standard name is refused with 400 (Gemini)',
    request: rejectChat((body) =>
      messagesOf(body).some((m) => m.role === 'tool' && typeof m.name !== 'string')
        ? { message: 'GenerateContentRequest.contents[2].parts[0].function_response.name: Name cannot be empty.', param: 'messages' }
        : undefined,
    ),
  },
  'reject-sdk-default-fields': {
    description: 'store, metadata and prompt_cache_key (sent by SDKs and agent frameworks) are refused with 400 (Gemini)',
    request: rejectChat((body) => {
      const field = ['store', 'metadata', 'prompt_cache_key'].find((k) => k in body);
      return field ? { message: `Invalid JSON payload received. Unknown name "${field}": Cannot find field.`, param: field } : undefined;
    }),
  },
};
