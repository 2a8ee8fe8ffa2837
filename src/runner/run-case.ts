import path from 'node:path';
import OpenAI, { APIConnectionTimeoutError } from 'openai';
import { CHECKS, getCheck } from '../checks/index.js';
import { described, finding, inBandError, isParseable, valueOf } from '../checks/answer.js';
import { expectedStatuses, type CheckContext, type CheckDef } from '../checks/types.js';
import { errorMessage } from '../core/errors.js';
import type { CheckResult, CheckStatus, Exchange, Finding, Mode, Transport } from '../core/types.js';
import type { Case, Step } from '../fixtures/load.js';
import type { MediaItem } from '../fixtures/media.js';
import { resolveTemplates, templatePaths } from '../fixtures/template.js';
import { DOCUMENTED_UNSUPPORTED } from '../report/judged.js';
import { withRequestDefaults } from './request-defaults.js';
import { expandEach } from './each.js';
import { clearPending, loadPending, pendingPath, pollLimits, pollUntil, savePending } from './poll.js';
import { OPERATIONS } from '../operations/index.js';
import type { ResolvedTarget } from '../targets/load.js';
import { routeUrl, targetHeaders } from '../targets/requests.js';
import { isBudgetSpent, NOT_SENT, type RequestBudget } from '../transport/budget.js';
import { createCapturingFetch, MAX_KEPT_BYTES, type CapturedCall } from '../transport/capture.js';
import { openTransport, ReplayMissError } from '../transport/modes.js';
import { redactDeep, redactSecrets } from '../transport/redact.js';
import { verdictOf } from './verdict.js';
import type { RequestLane } from './scheduler.js';
import { classify404, CONFIG_HINT, errorSummary, MODEL_404, NOT_OPENAI_404 } from './endpoint-problems.js';
import { observeStream, responseOf } from '../checks/stream-thread.js';

/** A well-formed key that no endpoint accepts, for the "bad API key" cases. */
export const INVALID_API_KEY = 'sk-oai-compat-invalid-0000000000000000';

export interface CaseEnv {
  target: ResolvedTarget;
  mode: Mode;
  recordingsDir: string;
  timeoutMs: number;
  /** The key to send; undefined only in replay mode, where nothing is sent. */
  apiKey: string | undefined;
  media: Record<string, MediaItem>;
  /** Replaces the fixtures' and the target's poll interval (tests: the reference server moves on per request). */
  pollIntervalMs?: number;
  /** --poll-timeout: replaces every poll time-out. */
  pollTimeoutMs?: number;
  /** Blocking exchanges by `case/step`, so a streaming run can compare itself with them. */
  peers: Map<string, Exchange>;
  /** Where each request waits for a slot (the target's limits); none: sent at once. */
  gate?: RequestLane;
  /** --max-requests, shared by every worker; absent when unlimited (and in replay, which sends nothing). */
  budget?: RequestBudget;
}

/** Where a case's recording lives: recordings/<target>/<feature>/<case>.<transport>.json */
export function cassettePath(env: Pick<CaseEnv, 'recordingsDir' | 'target'>, c: Case, transport: Transport): string {
  return path.join(env.recordingsDir, env.target.id, c.feature, `${c.id}.${transport}.json`);
}

function modelOf(step: Step, target: ResolvedTarget): string | undefined {
  return step.model_name ?? (step.model ? target.models[step.model] : undefined);
}

/** The model a case is reported under: that of its first step that names one. */
export function caseModel(c: Case, target: ResolvedTarget): string {
  return c.steps.map((s) => modelOf(s, target)).find(Boolean) ?? '-';
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function errorBodyMessage(exchange: Exchange): string {
  return exchange.response ? errorSummary(exchange.response) : '(no response)';
}

/**
 * Decides whether a step's checks can run at all. Transport trouble and 5xx are `error`; a
 * clean 4xx to a request that should have worked means the endpoint declines the feature
 * (`unsupported`), except for auth, rate limits and timeouts, which are `error`, and a 404 for
 * the model or that is no OpenAI answer, which says the run is misconfigured.
 */
function outcomeOf(exchange: Exchange, step: Step, target: ResolvedTarget): { status: CheckStatus; message: string; findings?: Finding[] } | undefined {
  if (!exchange.response) return { status: 'error', message: exchange.transportError ?? 'no response' };
  const { status, fullBytes } = exchange.response;
  if (fullBytes !== undefined) {
    return { status: 'error', message: `the response body is ${megabytes(fullBytes)}: only the first ${megabytes(MAX_KEPT_BYTES)} of an exchange are kept, so its checks cannot judge it` };
  }
  // Made only for an answer that needs it: most are 200s, and a stream's body can be megabytes.
  let said: string | undefined;
  const text = () => (said ??= errorBodyMessage(exchange));
  const message = () => `HTTP ${status}: ${text()}`;
  const expected = step.expect_error ? expectedStatuses(step.expect_error) : [];
  // A rate limit says nothing about the feature, even on a step that expects an error.
  if (status === 429 && !expected.includes(429)) return { status: 'error', message: `${message()}${retryNote(exchange)}` };
  if (status >= 500 && !expected.includes(status)) return refusedWith5xx(exchange, step) ?? { status: 'error', message: message() };
  // A generation that fails mid-way: OpenAI (and OpenRouter) send the error as an event of the 200 stream.
  const inBand = status === 200 ? inBandError(exchange) : undefined;
  if (inBand) return { status: 'error', message: `the endpoint sent an error inside the 200 stream (event ${inBand.event}): ${inBand.message}` };
  if (step.expect_error || status < 400) return undefined;
  if ([401, 403, 407, 408].includes(status)) return { status: 'error', message: message() };
  const misconfigured = classify404(exchange.response);
  if (misconfigured === 'model') {
    const role = step.model ? `models.${step.model} in ${target.file} or --models ${step.model}=NAME` : 'the model name';
    return { status: 'error', message: `${MODEL_404} "${String(exchange.params.model ?? step.model_name ?? '?')}": ${text()}${CONFIG_HINT}${role})` };
  }
  if (misconfigured === 'not-openai') return { status: 'unsupported', message: `${NOT_OPENAI_404}: ${text()}` };
  // A request OpenAI accepts (a case marks it must_accept): refusing it breaks apps, it is no "unsupported".
  if (step.must_accept) return { status: 'fail', message: `${message()} (a request OpenAI accepts)`, findings: [finding('status', '200: OpenAI accepts this request', described(`${status}: ${text()}`), 'must')] };
  return { status: 'unsupported', message: message() };
}

/** What the SDK raised, as an exchange records it (secrets removed from the message). */
export function sdkFailureOf(error: unknown, secrets: readonly string[]): Exchange['sdk'] {
  const e = error as { name?: string; status?: number; error?: unknown };
  return {
    ok: false,
    error: { name: e.name ?? 'Error', message: redactSecrets(errorMessage(error), secrets), ...(e.status ? { status: e.status } : {}), ...(e.error !== undefined ? { body: e.error } : {}) },
  };
}

/** What a vendor says when it does not implement something (llama.cpp answers an image it cannot read with a 500 saying so). */
const NOT_SUPPORTED = /\b(not supported|unsupported|not implemented|does not support|is not enabled)\b/i;

/**
 * A deterministic 5xx that says the feature is not supported: the vendor refusing the feature,
 * with the wrong status (clients retry a 5xx as transient trouble; a refusal is a 4xx). Reported
 * as unsupported with that finding (a fail for a request OpenAI accepts), apart from real 5xx trouble.
 */
function refusedWith5xx(exchange: Exchange, step: Step): { status: CheckStatus; message: string; findings: Finding[] } | undefined {
  const status = exchange.response!.status;
  const text = errorBodyMessage(exchange);
  if (![500, 501].includes(status) || !NOT_SUPPORTED.test(text)) return undefined;
  const wrongStatus = finding('status', 'a 4xx: the endpoint refuses the request, which is no server fault', described(`${status}: ${text}`), step.must_accept ? 'must' : 'should', 'clients retry a 5xx as transient trouble');
  if (step.must_accept) return { status: 'fail', message: `HTTP ${status}: ${text} (a request OpenAI accepts, refused as not supported, with a 5xx)`, findings: [wrongStatus] };
  return { status: 'unsupported', message: `HTTP ${status}: ${text} (the endpoint refuses the feature, with a 5xx instead of a 4xx)`, findings: [wrongStatus] };
}

/** A transport failure in words a user can act on. */
function transportReason(error: unknown, env: CaseEnv): string {
  const text = errorMessage(error);
  if (/Body Timeout|UND_ERR_BODY_TIMEOUT/i.test(text)) return `the response stalled: no data for ${env.timeoutMs} ms in the middle of the body (--timeout)`;
  if (/Headers Timeout|UND_ERR_HEADERS_TIMEOUT/i.test(text)) return `no response headers within ${env.timeoutMs} ms (--timeout)`;
  if (/incorrect header check|invalid (block type|stored block|distance|code)|unexpected end of file|Z_DATA_ERROR|Z_BUF_ERROR/i.test(text)) {
    return `invalid gzip: the body does not decode as its Content-Encoding header says (${text})`;
  }
  if (/other side closed|ECONNRESET|socket hang up|UND_ERR_SOCKET/i.test(text)) return `the connection was closed or reset by the endpoint (${text})`;
  return text;
}

async function callOnce(client: OpenAI, calls: CapturedCall[], step: Step, params: Record<string, unknown>, stream: boolean, env: CaseEnv, secrets: string[]): Promise<Exchange> {
  const op = OPERATIONS[step.call];
  const first = calls.length;
  const started = performance.now();
  let sdk: Exchange['sdk'];
  let timedOut = false;
  let notSent: string | undefined;
  try {
    const result = await op.invoke(client, params, stream);
    sdk = { ok: true, value: result.value };
  } catch (error) {
    timedOut = error instanceof APIConnectionTimeoutError;
    if (isBudgetSpent(error)) notSent = `${NOT_SENT} ${env.budget?.max} reached before this request`;
    sdk = sdkFailureOf(error, secrets);
  }
  const exchange: Exchange = { operation: step.call, stream, params, sdk, durationMs: 0, ...(notSent ? { notSent } : {}) };
  const call = calls[calls.length - 1];
  if (calls.length === first || !call) {
    exchange.transportError = `no request was sent: ${sdk.ok ? 'the SDK made no HTTP call' : sdk.error.message}`;
  } else {
    exchange.request = call.request;
    try {
      exchange.response = await responseOf(call, secrets);
      // Nothing judges a body larger than what is kept; the SDK's copy of it would only hold memory.
      if (exchange.response.fullBytes !== undefined && sdk.ok) exchange.sdk = { ok: true, value: undefined };
    } catch (error) {
      exchange.transportError = redactSecrets(`no answer to ${call.request.method} ${call.request.url}: ${transportReason(error, env)}`, secrets);
      if (timedOut) {
        exchange.transportError = `request timed out after ${env.timeoutMs} ms (${call.request.method} ${new URL(call.request.url).pathname})`;
      } else if (/No snapshot found/i.test(exchange.transportError)) {
        exchange.transportError = `Failed to replay ${call.request.method} ${new URL(call.request.url).pathname}: no recording matches this request. Re-record the case with --mode record.`;
      }
    }
  }
  exchange.durationMs = Math.round(performance.now() - started);
  return exchange;
}

/** Retries after a 429 per exchange, and the longest Retry-After honoured: beyond it the 429 stands. */
const RATE_LIMIT_RETRIES = 2;
const MAX_RETRY_AFTER_MS = 30_000;

/** How long a 429 asks to wait: retry-after-ms, or Retry-After in seconds or as an HTTP date. */
function retryAfterMs(headers: Record<string, string>): number | undefined {
  const ms = Number(headers['retry-after-ms']);
  if (headers['retry-after-ms'] && Number.isFinite(ms) && ms >= 0) return ms;
  const after = headers['retry-after'];
  if (!after) return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** What a 429's message adds: the retries made, or why none was. */
function retryNote(exchange: Exchange): string {
  const asked = exchange.response ? retryAfterMs(exchange.response.headers) : undefined;
  if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) return ` (not retried: Retry-After asks for ${Math.round(asked / 1000)} s, more than the ${MAX_RETRY_AFTER_MS / 1000} s a run waits)`;
  const retries = exchange.retries ?? [];
  return retries.length > 0 ? ` (still rate-limited after ${retries.length} retries, waiting ${retries.map((r) => `${r.waitMs} ms`).join(', ')} as Retry-After asked)` : '';
}

/** One request, retried on 429 (at most RATE_LIMIT_RETRIES times, waiting as Retry-After asks, out of the gate; replay does not wait). */
async function send(client: OpenAI, calls: CapturedCall[], step: Step, params: Record<string, unknown>, stream: boolean, env: CaseEnv, secrets: string[]): Promise<Exchange> {
  const retries: { status: number; waitMs: number }[] = [];
  let spent = 0; // by the earlier attempts and the waits between them
  for (;;) {
    const exchange = await gatedCall(client, calls, step, params, stream, env, secrets);
    exchange.durationMs += spent;
    if (retries.length > 0) exchange.retries = retries;
    if (exchange.response?.status !== 429 || retries.length >= RATE_LIMIT_RETRIES || exchange.notSent) return exchange;
    const wait = retryAfterMs(exchange.response.headers) ?? 1000 * 2 ** retries.length;
    if (wait > MAX_RETRY_AFTER_MS) return exchange;
    retries.push({ status: 429, waitMs: wait });
    if (env.mode !== 'replay') await new Promise((r) => setTimeout(r, wait));
    spent = exchange.durationMs + wait;
  }
}

/** One step: a single call, or polling within its limits (the trimmed calls keep memory flat). */
async function runStep(client: OpenAI, calls: CapturedCall[], step: Step, params: Record<string, unknown>, stream: boolean, env: CaseEnv, secrets: string[]): Promise<{ exchange: Exchange; gaveUp?: string }> {
  if (!step.poll) return { exchange: await send(client, calls, step, params, stream, env, secrets) };
  const limits = pollLimits(step.poll, env.target, { ...(env.pollIntervalMs !== undefined ? { intervalMs: env.pollIntervalMs } : {}), ...(env.pollTimeoutMs !== undefined ? { timeoutMs: env.pollTimeoutMs } : {}) });
  const first = calls.length;
  return pollUntil(
    async () => {
      calls.length = first;
      return send(client, calls, step, params, stream, env, secrets);
    },
    step.poll,
    limits,
    env.mode !== 'replay',
  );
}

/** One request, sent once the gate admits it; its slot is held until the answer has arrived in full. */
async function gatedCall(client: OpenAI, calls: CapturedCall[], step: Step, params: Record<string, unknown>, stream: boolean, env: CaseEnv, secrets: string[]): Promise<Exchange> {
  const release = await env.gate?.acquire();
  try {
    return await callOnce(client, calls, step, params, stream, env, secrets);
  } finally {
    release?.();
  }
}

interface PlannedCheck {
  def: CheckDef;
  params: Record<string, unknown>;
  applies: boolean;
  /** The fixture's reason for switching this automatic check off. */
  waived?: string;
}

const NO_PARAMS: Record<string, unknown> = Object.freeze({});

/** The checks of a step: every automatic one that applies (or its waiver), then the named ones (applying or not). */
export function checksFor(step: Step, ctx: CheckContext): PlannedCheck[] {
  const named = step.checks.map((entry) => ({ def: getCheck(entry.check), params: entry.params }));
  const auto = CHECKS.filter((def) => def.auto && !named.some((n) => n.def.id === def.id)).map((def) => ({ def, params: NO_PARAMS }));
  // One probe context for every appliesTo, its params swapped in: this runs for every exchange.
  const probe: CheckContext = { ...ctx };
  const out: PlannedCheck[] = [];
  for (const entry of [...auto, ...named]) {
    probe.params = entry.params;
    const applies = entry.def.appliesTo(probe);
    if (!applies && entry.def.auto) continue;
    const waiver = step.waive.find((w) => w.check === entry.def.id);
    out.push({ def: entry.def, params: entry.params, applies, ...(waiver ? { waived: waiver.reason } : {}) });
  }
  return out;
}

/**
 * Runs one case on one transport: every step through the official SDK over the chosen
 * transport mode, then every check on every exchange. Never throws for endpoint trouble:
 * that becomes `error` / `unsupported` results, so the run goes on.
 */
export async function runCase(c: Case, transport: Transport, env: CaseEnv): Promise<CheckResult[]> {
  const { target } = env;
  const base = { target: target.id, model: caseModel(c, target), feature: c.feature, case: c.id, transport };
  const result = (step: string, def: Pick<CheckDef, 'id' | 'level' | 'severity'>, status: CheckStatus, message: string, durationMs = 0, findings?: Finding[]): CheckResult => ({
    ...base,
    step,
    check: def.id,
    level: def.level,
    severity: def.severity,
    status,
    message,
    ...(findings && findings.length > 0 ? { findings } : {}),
    durationMs,
  });
  const caseLevel = { id: 'case', level: 'wire', severity: 'must' } as const;

  const missingRole = c.steps.find((s) => s.model && !target.models[s.model]);
  if (missingRole) {
    return [result('-', caseLevel, 'skip', `no model for role "${missingRole.model}" in ${target.file}; add one or pass --models ${missingRole.model}=NAME`)];
  }
  const notOffered = c.needs.filter((need) => !target.extensions.includes(need));
  if (notOffered.length > 0) {
    return [result('-', caseLevel, 'skip', `needs the vendor extension ${notOffered.join(', ')}, which ${target.id} does not offer (${target.file}: extensions)`)];
  }
  const missingValue = templatePaths(c.steps.map((s) => [s.request, s.streaming_request])).find((p) => p.startsWith('values.') && !Object.hasOwn(target.values, p.split('.')[1]!));
  if (missingValue) {
    return [result('-', caseLevel, 'skip', `needs {{${missingValue}}}, which ${target.file} does not give (add it under values:)`)];
  }
  const claim = target.claims[c.feature];
  if (claim?.supported === false) {
    return [result('-', caseLevel, 'unsupported', `${DOCUMENTED_UNSUPPORTED}${claim.doc ? ` (${claim.doc})` : ''}${claim.note ? `: ${claim.note}` : ''}`)];
  }

  const sent = targetHeaders(target, env.apiKey ?? 'replay-sends-no-key');
  const secrets = [env.apiKey, INVALID_API_KEY, ...sent.secrets].filter((s): s is string => Boolean(s));
  let session;
  try {
    session = await openTransport({ mode: env.mode, cassette: cassettePath(env, c, transport), secrets, timeoutMs: env.timeoutMs });
  } catch (error) {
    const message = error instanceof ReplayMissError ? `Failed to replay case ${c.id} [${transport}]: ${error.message}` : errorMessage(error);
    return [result('-', { id: 'transport', level: 'wire', severity: 'must' }, 'error', message)];
  }

  const calls: CapturedCall[] = [];
  const clientFor = (key: string) =>
    new OpenAI({
      apiKey: key,
      baseURL: target.baseUrl,
      maxRetries: 0,
      timeout: env.timeoutMs,
      defaultHeaders: targetHeaders(target, key).headers,
      fetch: createCapturingFetch(session.dispatcher, calls, { secrets, route: (url) => routeUrl(target, url), observe: observeStream, ...(env.budget ? { budget: env.budget } : {}) }),
    });
  const client = clientFor(env.apiKey ?? 'replay-sends-no-key');
  const results: CheckResult[] = [];
  const responses: Record<string, { response: unknown }> = {};
  // What {{templates}} see; `steps` fills in as the steps answer.
  const values = Object.fromEntries(Object.entries(target.values).map(([k, v]) => [k, v.replaceAll('{{base_url}}', target.baseUrl)]));
  const scope = { model: target.models, media: env.media, tables: c.tables, values, steps: responses };
  // Create now, verify later: a slow vendor's batch is picked up where an earlier run left it.
  // Live runs only: a recording must hold the whole case, so record mode waits, and replay never waits.
  const pending = pendingPath(env.recordingsDir, target.id, c.id, transport);
  const resumable = target.poll.resume_later === true && env.mode === 'live';
  const resumed = resumable ? loadPending(pending) : undefined;
  const resumeAt = resumed ? c.steps.findIndex((s) => s.id === resumed.step) : -1;
  if (resumed && resumeAt >= 0) {
    Object.assign(responses, resumed.responses);
    for (const step of c.steps.slice(0, resumeAt)) {
      results.push(result(step.id, caseLevel, 'skip', `ran in an earlier run (${resumed.savedAt}); this run resumes at step ${resumed.step}`));
    }
  }
  try {
    const steps = c.steps.slice(Math.max(resumeAt, 0));
    for (let i = 0; i < steps.length; i++) {
      const each = steps[i]!;
      if (each.each) {
        // One run per element of an earlier answer's list: the copies take the step's place.
        let expanded: Step[];
        try {
          expanded = expandEach(each, scope);
        } catch (error) {
          results.push(result(each.id, caseLevel, 'error', `Failed to build the request: ${errorMessage(error)}`));
          break;
        }
        steps.splice(i, 1, ...expanded);
        if (expanded.length === 0) {
          results.push(result(each.id, caseLevel, 'skip', 'nothing to run: the list named by each.in is empty'));
          i--;
          continue;
        }
      }
      const step = steps[i]!;
      const op = OPERATIONS[step.call];
      const stream = transport === 'streaming' && op.streamable;
      let params: Record<string, unknown>;
      try {
        const request = stream ? { ...step.request, ...step.streaming_request } : step.request;
        params = resolveTemplates(request, scope);
      } catch (error) {
        results.push(result(step.id, caseLevel, 'error', `Failed to build the request: ${errorMessage(error)}`));
        break;
      }
      params = withRequestDefaults(params, step.call, target.requestDefaults);
      const modelName = modelOf(step, target);
      if (modelName && op.modelField) params = { ...params, [op.modelField]: modelName };
      const { exchange, gaveUp } = await runStep(step.auth === 'invalid' ? clientFor(INVALID_API_KEY) : client, calls, step, params, stream, env, secrets);
      if (gaveUp && resumable) {
        savePending(pending, { case: c.id, transport, step: step.id, responses, savedAt: new Date().toISOString(), reason: gaveUp });
        const later = `not judged yet: ${gaveUp}. A later run of this case goes on from here (state in ${path.relative(process.cwd(), pending) || pending}).`;
        results.push(result(step.id, caseLevel, 'skip', later, exchange.durationMs));
        break;
      }
      if (gaveUp) {
        delete exchange.response;
        exchange.transportError = gaveUp;
      } else if (step.poll && resumable) {
        clearPending(pending);
      }
      if (exchange.notSent) {
        // The budget is spent: this step and the rest of the case (each-expanded copies included) are not run, and say so.
        for (const rest of steps.slice(i)) results.push(result(rest.id, caseLevel, 'skip', exchange.notSent));
        break;
      }
      const peerKey = `${c.id}/${step.id}`;
      if (!stream) env.peers.set(peerKey, exchange);

      const ctx: CheckContext = {
        exchange,
        params: {},
        transport,
        ...(step.expect_error ? { expectError: step.expect_error } : {}),
        ...(stream && env.peers.has(peerKey) ? { blockingPeer: env.peers.get(peerKey)! } : {}),
      };
      const outcome = outcomeOf(exchange, step, target);
      if (outcome) {
        results.push(result(step.id, getCheck('wire.status'), outcome.status, outcome.message, exchange.durationMs, outcome.findings));
        // A rejected request leaves nothing for the named checks to judge; trouble or a decline is theirs too.
        const rest = outcome.status === 'fail' ? { status: 'skip' as const, message: 'not run: the request was rejected (see wire.status)' } : outcome;
        for (const entry of step.checks) results.push(result(step.id, getCheck(entry.check), rest.status, rest.message, exchange.durationMs));
        break;
      }
      // Garbage is endpoint trouble: the wire checks say what is wrong with it, the rest cannot judge.
      const parseable = isParseable(exchange, op.body === 'jsonl' && !step.expect_error);
      // One context for every check of the step, its params swapped in (checks are pure and synchronous).
      const probe: CheckContext = { ...ctx };
      for (const { def, params: checkParams, applies, waived } of checksFor(step, ctx)) {
        if (waived) {
          results.push(result(step.id, def, 'skip', `waived by the fixture: ${waived}`, exchange.durationMs));
          continue;
        }
        if (applies && !parseable && def.level !== 'wire') {
          results.push(result(step.id, def, 'error', 'not checked: the response body could not be parsed (see the wire checks)', exchange.durationMs));
          continue;
        }
        if (!applies) {
          results.push(result(step.id, def, 'skip', `does not apply to this ${transport} exchange`, exchange.durationMs));
          continue;
        }
        let findings: Finding[];
        try {
          probe.params = resolveTemplates(checkParams, scope);
          findings = def.run(probe);
        } catch (error) {
          results.push(result(step.id, def, 'error', `the check crashed: ${errorMessage(error)}`, exchange.durationMs));
          continue;
        }
        const { status, message: summary } = verdictOf(findings);
        const note = def.note?.(probe);
        // A rate limit that retries got past is no finding, but the report says it happened.
        const retried = def.id === 'wire.status' && exchange.retries ? `answered after ${exchange.retries.length} retr${exchange.retries.length === 1 ? 'y' : 'ies'} on 429, waiting ${exchange.retries.map((r) => `${r.waitMs} ms`).join(', ')} as Retry-After asked` : '';
        results.push(result(step.id, def, status, [note, summary, retried].filter(Boolean).join('; '), exchange.durationMs, findings));
      }
      responses[step.id] = { response: valueOf(exchange) };
    }
  } finally {
    await session.finish();
  }
  // The last line of defence: whatever an endpoint echoed, no form of a key leaves this function.
  return redactDeep(results, secrets);
}
