import type { Finding } from '../../core/types.js';
import { chunksOf, described, finding, noAnswer } from '../answer.js';
import { invariant, isChatAnswer, type CheckContext } from '../types.js';

type Json = Record<string, unknown>;

const isChatStream = (ctx: CheckContext) => isChatAnswer(ctx) && ctx.exchange.stream;

/**
 * Fields that name the completion a chunk belongs to. A client keys on id and model; a drifting
 * created (a second boundary crossed mid-stream, seen from xAI and Ollama) or fingerprint breaks
 * nothing, so those are `should`.
 */
const CONSTANT = { id: 'must', created: 'should', model: 'must', system_fingerprint: 'should' } as const;

export const streamConstancy = invariant(
  'semantic.stream-constancy',
  'Every chunk of a stream carries the same id and model (created and system_fingerprint too, at should).',
  isChatStream,
  ({ exchange }) => {
    const chunks = chunksOf(exchange);
    if (chunks.length === 0) return noAnswer();
    return (Object.keys(CONSTANT) as (keyof typeof CONSTANT)[]).flatMap((field): Finding[] => {
      const first = chunks.findIndex((c) => c[field] !== undefined && c[field] !== null);
      if (first < 0) return [];
      const value = chunks[first]![field];
      const other = chunks.findIndex((c, i) => i > first && c[field] !== undefined && c[field] !== null && c[field] !== value);
      return other < 0 ? [] : [finding(`chunk ${other}:/${field}`, `${JSON.stringify(value)}, as on chunk ${first}`, chunks[other]![field], CONSTANT[field])];
    });
  },
);

const FINISH_REASONS = ['stop', 'length', 'tool_calls', 'content_filter', 'function_call'];

interface ChoiceTrack {
  firstChunk: number;
  firstRole?: unknown;
  role: boolean;
  finishes: { chunk: number; value: unknown }[];
  afterFinish?: number;
}

export const streamChoices = invariant(
  'semantic.stream-choices',
  'Each choice of a stream opens with role "assistant" on its first delta and ends with exactly one non-null finish_reason from the spec, with no delta after it.',
  isChatStream,
  ({ exchange }) => {
    const chunks = chunksOf(exchange);
    if (chunks.length === 0) return noAnswer();
    const choices = new Map<number, ChoiceTrack>();
    chunks.forEach((chunk, i) => {
      for (const choice of (Array.isArray(chunk.choices) ? chunk.choices : []) as Json[]) {
        const index = typeof choice.index === 'number' ? choice.index : 0;
        const delta = (choice.delta ?? {}) as Json;
        let track = choices.get(index);
        if (!track) choices.set(index, (track = { firstChunk: i, firstRole: delta.role, role: false, finishes: [] }));
        if (delta.role !== undefined) track.role = true;
        const carries = Object.values(delta).some((v) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0));
        if (track.finishes.length > 0 && carries && track.afterFinish === undefined) track.afterFinish = i;
        if (choice.finish_reason !== undefined && choice.finish_reason !== null) track.finishes.push({ chunk: i, value: choice.finish_reason });
      }
    });
    if (choices.size === 0) return [finding('/choices', 'at least one choice in the stream', described('(no chunk has a choice)'), 'must')];
    return [...choices.entries()].flatMap(([index, t]): Finding[] => {
      const at = `choice ${index}`;
      const out: Finding[] = [];
      if (!t.role) out.push(finding(`${at}:/delta/role`, '"assistant" on the first delta', described('(no delta has a role)'), 'must', 'the openai SDK stream helper throws "missing role"'));
      else if (t.firstRole !== 'assistant') out.push(finding(`chunk ${t.firstChunk}:/choices[${index}]/delta/role`, '"assistant" on the first delta', t.firstRole, 'should'));
      if (t.finishes.length === 0) {
        out.push(finding(`${at}:/finish_reason`, 'one non-null finish_reason', described('(none in the stream)'), 'must', 'the openai SDK stream helper throws "missing finish_reason"'));
      } else if (t.finishes.length > 1) {
        out.push(finding(`${at}:/finish_reason`, 'exactly one non-null finish_reason', described(`${t.finishes.length}, on chunks ${t.finishes.map((f) => f.chunk).join(', ')}`), 'must'));
      }
      for (const f of t.finishes) {
        if (!FINISH_REASONS.includes(String(f.value))) out.push(finding(`chunk ${f.chunk}:/choices[${index}]/finish_reason`, `one of ${FINISH_REASONS.join(', ')}`, f.value, 'must'));
      }
      if (t.afterFinish !== undefined) out.push(finding(`chunk ${t.afterFinish}:/choices[${index}]/delta`, 'no delta after the finish_reason', described('more content'), 'should'));
      return out;
    });
  },
);
