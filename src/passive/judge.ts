import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHECKS } from '../checks/index.js';
import { answerOf, isParseable } from '../checks/answer.js';
import type { CheckContext, CheckDef } from '../checks/types.js';
import { errorMessage } from '../core/errors.js';
import type { CheckResult, CheckStatus, Exchange, Finding } from '../core/types.js';
import { OPERATIONS } from '../operations/index.js';
import { verdictOf } from '../runner/verdict.js';
import type { CapturedExchange } from './captured.js';
import { baseExchange, endpointOf, featureOf, isStreamed, KNOWN_ENDPOINTS, requestJson, sdkReplay, type Endpoint } from './exchange.js';
import { REQUEST_DECIDED } from './named-checks.js';

type Json = Record<string, unknown>;
type Identity = Omit<CheckResult, 'check' | 'level' | 'severity' | 'status' | 'message' | 'durationMs' | 'findings'>;

/** A captured exchange made ready for the checks: the Exchange, who it was sent to, what cannot be judged. */
export interface PreparedExchange {
  captured: CapturedExchange;
  identity: Identity;
  /** Vendor host and the base URL the client used (report.json `targets[]`). */
  target: { id: string; baseUrl: string };
  exchange?: Exchange;
  /** Why the request cannot be read (no body captured): request-aware checks are not judged. */
  requestUnknown?: string;
  /** Why the result is only "not judged" or "error" (unknown endpoint, no answer), with that status. */
  unjudged?: { check: string; status: CheckStatus; message: string };
}

/** The fallback target of captures with no URL (batch output files). */
export const FILE_TARGET = 'batch-output';

function caseOf(c: CapturedExchange): string {
  return 'entry' in c.source ? `${c.source.file} #${c.source.entry}` : `${c.source.file}:${c.source.line}`;
}

/**
 * Request parameters that record which fields a check reads, when the capture has no request
 * body: a check that reads one cannot be judged on this capture, whatever it would find.
 */
function recordingReads(known: Json, reads: Set<string>): Json {
  return new Proxy(known, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !(key in target)) reads.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
    has(target, key) {
      if (typeof key === 'string' && !(key in target)) reads.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      reads.add('(all fields)');
      return Reflect.ownKeys(target);
    },
  });
}

function whyNoRequest(c: CapturedExchange, endpoint: Endpoint | undefined): string | undefined {
  if (!c.request) return 'the capture has no request';
  if (c.requestSynthesized) return 'the capture holds no real request (the recorder made one up)';
  // A GET says everything in its URL; other calls need their body.
  if (c.request.method !== 'GET' && requestJson(c.request.body) === undefined) {
    return c.request.body ? 'the request body is not JSON (an upload?)' : 'the capture has no request body';
  }
  return endpoint ? undefined : 'the endpoint is unknown';
}

// Shared by every exchange: judgePrepared is synchronous and clears it before each check.
const reads = new Set<string>();

/** Builds the Exchange of a capture and lets the real openai SDK read the captured response. */
export async function prepareCaptured(c: CapturedExchange): Promise<PreparedExchange> {
  const url = c.request ? new URL(c.request.url) : undefined;
  const endpoint = c.request ? endpointOf(c.request.method, c.request.url) : undefined;
  const operation = endpoint?.operation ?? c.operation;
  const requestUnknown = whyNoRequest(c, endpoint);
  const body = requestUnknown ? undefined : requestJson(c.request?.body);
  const params: Json = { ...(endpoint?.pathParams ?? {}), ...(body ?? {}) };
  const stream = operation ? isStreamed(operation, requestUnknown ? undefined : params, c.response) : false;
  const target = url ? { id: url.host, baseUrl: endpoint?.baseUrl ?? url.origin } : { id: FILE_TARGET, baseUrl: pathToFileURL(path.resolve(c.source.file)).href };
  const identity: Identity = {
    target: target.id,
    model: '-',
    // An unknown endpoint still needs a feature in the report: the nearest guess from its path.
    feature: operation ? featureOf(operation, body, c.response?.status, stream) : /models/.test(url?.pathname ?? '') ? 'models' : 'chat',
    case: caseOf(c),
    step: c.request && url ? `${c.request.method} ${url.pathname}` : 'batch output line',
    transport: stream ? 'streaming' : 'blocking',
    source: c.source,
  };
  if (!operation) {
    const message = `not judged: ${identity.step} is not an endpoint oai-compat knows (it knows ${KNOWN_ENDPOINTS.join(', ')})`;
    return { captured: c, identity, target, unjudged: { check: 'endpoint', status: 'skip', message } };
  }
  const exchange = baseExchange(c, operation, requestUnknown ? recordingReads(params, reads) : params, stream);
  const answer = answerOf(exchange) as (Json & { response?: { body?: Json } }) | undefined;
  const model = params.model ?? answer?.model ?? answer?.response?.body?.model;
  identity.model = typeof model === 'string' ? model : '-';
  if (c.incomplete) return { captured: c, identity, target, exchange, unjudged: { check: 'wire.status', status: 'skip', message: `not judged: ${c.incomplete}` } };
  if (!c.response) {
    return { captured: c, identity, target, exchange, unjudged: { check: 'wire.status', status: 'error', message: c.transportError ?? 'no response' } };
  }
  exchange.sdk = await sdkReplay(operation, params, stream, c.response);
  return { captured: c, identity, target, exchange, ...(requestUnknown ? { requestUnknown } : {}) };
}

/** Every check that may judge a passive exchange: all automatic ones, then the ones its request decides. */
const CANDIDATES: readonly { def: CheckDef; when?: (x: Exchange) => boolean }[] = (() => {
  const named = new Set(REQUEST_DECIDED.map((n) => n.def.id));
  return [...CHECKS.filter((def) => def.auto && !named.has(def.id)).map((def) => ({ def })), ...REQUEST_DECIDED];
})();

function resultOf(p: PreparedExchange, def: Pick<CheckDef, 'id' | 'level' | 'severity'>, status: CheckStatus, message: string, findings?: Finding[]): CheckResult {
  const { target, model, feature, case: caseId, step, transport, source } = p.identity;
  const result: CheckResult = { target, model, feature, case: caseId, step, check: def.id, level: def.level, severity: def.severity, transport, status, message, durationMs: p.captured.durationMs };
  if (findings && findings.length > 0) result.findings = findings;
  if (source) result.source = source;
  return result;
}

function notJudged(why: string, fields?: Set<string>): string {
  return `not judged: ${why}${fields && fields.size > 0 ? `; the check reads the request (${[...fields].join(', ')})` : ''}`;
}

const BODY_LOST = notJudged('the capture kept no response body (exported without content)');
/** What a capture without a body still shows: its status and headers. */
const HEADER_CHECKS = new Set(['wire.status', 'wire.content-type']);
const FRAMING_LOST = notJudged('the capture lost the SSE framing (lines re-framed, [DONE] gone)');
const UNPARSEABLE = notJudged('the response body could not be parsed (see the wire checks)');

/**
 * Runs every check that applies to a prepared exchange. Synchronous and pure: this is the
 * per-exchange checking cost the bench measures. What cannot be judged is `skip` with a
 * message starting "not judged:", never a finding and never a pass.
 */
export function judgePrepared(p: PreparedExchange): CheckResult[] {
  const { captured, exchange } = p;
  if (p.unjudged || !exchange?.response) {
    const u = p.unjudged ?? { check: 'wire.status', status: 'error' as const, message: 'no response' };
    return [resultOf(p, { id: u.check, level: 'wire', severity: 'must' }, u.status, u.message)];
  }
  const status = exchange.response.status;
  // A captured error answer is judged as one: its body and what the SDK raised.
  const ctx: CheckContext = { exchange, params: {}, transport: p.identity.transport, ...(status >= 400 ? { expectError: { status } } : {}) };
  const parseable = isParseable(exchange, OPERATIONS[exchange.operation as keyof typeof OPERATIONS].body === 'jsonl' && status < 400);
  const out: CheckResult[] = [];
  for (const { def, when } of CANDIDATES) {
    // `reads` fills only when the request is unknown (see recordingReads).
    reads.clear();
    let applies: boolean;
    let findings: Finding[] | undefined;
    try {
      applies = def.appliesTo(ctx) && (when ? when(exchange) : true);
      if (applies && !(reads.size > 0 && p.requestUnknown)) {
        if (captured.bodyLost && !HEADER_CHECKS.has(def.id)) {
          out.push(resultOf(p, def, 'skip', BODY_LOST));
          continue;
        }
        if (captured.framingLost && def.id.startsWith('wire.sse')) {
          out.push(resultOf(p, def, 'skip', FRAMING_LOST));
          continue;
        }
        if (!parseable && def.level !== 'wire') {
          out.push(resultOf(p, def, 'skip', UNPARSEABLE));
          continue;
        }
        findings = def.run(ctx);
      }
    } catch (error) {
      out.push(resultOf(p, def, 'error', `the check crashed: ${errorMessage(error)}`));
      continue;
    }
    if (reads.size > 0 && p.requestUnknown) {
      out.push(resultOf(p, def, 'skip', notJudged(p.requestUnknown, reads)));
      continue;
    }
    if (!applies || !findings) continue;
    const verdict = verdictOf(findings);
    out.push(resultOf(p, def, verdict.status, verdict.message, findings));
  }
  return out;
}

/** The results of one captured exchange. */
export async function judgeCaptured(c: CapturedExchange): Promise<{ results: CheckResult[]; target: PreparedExchange['target'] }> {
  const prepared = await prepareCaptured(c);
  return { results: judgePrepared(prepared), target: prepared.target };
}
