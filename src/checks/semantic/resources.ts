import type { Finding } from '../../core/types.js';
import { described, finding, jsonLines, noAnswer, valueOf } from '../answer.js';
import { compareModelId } from '../invariants/models.js';
import { semanticCheck } from '../types.js';

type Json = Record<string, unknown>;

export const modelList = semanticCheck('semantic.model-list', 'The model list is non-empty, has unique ids and contains the models the target uses (params.contains).', ({ exchange, params }) => {
  const data = (valueOf(exchange) as Json | undefined)?.data as Json[] | undefined;
  if (!Array.isArray(data)) return noAnswer();
  if (data.length === 0) return [finding('/data', 'at least one model', [], 'must')];
  const ids = data.map((m) => String(m.id));
  const findings: Finding[] = [];
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dupes.length > 0) findings.push(finding('/data', 'unique model ids', described(`repeated: ${dupes.join(', ')}`), 'must'));
  for (const wanted of (params.contains as string[] | undefined) ?? []) {
    if (ids.includes(wanted)) continue;
    findings.push(...compareModelId(wanted, ids.includes(`models/${wanted}`) ? `models/${wanted}` : described('(not listed)'), `/data[id=${wanted}]`));
  }
  return findings;
}, { calls: ['models.list'] });

export const batchStatus = semanticCheck('semantic.batch-status', 'The batch is in an allowed status (`params.in`, default completed); its request_counts are semantic.batch-counts\'.', ({ exchange, params }) => {
  const batch = valueOf(exchange) as Json | undefined;
  if (!batch) return noAnswer();
  const allowed = (params.in as string[] | undefined) ?? ['completed'];
  if (allowed.includes(String(batch.status))) return [];
  const errors = (batch.errors as { data?: Json[] } | null | undefined)?.data;
  return [finding('/status', `one of ${allowed.join(', ')}`, batch.status, 'must', errors?.length ? `errors: ${errors.map((e) => e.message).join('; ')}` : undefined)];
}, { calls: ['batches.create', 'batches.retrieve', 'batches.cancel'] });

/**
 * The lines of a batch output (or error) file, in any order: exactly one per expected custom_id,
 * none for another; successes with status 200, failures (`params.failed`) with an error status
 * and body; and as many lines as request_counts says (`params.counts`).
 */
export const batchResults = semanticCheck(
  'semantic.batch-results',
  'The output file has exactly one line per input custom_id (`params.custom_ids`), in any order, each a 200 (each an error with `params.failed`), and as many as request_counts says (`params.counts`).',
  ({ exchange, params }) => {
    const lines = jsonLines(exchange).flatMap((line) => (line.value && typeof line.value === 'object' ? [{ number: line.number, value: line.value as Json }] : []));
    const expected = (params.custom_ids as string[] | undefined) ?? [];
    const failed = params.failed === true;
    const got = lines.map((l) => String(l.value.custom_id));
    const findings: Finding[] = [];
    const missing = expected.filter((id) => !got.includes(id));
    if (missing.length > 0) findings.push(finding('custom_id', `a line for each of ${expected.join(', ')}`, described(`missing ${missing.join(', ')}`), 'must'));
    const extra = got.filter((id, i) => !expected.includes(id) || got.indexOf(id) !== i);
    if (extra.length > 0) findings.push(finding('custom_id', 'one line per input custom_id, no other', described(`unexpected or repeated: ${extra.join(', ')}`), 'must'));
    for (const { number, value } of lines) {
      const status = (value.response as Json | undefined)?.status_code;
      if (!failed && status !== 200) findings.push(finding(`line ${number}/response/status_code`, '200', status, 'must', value.error ? JSON.stringify(value.error) : undefined));
      if (failed) {
        const body = (value.response as Json | undefined)?.body as Json | undefined;
        const hasError = (value.error && typeof value.error === 'object') || (body && typeof body.error === 'object');
        if (!(typeof status === 'number' && status >= 400) && !value.error) findings.push(finding(`line ${number}/response/status_code`, 'an error status (4xx or 5xx) for a failed request', status, 'must'));
        else if (!hasError) findings.push(finding(`line ${number}`, 'an error object (line.error or response.body.error) saying why it failed', described('none'), 'must'));
      }
    }
    const counts = params.counts as Json | undefined;
    const counted = counts ? counts[failed ? 'failed' : 'completed'] : undefined;
    if (typeof counted === 'number' && counted !== lines.length) {
      findings.push(finding('lines', `${counted} line(s), as request_counts.${failed ? 'failed' : 'completed'} says`, described(`${lines.length}`), 'must'));
    }
    return findings;
  },
  { calls: ['files.content'] },
);

export const listContains = semanticCheck('semantic.list-contains', 'A list answer (batches, files) contains the object with `params.id`.', ({ exchange, params }) => {
  const data = (valueOf(exchange) as Json | undefined)?.data;
  if (!Array.isArray(data)) return noAnswer();
  const id = String(params.id);
  return (data as Json[]).some((item) => item?.id === id) ? [] : [finding('/data', `an object with id ${JSON.stringify(id)}`, described(`${data.length} object(s), none with that id`), 'must')];
}, { calls: ['batches.list', 'models.list'] });
