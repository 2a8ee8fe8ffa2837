import { geminiBatchBody } from '../gemini-shapes.js';
import type { Obj } from '../stages.js';
import type { Fault } from './pipeline.js';
import { onOk } from './shape.js';

/** Faults of the batch state machine and of its output lines. */
export const batchFaults: Record<string, Fault> = {
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
  'batch-counts-inconsistent': {
    description: 'a completed batch reports request_counts whose completed + failed fall short of total',
    reply: (r, op) => {
      if (op !== 'batches.retrieve' || r.kind !== 'json' || r.status !== 200) return r;
      const body = r.body as Obj & { request_counts: { total: number } };
      return body.status === 'completed' ? { ...r, body: { ...body, request_counts: { ...body.request_counts, total: body.request_counts.total + 1 } } } : r;
    },
  },
  'batch-status-unknown': {
    description: "a running batch reports status \"running\", which is not in the spec's enum",
    reply: onOk('batches.retrieve', (r) => ((r.body as Obj).status === 'in_progress' ? { ...r, body: { ...(r.body as Obj), status: 'running' } } : r)),
  },
  'batches-list-empty': {
    description: 'GET /batches lists no batch, whatever was created',
    reply: onOk('batches.list', (r) => ({ ...r, body: { ...(r.body as Obj), data: [], first_id: null, last_id: null, has_more: false } })),
  },
};
