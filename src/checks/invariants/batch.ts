import type { Finding } from '../../core/types.js';
import { finding, noAnswer, valueOf } from '../answer.js';
import { invariant } from '../types.js';

type Json = Record<string, unknown>;

const BATCH_CALLS = new Set(['batches.create', 'batches.retrieve', 'batches.cancel', 'batches.list']);
const count = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** request_counts of one batch: counts, completed + failed within total, and equal to it once the batch is done. */
function countFindings(batch: Json, at: string): Finding[] {
  const counts = batch.request_counts as Json | undefined | null;
  if (counts === undefined || counts === null) return [];
  const bad = ['total', 'completed', 'failed'].filter((k) => !count(counts[k]));
  if (bad.length) return bad.map((k) => finding(`${at}/request_counts/${k}`, 'a non-negative integer', counts[k], 'must'));
  const [total, completed, failed] = [counts.total, counts.completed, counts.failed] as number[];
  if (completed + failed > total) return [finding(`${at}/request_counts`, `completed + failed at most total = ${total}`, counts, 'must')];
  if (batch.status === 'completed' && completed + failed !== total) return [finding(`${at}/request_counts`, `completed + failed = total = ${total} (the batch is completed)`, counts, 'must')];
  return [];
}

export const batchCounts = invariant(
  'semantic.batch-counts',
  'Every batch object (create, retrieve, cancel, list): request_counts are counts, completed + failed never exceed total, and add up to it once the batch is completed.',
  (ctx) => !ctx.expectError && BATCH_CALLS.has(ctx.exchange.operation),
  ({ exchange }) => {
    const value = valueOf(exchange) as Json | undefined;
    if (!value) return noAnswer();
    if (exchange.operation !== 'batches.list') return countFindings(value, '');
    const data = Array.isArray(value.data) ? (value.data as Json[]) : [];
    return data.flatMap((batch, i) => countFindings(batch ?? {}, `/data/${i}`));
  },
);
