import type { Finding } from '../../core/types.js';
import { described, finding, noAnswer } from '../answer.js';
import { chunkFold, foldOf, streamDigest } from '../stream-pass.js';
import { invariant, isChatAnswer, type CheckContext } from '../types.js';

type Json = Record<string, unknown>;

const isChatStream = (ctx: CheckContext) => isChatAnswer(ctx) && ctx.exchange.stream;

/**
 * Fields that name the completion a chunk belongs to. A client keys on id and model; a drifting
 * created (a second boundary crossed mid-stream, seen from xAI and Ollama) or fingerprint breaks
 * nothing, so those are `should`.
 */
const CONSTANT = { id: 'must', created: 'should', model: 'must', system_fingerprint: 'should' } as const;

type Field = keyof typeof CONSTANT;
const FIELDS = Object.keys(CONSTANT) as Field[];

/** Per field: its first value and the first chunk that differs from it. */
type Constancy = Partial<Record<Field, { chunk: number; value: unknown; other?: { chunk: number; value: unknown } }>>;

const constancyFold = chunkFold<Constancy, Constancy>({
  name: 'stream-constancy',
  init: () => ({}),
  step(seen, value, _event, chunk) {
    if (chunk < 0) return;
    for (const field of FIELDS) {
      const v = (value as Json)[field];
      if (v === undefined || v === null) continue;
      const first = seen[field];
      if (!first) seen[field] = { chunk, value: v };
      else if (!first.other && v !== first.value) first.other = { chunk, value: v };
    }
  },
  finish: (seen) => seen,
});

export const streamConstancy = invariant(
  'semantic.stream-constancy',
  'Every chunk of a stream carries the same id and model (created and system_fingerprint too, at should).',
  isChatStream,
  ({ exchange }) => {
    if (streamDigest(exchange).sse.chunks === 0) return noAnswer();
    const seen = foldOf(exchange, constancyFold);
    return FIELDS.flatMap((field): Finding[] => {
      const first = seen[field];
      return first?.other ? [finding(`chunk ${first.other.chunk}:/${field}`, `${JSON.stringify(first.value)}, as on chunk ${first.chunk}`, first.other.value, CONSTANT[field])] : [];
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

const choicesFold = chunkFold<Map<number, ChoiceTrack>, [number, ChoiceTrack][]>({
  name: 'stream-choices',
  init: () => new Map(),
  step(choices, value, _event, chunk) {
    const list = chunk >= 0 ? (value as Json).choices : undefined;
    if (!Array.isArray(list)) return;
    for (const choice of list as Json[]) {
      const index = typeof choice?.index === 'number' ? choice.index : 0;
      const delta = (choice?.delta ?? {}) as Json;
      let track = choices.get(index);
      if (!track) choices.set(index, (track = { firstChunk: chunk, firstRole: delta.role, role: false, finishes: [] }));
      if (delta.role !== undefined) track.role = true;
      if (track.finishes.length > 0 && track.afterFinish === undefined && carries(delta)) track.afterFinish = chunk;
      if (choice?.finish_reason !== undefined && choice.finish_reason !== null) track.finishes.push({ chunk, value: choice.finish_reason });
    }
  },
  finish: (choices) => [...choices.entries()],
});

/** Whether a delta carries anything (an empty string, null or [] is nothing). */
const carries = (delta: Json) => Object.values(delta).some((v) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0));

export const streamChoices = invariant(
  'semantic.stream-choices',
  'Each choice of a stream opens with role "assistant" on its first delta and ends with exactly one non-null finish_reason from the spec, with no delta after it.',
  isChatStream,
  ({ exchange }) => {
    if (streamDigest(exchange).sse.chunks === 0) return noAnswer();
    const choices = foldOf(exchange, choicesFold);
    if (choices.length === 0) return [finding('/choices', 'at least one choice in the stream', described('(no chunk has a choice)'), 'must')];
    return choices.flatMap(([index, t]): Finding[] => {
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
