import { geminiBatchBody } from '../gemini-shapes.js';
import type { Fault } from './pipeline.js';

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
};
