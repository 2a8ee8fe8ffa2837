import type { Finding } from '../../core/types.js';
import { finding, valueOf } from '../answer.js';
import { chunkFold, foldOf } from '../stream-pass.js';
import { invariant } from '../types.js';

type Json = Record<string, unknown>;

const count = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `parts` add up to `total` (a total above the sum is `should`: tokens counted only there, such as hidden thinking). */
function sumRule(u: Json, at: string, total: string, parts: string[]): Finding[] {
  const values = [total, ...parts].map((k) => u[k]);
  const bad = [total, ...parts].filter((k, i) => u[k] !== undefined && !count(values[i]));
  if (bad.length) return bad.map((k) => finding(`${at}/${k}`, 'a non-negative integer', u[k], 'must'));
  if (!values.every(count)) return [];
  const sum = parts.reduce((acc, k) => acc + (u[k] as number), 0);
  const got = u[total] as number;
  const expected = parts.join(' + ');
  if (got < sum) return [finding(`${at}/${total}`, `at least ${expected} = ${sum}`, got, 'must')];
  if (got > sum) return [finding(`${at}/${total}`, `${expected} = ${sum}`, got, 'should', 'tokens counted only in the total (e.g. hidden thinking); apps that add the parts under-count')];
  return [];
}

/** Each detail counter is a count no larger than the total it details. */
function detailRule(u: Json, at: string, total: string, detailsKey: string, inside: string[][]): Finding[] {
  const details = u[detailsKey];
  if (details === undefined || details === null) return [];
  if (!isObject(details)) return [finding(`${at}/${detailsKey}`, 'an object of token counts', details, 'must')];
  const findings: Finding[] = [];
  for (const [k, v] of Object.entries(details)) {
    if (v !== null && !count(v)) findings.push(finding(`${at}/${detailsKey}/${k}`, 'a non-negative integer', v, 'must'));
  }
  const limit = u[total];
  if (!count(limit)) return findings;
  for (const group of inside) {
    const sum = group.reduce((acc, k) => acc + (count(details[k]) ? details[k] : 0), 0);
    if (sum > limit) {
      findings.push(finding(`${at}/${detailsKey}/${group.join('+')}`, `at most ${total} = ${limit}`, sum, 'must', `details are part of ${total}`));
    }
  }
  return findings;
}

/** The rules of one usage object, by the kind of answer it belongs to. */
function usageRules(u: unknown, at: string, operation: string): Finding[] {
  if (u === undefined || u === null) return [];
  if (!isObject(u)) return [finding(at, 'a usage object', u, 'must')];
  if (operation === 'embeddings.create') return sumRule(u, at, 'total_tokens', ['prompt_tokens']);
  if (operation === 'images.generate') return 'input_tokens' in u ? sumRule(u, at, 'total_tokens', ['input_tokens', 'output_tokens']) : [];
  return [
    ...sumRule(u, at, 'total_tokens', ['prompt_tokens', 'completion_tokens']),
    ...detailRule(u, at, 'prompt_tokens', 'prompt_tokens_details', [['cached_tokens'], ['audio_tokens']]),
    ...detailRule(u, at, 'completion_tokens', 'completion_tokens_details', [['reasoning_tokens', 'audio_tokens'], ['accepted_prediction_tokens', 'rejected_prediction_tokens']]),
  ];
}

const COUNTED = new Set(['chat.completions.create', 'chat.completions.parse', 'embeddings.create', 'images.generate']);

/**
 * The rules on every chunk that carries usage (streams are chat answers). The same mistake on
 * several chunks is reported once, at the first chunk that shows it.
 */
const streamedUsage = chunkFold<{ seen: Set<string>; findings: Finding[] }, Finding[]>({
  name: 'usage-arithmetic',
  init: () => ({ seen: new Set(), findings: [] }),
  step(state, value, _event, chunk) {
    const u = chunk >= 0 ? (value as Json).usage : undefined;
    if (u === undefined || u === null) return;
    for (const f of usageRules(u, `chunk ${chunk}:/usage`, 'chat.completions.create')) {
      const key = `${f.path.replace(/^chunk \d+:/, '')} ${f.expected}`;
      if (state.seen.has(key)) continue;
      state.seen.add(key);
      state.findings.push(f);
    }
  },
  finish: (state) => state.findings,
});

export const usageArithmetic = invariant(
  'semantic.usage-arithmetic',
  'Wherever usage appears (every chunk that carries it): total = the sum of its parts, details within their totals, reasoning tokens inside completion tokens.',
  (ctx) => !ctx.expectError && COUNTED.has(ctx.exchange.operation),
  ({ exchange }) => (exchange.stream ? foldOf(exchange, streamedUsage) : usageRules((valueOf(exchange) as Json | undefined)?.usage, '/usage', exchange.operation)),
);
