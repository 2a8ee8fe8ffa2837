import type { ServerContext } from '../context.js';
import { ApiError, invalid, notFound, toErrorReply } from '../errors.js';
import { json } from '../http.js';
import type { Route } from '../router.js';
import type { BatchRecord, BatchStatus, InputLine, Obj, OutputLine, Reply } from '../stages.js';
import { CREATED, idFrom } from '../ids.js';
import { isObject, requireBody, requireString } from '../params.js';
import { createChatCompletion } from './chat.js';
import { createEmbeddings } from './embeddings.js';
import { requireFile, storeFile } from './files.js';

/** Batch lines run through the very handlers of the live endpoints. */
const ENDPOINTS: Record<string, (body: unknown, ctx: ServerContext) => Reply> = {
  '/v1/chat/completions': createChatCompletion,
  '/v1/embeddings': createEmbeddings,
};

/** Status reached on the next retrieve. Progress counts retrieves, not time, so runs are deterministic. */
const NEXT: Partial<Record<BatchStatus, BatchStatus>> = { validating: 'in_progress', in_progress: 'completed', cancelling: 'cancelled' };

function create(payload: unknown, ctx: ServerContext): Reply {
  const body = requireBody(payload);
  const inputFileId = requireString(body, 'input_file_id');
  const endpoint = requireString(body, 'endpoint');
  if (!(endpoint in ENDPOINTS)) throw invalid(`Invalid 'endpoint': expected one of ${Object.keys(ENDPOINTS).join(', ')}.`, 'endpoint', 'invalid_value');
  if (body.completion_window !== '24h') throw invalid("Invalid 'completion_window': expected '24h'.", 'completion_window', 'invalid_value');
  if (body.metadata != null && !isObject(body.metadata)) throw invalid("Invalid 'metadata': expected an object.", 'metadata', 'invalid_value');
  const { lines, errors } = parseInput(requireFile(ctx, inputFileId, 'input_file_id').content, endpoint);
  const failed = errors.length > 0;
  const batch: BatchRecord['batch'] = {
    id: idFrom('batch_', ctx.nextSeq(), inputFileId),
    object: 'batch',
    endpoint,
    errors: failed ? { object: 'list', data: errors } : null,
    input_file_id: inputFileId,
    completion_window: '24h',
    status: failed ? 'failed' : 'validating',
    output_file_id: null,
    error_file_id: null,
    created_at: CREATED,
    in_progress_at: null,
    expires_at: CREATED + 86_400,
    finalizing_at: null,
    completed_at: null,
    failed_at: failed ? CREATED : null,
    expired_at: null,
    cancelling_at: null,
    cancelled_at: null,
    request_counts: { total: lines.length, completed: 0, failed: 0 },
    metadata: body.metadata ?? null,
  };
  ctx.batches.set(batch.id, { batch, lines });
  return snapshot(batch);
}

function parseInput(content: Buffer, endpoint: string): { lines: InputLine[]; errors: Obj[] } {
  const lines: InputLine[] = [];
  const errors: Obj[] = [];
  const seen = new Set<string>();
  content
    .toString('utf8')
    .split('\n')
    .forEach((text, i) => {
      if (!text.trim()) return;
      const fail = (code: string, message: string, param: string | null = null) => errors.push({ code, message, param, line: i + 1 });
      let line: unknown;
      try {
        line = JSON.parse(text);
      } catch {
        return fail('invalid_json_line', 'This line is not parseable as valid JSON.');
      }
      if (!isObject(line)) return fail('invalid_json_line', 'Each line must be a JSON object.');
      if (typeof line.custom_id !== 'string' || !line.custom_id) return fail('missing_required_parameter', 'custom_id must be a non-empty string.', 'custom_id');
      if (seen.has(line.custom_id)) return fail('duplicate_custom_id', `The custom_id '${line.custom_id}' appears more than once.`, 'custom_id');
      if (line.method !== 'POST') return fail('invalid_method', "method must be 'POST'.", 'method');
      if (line.url !== endpoint) return fail('mismatched_endpoint', `url must be the batch endpoint ${endpoint}.`, 'url');
      if (!isObject(line.body)) return fail('invalid_body', 'body must be a JSON object.', 'body');
      if (line.body.stream === true) return fail('invalid_body', 'Streaming is not supported in batches.', 'body.stream');
      seen.add(line.custom_id);
      lines.push(line as unknown as InputLine);
    });
  if (!lines.length && !errors.length) errors.push({ code: 'empty_file', message: 'The input file has no requests.', param: null, line: null });
  return { lines, errors };
}

/** A copy, so a reply that is written later (the `slow` fault) shows the state of its own request. */
const snapshot = (batch: BatchRecord['batch']) => json({ ...batch });

function requireBatch(ctx: ServerContext, id: string): BatchRecord {
  const record = ctx.batches.get(id);
  if (!record) throw notFound(`No batch found with id '${id}'.`, 'batch_id');
  return record;
}

function advance(record: BatchRecord, ctx: ServerContext): void {
  const next = NEXT[record.batch.status];
  const status = next && ctx.faults.batchStatus(next);
  if (!status || status === record.batch.status) return;
  record.batch.status = status;
  if (status === 'in_progress') record.batch.in_progress_at = CREATED + 1;
  if (status === 'cancelled') record.batch.cancelled_at = CREATED + 2;
  if (status === 'failed') {
    record.batch.failed_at = CREATED + 2;
    record.batch.errors = { object: 'list', data: [{ code: 'server_error', message: 'The batch failed while running.', param: null, line: null }] };
  }
  if (status === 'completed') run(record, ctx);
}

function run({ batch, lines }: BatchRecord, ctx: ServerContext): void {
  const results: OutputLine[] = lines.map((line) => {
    let reply: Reply;
    try {
      reply = ENDPOINTS[line.url](line.body, ctx);
    } catch (err) {
      reply = toErrorReply(err);
    }
    return {
      id: idFrom('batch_req_', batch.id, line.custom_id),
      custom_id: line.custom_id,
      response: { status_code: reply.status, request_id: idFrom('req_', batch.id, line.custom_id), body: reply.kind === 'json' ? reply.body : null },
      error: null,
    };
  });
  const ok = results.filter((r) => r.response.status_code === 200);
  const failed = results.filter((r) => r.response.status_code !== 200);
  const jsonl = (rows: OutputLine[]) => Buffer.from(rows.map((r) => JSON.stringify(r) + '\n').join(''));
  batch.output_file_id = ok.length ? storeFile(ctx, jsonl(ctx.faults.batchOutput(ok)), `${batch.id}_output.jsonl`, 'batch_output').id : null;
  batch.error_file_id = failed.length ? storeFile(ctx, jsonl(failed), `${batch.id}_error.jsonl`, 'batch_output').id : null;
  batch.request_counts = { total: results.length, completed: ok.length, failed: failed.length };
  batch.finalizing_at = CREATED + 2;
  batch.completed_at = CREATED + 2;
}

function cancel(record: BatchRecord): Reply {
  const { batch } = record;
  if (batch.status === 'validating' || batch.status === 'in_progress') {
    batch.status = 'cancelling';
    batch.cancelling_at = CREATED + 1;
  } else if (batch.status !== 'cancelling' && batch.status !== 'cancelled') {
    throw new ApiError(409, `Cannot cancel a batch with status '${batch.status}'.`);
  }
  return snapshot(batch);
}

function list(query: URLSearchParams, ctx: ServerContext): Reply {
  const all = [...ctx.batches.values()].map((r) => r.batch).reverse(); // newest first
  const limit = Number(query.get('limit') ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalid("Invalid 'limit': expected an integer from 1 to 100.", 'limit', 'invalid_value');
  const after = query.get('after');
  const start = after ? all.findIndex((b) => b.id === after) + 1 : 0;
  const data = all.slice(start, start + limit);
  return json({ object: 'list', data: data.map((b) => ({ ...b })), first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: start + limit < all.length });
}

export const batchRoutes: Route[] = [
  { method: 'POST', path: '/batches', op: 'batches.create', handle: (req, _, ctx) => create(req.json, ctx) },
  { method: 'GET', path: '/batches', op: 'batches.list', handle: (req, _, ctx) => list(req.query, ctx) },
  {
    method: 'GET',
    path: '/batches/:id',
    op: 'batches.retrieve',
    handle: (_, { id }, ctx) => {
      const record = requireBatch(ctx, id);
      advance(record, ctx);
      return snapshot(record.batch);
    },
  },
  { method: 'POST', path: '/batches/:id/cancel', op: 'batches.cancel', handle: (_, { id }, ctx) => cancel(requireBatch(ctx, id)) },
];
