import type { Finding } from '../../core/types.js';
import { described, finding, jsonLines, noAnswer, valueOf } from '../answer.js';
import { semanticCheck } from '../types.js';

type Json = Record<string, unknown>;

/** Exact id: fine. Same id behind Google's `models/` resource prefix: tolerated by most apps. */
function compareId(expected: string, received: unknown, path: string): Finding[] {
  if (received === expected) return [];
  if (received === `models/${expected}`) return [finding(path, JSON.stringify(expected), received, 'should', 'the id carries a "models/" prefix')];
  return [finding(path, JSON.stringify(expected), received, 'must')];
}

export const modelId = semanticCheck('semantic.model-id', 'Retrieving a model returns that model.', ({ exchange }) => {
  const value = valueOf(exchange) as Json | undefined;
  return value ? compareId(String(exchange.params.model), value.id, '/id') : noAnswer();
});

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
    findings.push(...compareId(wanted, ids.includes(`models/${wanted}`) ? `models/${wanted}` : described('(not listed)'), `/data[id=${wanted}]`));
  }
  return findings;
});

export const batchStatus = semanticCheck('semantic.batch-status', 'The batch ends in an allowed status (params.in) with consistent request counts.', ({ exchange, params }) => {
  const batch = valueOf(exchange) as Json | undefined;
  if (!batch) return noAnswer();
  const allowed = (params.in as string[] | undefined) ?? ['completed'];
  const findings: Finding[] = [];
  if (!allowed.includes(String(batch.status))) findings.push(finding('/status', `one of ${allowed.join(', ')}`, batch.status, 'must'));
  const counts = batch.request_counts as Json | undefined;
  if (counts && Number(counts.total) !== Number(counts.completed) + Number(counts.failed)) {
    findings.push(finding('/request_counts', 'total = completed + failed', counts, 'must'));
  }
  return findings;
});

export const batchResults = semanticCheck('semantic.batch-results', 'The output file has one successful result per input line, matched by custom_id (params.custom_ids).', ({ exchange, params }) => {
  const lines = jsonLines(exchange).flatMap((line) => (line.value && typeof line.value === 'object' ? [line.value as Json] : []));
  const expected = (params.custom_ids as string[] | undefined) ?? [];
  const got = lines.map((l) => String(l.custom_id));
  const findings: Finding[] = [];
  const missing = expected.filter((id) => !got.includes(id));
  if (missing.length > 0) findings.push(finding('custom_id', `a result for each of ${expected.join(', ')}`, described(`missing ${missing.join(', ')}`), 'must'));
  lines.forEach((line, i) => {
    const status = (line.response as Json | undefined)?.status_code;
    if (status !== 200) findings.push(finding(`line ${i + 1}/response/status_code`, '200', status, 'must', line.error ? JSON.stringify(line.error) : undefined));
  });
  return findings;
});
