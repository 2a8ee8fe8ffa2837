import path from 'node:path';
import OpenAI, { APIConnectionTimeoutError } from 'openai';
import { CHECKS, getCheck } from '../checks/index.js';
import { isParseable, parseBody, valueOf } from '../checks/answer.js';
import type { CheckContext, CheckDef } from '../checks/types.js';
import { errorMessage } from '../core/errors.js';
import type { CheckResult, CheckStatus, Exchange, Finding, Mode, Transport } from '../core/types.js';
import type { Case, Step } from '../fixtures/load.js';
import type { MediaItem } from '../fixtures/media.js';
import { resolveTemplates } from '../fixtures/template.js';
import { OPERATIONS } from '../operations/index.js';
import type { ResolvedTarget } from '../targets/load.js';
import { createCapturingFetch, type CapturedCall } from '../transport/capture.js';
import { openTransport, ReplayMissError } from '../transport/modes.js';
import { redactSecrets } from '../transport/redact.js';
import type { RequestLane } from './scheduler.js';

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
  /** Replaces the fixtures' poll interval (the reference server moves on per request, not per second). */
  pollIntervalMs?: number;
  /** Blocking exchanges by `case/step`, so a streaming run can compare itself with them. */
  peers: Map<string, Exchange>;
  /** Where each request waits for a slot (the target's limits); none: sent at once. */
  gate?: RequestLane;
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

function summarise(findings: Finding[]): string {
  const mustFirst = [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'must' ? -1 : 1));
  const shown = mustFirst.slice(0, 3).map((f) => `${f.path || '/'}: expected ${f.expected}, received ${f.received}${f.note ? ` (${f.note})` : ''}`);
  return findings.length > 3 ? `${shown.join('; ')}; and ${findings.length - 3} more` : shown.join('; ');
}

function errorBodyMessage(exchange: Exchange): string {
  const parsed = parseBody(exchange);
  // Vendors wrap errors differently: OpenAI an object, Gemini an array of one.
  const body = (Array.isArray(parsed.value) ? parsed.value[0] : parsed.value) as { error?: { message?: unknown } } | undefined;
  if (typeof body?.error?.message === 'string') return body.error.message;
  return exchange.response?.body.slice(0, 200) || '(empty body)';
}

/**
 * Decides whether a step's checks can run at all. Transport trouble and 5xx are `error`; a
 * clean 4xx to a request that should have worked means the endpoint declines the feature
 * (`unsupported`), except for auth, rate limits and timeouts, which are `error`.
 */
function outcomeOf(exchange: Exchange, step: Step): { status: CheckStatus; message: string } | undefined {
  if (!exchange.response) return { status: 'error', message: exchange.transportError ?? 'no response' };
  const { status } = exchange.response;
  const message = `HTTP ${status}: ${errorBodyMessage(exchange)}`;
  if (status >= 500 && step.expect_error?.status !== status) return { status: 'error', message };
  if (step.expect_error || status < 400) return undefined;
  if ([401, 403, 407, 408, 429].includes(status)) return { status: 'error', message };
  return { status: 'unsupported', message };
}

async function callOnce(client: OpenAI, calls: CapturedCall[], step: Step, params: Record<string, unknown>, stream: boolean, env: CaseEnv, secrets: string[]): Promise<Exchange> {
  const op = OPERATIONS[step.call];
  const first = calls.length;
  const started = performance.now();
  let sdk: Exchange['sdk'];
  let timedOut = false;
  try {
    const result = await op.invoke(client, params, stream);
    sdk = { ok: true, value: result.value, ...(result.chunks ? { chunks: result.chunks } : {}) };
  } catch (error) {
    const e = error as { name?: string; status?: number; error?: unknown };
    timedOut = error instanceof APIConnectionTimeoutError;
    sdk = {
      ok: false,
      error: { name: e.name ?? 'Error', message: redactSecrets(errorMessage(error), secrets), ...(e.status ? { status: e.status } : {}), ...(e.error !== undefined ? { body: e.error } : {}) },
    };
  }
  const exchange: Exchange = { operation: step.call, stream, params, sdk, durationMs: 0 };
  const call = calls[calls.length - 1];
  if (calls.length === first || !call) {
    exchange.transportError = `no request was sent: ${sdk.ok ? 'the SDK made no HTTP call' : sdk.error.message}`;
  } else {
    exchange.request = call.request;
    try {
      exchange.response = await call.response;
    } catch (error) {
      exchange.transportError = redactSecrets(`no answer to ${call.request.method} ${call.request.url}: ${errorMessage(error)}`, secrets);
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

function pointer(value: unknown, field: string): unknown {
  return field.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
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

async function runStep(client: OpenAI, calls: CapturedCall[], step: Step, params: Record<string, unknown>, stream: boolean, env: CaseEnv, secrets: string[]): Promise<Exchange> {
  if (!step.poll) return gatedCall(client, calls, step, params, stream, env, secrets);
  const { field, until, interval_ms = 1000, timeout_ms = 600_000 } = step.poll;
  const deadline = performance.now() + timeout_ms;
  let total = 0;
  for (;;) {
    const exchange = await gatedCall(client, calls, step, params, stream, env, secrets);
    total += exchange.durationMs;
    exchange.durationMs = total;
    const value = pointer(valueOf(exchange), field);
    if (!exchange.response || exchange.response.status !== 200 || until.includes(String(value))) return exchange;
    if (performance.now() > deadline) {
      delete exchange.response;
      exchange.transportError = `polling gave up after ${timeout_ms} ms: ${field} is still ${JSON.stringify(value)}, waiting for ${until.join(' | ')}`;
      return exchange;
    }
    if (env.mode !== 'replay') await new Promise((r) => setTimeout(r, env.pollIntervalMs ?? interval_ms));
  }
}

const NO_PARAMS: Record<string, unknown> = Object.freeze({});

/** The checks of a step: the automatic ones that apply, then those the fixture names (applying or not). */
export function checksFor(step: Step, ctx: CheckContext): { def: CheckDef; params: Record<string, unknown>; applies: boolean }[] {
  const named = step.checks.map((entry) => ({ def: getCheck(entry.check), params: entry.params }));
  const auto = CHECKS.filter((def) => def.auto && !named.some((n) => n.def.id === def.id)).map((def) => ({ def, params: NO_PARAMS }));
  // One probe context for every appliesTo, its params swapped in: this runs for every exchange.
  const probe: CheckContext = { ...ctx };
  const out: { def: CheckDef; params: Record<string, unknown>; applies: boolean }[] = [];
  for (const entry of [...auto, ...named]) {
    probe.params = entry.params;
    const applies = entry.def.appliesTo(probe);
    if (applies || !entry.def.auto) out.push({ def: entry.def, params: entry.params, applies });
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
  const claim = target.claims[c.feature];
  if (claim?.supported === false) {
    return [result('-', caseLevel, 'unsupported', `documented as unsupported${claim.doc ? ` (${claim.doc})` : ''}${claim.note ? `: ${claim.note}` : ''}`)];
  }

  const secrets = [env.apiKey, INVALID_API_KEY].filter((s): s is string => Boolean(s));
  let session;
  try {
    session = await openTransport({ mode: env.mode, cassette: cassettePath(env, c, transport), secrets, timeoutMs: env.timeoutMs });
  } catch (error) {
    const message = error instanceof ReplayMissError ? `Failed to replay case ${c.id} [${transport}]: ${error.message}` : errorMessage(error);
    return [result('-', { id: 'transport', level: 'wire', severity: 'must' }, 'error', message)];
  }

  const calls: CapturedCall[] = [];
  const clientFor = (key: string) =>
    new OpenAI({ apiKey: key, baseURL: target.baseUrl, maxRetries: 0, timeout: env.timeoutMs, fetch: createCapturingFetch(session.dispatcher, calls) });
  const client = clientFor(env.apiKey ?? 'replay-sends-no-key');
  const results: CheckResult[] = [];
  const responses: Record<string, { response: unknown }> = {};
  // What {{templates}} see; `steps` fills in as the steps answer.
  const scope = { model: target.models, media: env.media, tables: c.tables, steps: responses };
  try {
    for (const step of c.steps) {
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
      const modelName = modelOf(step, target);
      if (modelName && op.modelField) params = { ...params, [op.modelField]: modelName };
      const exchange = await runStep(step.auth === 'invalid' ? clientFor(INVALID_API_KEY) : client, calls, step, params, stream, env, secrets);
      const peerKey = `${c.id}/${step.id}`;
      if (!stream) env.peers.set(peerKey, exchange);

      const ctx: CheckContext = {
        exchange,
        params: {},
        transport,
        ...(step.expect_error ? { expectError: step.expect_error } : {}),
        ...(stream && env.peers.has(peerKey) ? { blockingPeer: env.peers.get(peerKey)! } : {}),
      };
      const outcome = outcomeOf(exchange, step);
      if (outcome) {
        for (const def of [getCheck('wire.status'), ...step.checks.map((e) => getCheck(e.check))]) {
          results.push(result(step.id, def, outcome.status, outcome.message, exchange.durationMs));
        }
        break;
      }
      // Garbage is endpoint trouble: the wire checks say what is wrong with it, the rest cannot judge.
      const parseable = isParseable(exchange, op.body === 'jsonl' && !step.expect_error);
      // One context for every check of the step, its params swapped in (checks are pure and synchronous).
      const probe: CheckContext = { ...ctx };
      for (const { def, params: checkParams, applies } of checksFor(step, ctx)) {
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
        const status: CheckStatus = findings.length === 0 ? 'pass' : findings.some((f) => f.severity === 'must') ? 'fail' : 'warn';
        results.push(result(step.id, def, status, status === 'pass' ? '' : summarise(findings), exchange.durationMs, findings));
      }
      responses[step.id] = { response: valueOf(exchange) };
    }
  } finally {
    await session.finish();
  }
  return results;
}
