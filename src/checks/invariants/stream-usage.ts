import type { Finding } from '../../core/types.js';
import { chunksOf, described, finding, noAnswer, streamOf } from '../answer.js';
import { invariant, isChatAnswer } from '../types.js';

type Json = Record<string, unknown>;

const carriesUsage = (chunk: Json) => chunk.usage !== undefined && chunk.usage !== null;

/** Whether the request asked for a usage chunk: stream_options.include_usage. */
function includeUsage(params: Record<string, unknown>): boolean {
  const options = params.stream_options as Json | undefined;
  return options?.include_usage === true;
}

/** Events after `[DONE]` that carry usage: the SDK stops reading at `[DONE]`, so it never sees them. */
function usageAfterDone(body: ReturnType<typeof streamOf>): number {
  const after = body.done.index;
  if (after === undefined) return 0;
  return body.events.filter((e) => e.index > after && /"usage"\s*:\s*\{/.test(e.data)).length;
}

export const streamUsage = invariant(
  'semantic.stream-usage',
  'With stream_options.include_usage, exactly one final chunk with choices: [] carries usage; without it, no chunk does.',
  (ctx) => isChatAnswer(ctx) && ctx.exchange.stream,
  ({ exchange }) => {
    const chunks = chunksOf(exchange);
    if (chunks.length === 0) return noAnswer();
    const withUsage = chunks.map((c, i) => ({ c, i })).filter(({ c }) => carriesUsage(c));
    const late = usageAfterDone(streamOf(exchange));
    if (!includeUsage(exchange.params)) {
      if (withUsage.length === 0 && late === 0) return [];
      return [finding('sse:usage', 'no usage (include_usage was not requested)', described(`usage on ${withUsage.length + late} chunk(s)`), 'should')];
    }
    const findings: Finding[] = [];
    if (late > 0) findings.push(finding('sse:usage', 'usage before data: [DONE]', described(`usage on ${late} event(s) after [DONE]`), withUsage.length ? 'should' : 'must', 'clients stop reading at [DONE]'));
    if (withUsage.length === 0) {
      if (late === 0) findings.push(finding('sse:usage', 'a final chunk with choices: [] and usage', described('(no chunk carries usage)'), 'must'));
      return findings;
    }
    if (withUsage.length > 1) {
      findings.push(finding('sse:usage', 'usage on one chunk only', described(`usage on ${withUsage.length} chunks`), 'should', 'clients that add up usage per chunk over-count'));
    }
    const last = withUsage.at(-1)!;
    if (last.i !== chunks.length - 1) findings.push(finding(`chunk ${last.i}:/usage`, 'usage on the last chunk', described(`${chunks.length - 1 - last.i} chunk(s) follow it`), 'should'));
    const choices = last.c.choices;
    if (!Array.isArray(choices) || choices.length > 0) {
      findings.push(finding(`chunk ${last.i}:/choices`, '[] on the usage chunk', described(Array.isArray(choices) ? `${choices.length} choice(s)` : '(not an array)'), 'should', 'usage glued onto a content chunk; clients that read usage from the choices: [] chunk miss it'));
    }
    return findings;
  },
);
