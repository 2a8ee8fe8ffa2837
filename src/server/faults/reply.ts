import { serverError } from '../errors.js';
import { geminiErrorBody } from '../gemini-shapes.js';
import { isObject } from '../params.js';
import type { Reply } from '../stages.js';
import { DROP, isUsageChunk, mapPayloads, onJson, walk } from './shape.js';
import type { Fault } from './pipeline.js';

/** The delay of the `slow` fault: OAI_COMPAT_SLOW_MS when it is a whole number of milliseconds, else 3000. */
function slowMs(): number {
  const ms = Number(process.env.OAI_COMPAT_SLOW_MS);
  return Number.isInteger(ms) && ms >= 0 && process.env.OAI_COMPAT_SLOW_MS ? ms : 3000;
}

const BAD_GATEWAY_PAGE = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title><style>body { font-family: sans-serif; margin: 4em; }</style></head>
<body><h1>502 Bad Gateway</h1><p>The upstream server returned an invalid response.</p><hr><address>nginx</address>
${'<!-- a padding comment, as error pages of proxies have -->\n'.repeat(20)}</body></html>
`;

/** What the huge-body fault pads a chat answer to. */
export const HUGE_BODY_BYTES = 50 * 1024 * 1024;

const onChat = (f: (r: Reply) => Reply) => (r: Reply, op: string) => (op === 'chat.completions' ? f(r) : r);

/** Faults of any reply before it is serialised: status, content type, body encoding, error bodies. */
export const replyFaults: Record<string, Fault> = {
  'http-502-html': {
    description: "chat requests are answered 502 with a proxy's HTML error page",
    reply: onChat(() => ({ kind: 'bytes', status: 502, body: Buffer.from(BAD_GATEWAY_PAGE), contentType: 'text/html' })),
  },
  'bad-gzip': {
    description: 'chat JSON answers say Content-Encoding: gzip but are not gzip',
    reply: onChat(onJson((r) => ({ ...r, headers: { ...r.headers, 'content-encoding': 'gzip' } }))),
  },
  'huge-body': {
    description: 'blocking chat answers are padded to a 50 MB body (one huge message content)',
    reply: onChat(
      onJson((r) => {
        if (r.status !== 200 || !isObject(r.body) || !Array.isArray(r.body.choices)) return r;
        const [first, ...others] = r.body.choices as Record<string, unknown>[];
        const message = { ...(first?.message as object), content: 'x'.repeat(HUGE_BODY_BYTES) };
        return { ...r, body: { ...r.body, choices: [{ ...first, message }, ...others] } };
      }),
    ),
  },
  'reset-before-headers': {
    description: 'chat requests get the connection reset before any header is sent',
    reply: onChat((r) => ({ ...r, resetBeforeHeaders: true })),
  },
  'headers-never-sent': {
    description: 'chat requests are never answered: no header, the connection stays open',
    reply: onChat((r) => ({ ...r, withholdHeaders: true })),
  },
  'http-500': {
    description: 'every /v1 endpoint answers 500 with an OpenAI error body (type server_error)',
    reply: () => serverError(),
  },
  'json-content-type': {
    description: 'JSON responses say Content-Type: text/plain',
    reply: onJson((r) => ({ ...r, contentType: 'text/plain' })),
  },
  'garbage-body': {
    description: 'blocking 200 JSON bodies are cut in half',
    reply: onJson((r) => (r.status === 200 ? { ...r, cutInHalf: true } : r)),
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
  slow: {
    description: 'every response is delayed by 3000 ms (OAI_COMPAT_SLOW_MS sets another delay)',
    reply: (r) => ({ ...r, delayMs: slowMs() }),
  },
};
