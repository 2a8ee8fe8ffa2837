import type { Finding } from '../../core/types.js';
import { described, finding, noAnswer } from '../answer.js';
import { chunkFold, foldOf, streamDigest } from '../stream-pass.js';
import { invariant, isChatAnswer } from '../types.js';

type Json = Record<string, unknown>;

/** Whether the request asked for a usage chunk: stream_options.include_usage. */
function includeUsage(params: Record<string, unknown>): boolean {
  const options = params.stream_options as Json | undefined;
  return options?.include_usage === true;
}

interface UsageChunks {
  /** How many chunks carry usage. */
  count: number;
  /** The last of them: its position, and the shape of its choices. */
  last?: { chunk: number; choices: number | 'not an array' };
  /** Events after `[DONE]` that carry usage: the SDK stops reading at `[DONE]`, so it never sees them. */
  late: number;
}

const usageChunksFold = chunkFold<UsageChunks, UsageChunks>({
  name: 'stream-usage',
  init: () => ({ count: 0, late: 0 }),
  step(state, value, _event, chunk) {
    const c = value as Json;
    if (chunk < 0 || c.usage === undefined || c.usage === null) return;
    state.count++;
    state.last = { chunk, choices: Array.isArray(c.choices) ? c.choices.length : 'not an array' };
  },
  late(state, data) {
    if (/"usage"\s*:\s*\{/.test(data)) state.late++;
  },
  finish: (state) => state,
});

export const streamUsage = invariant(
  'semantic.stream-usage',
  'With stream_options.include_usage, exactly one final chunk with choices: [] carries usage; without it, no chunk does.',
  (ctx) => isChatAnswer(ctx) && ctx.exchange.stream,
  ({ exchange }) => {
    const chunks = streamDigest(exchange).sse.chunks;
    if (chunks === 0) return noAnswer();
    const { count, last, late } = foldOf(exchange, usageChunksFold);
    if (!includeUsage(exchange.params)) {
      if (count === 0 && late === 0) return [];
      return [finding('sse:usage', 'no usage (include_usage was not requested)', described(`usage on ${count + late} chunk(s)`), 'should')];
    }
    const findings: Finding[] = [];
    if (late > 0) findings.push(finding('sse:usage', 'usage before data: [DONE]', described(`usage on ${late} event(s) after [DONE]`), count ? 'should' : 'must', 'clients stop reading at [DONE]'));
    if (!last) {
      if (late === 0) findings.push(finding('sse:usage', 'a final chunk with choices: [] and usage', described('(no chunk carries usage)'), 'must'));
      return findings;
    }
    if (count > 1) {
      findings.push(finding('sse:usage', 'usage on one chunk only', described(`usage on ${count} chunks`), 'should', 'clients that add up usage per chunk over-count'));
    }
    if (last.chunk !== chunks - 1) findings.push(finding(`chunk ${last.chunk}:/usage`, 'usage on the last chunk', described(`${chunks - 1 - last.chunk} chunk(s) follow it`), 'should'));
    if (last.choices !== 0) {
      findings.push(finding(`chunk ${last.chunk}:/choices`, '[] on the usage chunk', described(last.choices === 'not an array' ? '(not an array)' : `${last.choices} choice(s)`), 'should', 'usage glued onto a content chunk; clients that read usage from the choices: [] chunk miss it'));
    }
    return findings;
  },
);
