import { mapChoices, wholeToolCalls } from '../gemini-shapes.js';
import type { Obj } from '../stages.js';
import { isUsageChunk, omitKeys, onSse } from './shape.js';
import type { Fault } from './pipeline.js';

/** Faults of SSE replies: framing, chunk shapes, what a stream carries. */
export const streamFaults: Record<string, Fault> = {
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
  'sse-stall': {
    description: 'streams send the first chunk, then nothing more; the connection stays open',
    reply: onSse((r) => ({ ...r, stallAfter: 1 })),
  },
  'tool-delta-no-index': {
    description: 'streamed tool calls arrive whole in one delta, without index (Gemini)',
    reply: onSse((r) => ({ ...r, chunks: wholeToolCalls(r.chunks) })),
  },
  'stream-disagrees': {
    description: 'streams end with finish_reason length while the blocking answer says stop/tool_calls',
    reply: onSse((r) => ({
      ...r,
      chunks: r.chunks.map((c) => mapChoices(c, (choice) => (choice.finish_reason == null ? choice : { ...choice, finish_reason: 'length' }))),
    })),
  },
  'usage-every-chunk': {
    description: 'streams carry usage on every chunk and have no choices: [] usage chunk (Gemini)',
    reply: onSse((r) => {
      const usageChunk = r.chunks.find(isUsageChunk);
      if (!usageChunk) return r;
      return { ...r, chunks: r.chunks.filter((c) => c !== usageChunk).map((c) => ({ ...c, usage: usageChunk.usage })) };
    }),
  },
  'stream-tool-calls-stop': {
    description: 'streamed tool-call answers end with finish_reason stop (blocking says tool_calls) (Gemini)',
    reply: onSse((r) => ({ ...r, chunks: r.chunks.map((c) => mapChoices(c, (ch) => (ch.finish_reason === 'tool_calls' ? { ...ch, finish_reason: 'stop' } : ch))) })),
  },
  'stream-id-changes': {
    description: 'every chunk of a stream carries a different id',
    reply: onSse((r) => ({ ...r, chunks: r.chunks.map((c, i) => ({ ...c, id: `${String(c.id)}-${i}` })) })),
  },
  'stream-no-role': {
    description: 'no delta carries a role',
    reply: onSse((r) => ({ ...r, chunks: r.chunks.map((c) => mapChoices(c, (ch) => ({ ...ch, delta: omitKeys(ch.delta as Obj, 'role') }))) })),
  },
  'stream-double-finish': {
    description: 'each finishing chunk is sent twice: two non-null finish_reasons per choice',
    reply: onSse((r) => ({ ...r, chunks: r.chunks.flatMap((c) => ((c.choices as Obj[]).some((ch) => ch.finish_reason != null) ? [c, c] : [c])) })),
  },
  'usage-after-done': {
    description: 'the include_usage chunk comes after data: [DONE]',
    reply: onSse((r) => {
      const usageChunk = r.chunks.find(isUsageChunk);
      if (!usageChunk) return r;
      return { ...r, chunks: r.chunks.filter((c) => c !== usageChunk), trailer: `data: ${JSON.stringify(usageChunk)}${r.eventEnd}` };
    }),
  },
  'sse-error-event': {
    description: 'streams send one chunk, then an error event (data: {"error": ...}) and end',
    reply: onSse((r) => ({
      ...r,
      chunks: [r.chunks[0]!, { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } }],
      done: false,
    })),
  },
};
