import { serverError } from '../errors.js';
import { geminiErrorBody } from '../gemini-shapes.js';
import { isObject } from '../params.js';
import { DROP, isUsageChunk, mapPayloads, onJson, walk } from './shape.js';
import type { Fault } from './pipeline.js';

/** The delay of the `slow` fault: OAI_COMPAT_SLOW_MS when it is a whole number of milliseconds, else 3000. */
function slowMs(): number {
  const ms = Number(process.env.OAI_COMPAT_SLOW_MS);
  return Number.isInteger(ms) && ms >= 0 && process.env.OAI_COMPAT_SLOW_MS ? ms : 3000;
}

/** Faults of any reply before it is serialised: status, content type, body encoding, error bodies. */
export const replyFaults: Record<string, Fault> = {
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
